package dev.resilient.benchmarks;

import dev.failsafe.FailsafeExecutor;
import dev.resilient.runtime.ResilienceContext;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.functions.CheckedFunction;
import io.github.resilience4j.retry.Retry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The first attempt fails with a preallocated exception, the second succeeds, with a zero wait
 * between them. The delegate's state is per thread, so each thread has its own subjects.
 */
@State(Scope.Thread)
public class FailurePath extends Settings {
    private Subjects.RetryAndBreaker resilient;
    private CheckedFunction<String, String> resilience4j;
    private FailsafeExecutor<Object> failsafe;
    private Delegates.Flaky failsafeDelegate;

    @Setup
    public void setUp() {
        resilient = new ResilientSubjects_RetryAndBreaker(new Delegates.Flaky(), ResilienceContext.builder().build());
        Subjects.Service flaky = new Delegates.Flaky();
        resilience4j = Retry.decorateCheckedFunction(Peers.r4jRetry(),
                CircuitBreaker.decorateCheckedFunction(Peers.r4jBreaker(), flaky::call));
        failsafeDelegate = new Delegates.Flaky();
        failsafe = Peers.failsafe(Peers.failsafeBreaker());
    }

    @Benchmark
    public void resilientRetryAndBreaker(Blackhole blackhole) throws Exception {
        blackhole.consume(resilient.call(input));
    }

    @Benchmark
    public void resilience4jRetryAndBreaker(Blackhole blackhole) throws Throwable {
        blackhole.consume(resilience4j.apply(input));
    }

    @Benchmark
    public void failsafeRetryAndBreaker(Blackhole blackhole) {
        String value = input;
        blackhole.consume(failsafe.get(() -> failsafeDelegate.call(value)));
    }
}
