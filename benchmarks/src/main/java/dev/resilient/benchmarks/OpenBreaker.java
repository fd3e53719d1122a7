package dev.resilient.benchmarks;

import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.FailsafeExecutor;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ResilienceContext;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.functions.CheckedFunction;
import io.github.resilience4j.retry.Retry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** A call rejected by an open breaker: the delegate is never reached. */
@State(Scope.Benchmark)
public class OpenBreaker extends Settings {
    private Subjects.RetryAndBreaker resilient;
    private CheckedFunction<String, String> resilience4j;
    private FailsafeExecutor<Object> failsafe;
    private Subjects.Service direct;

    @Setup
    public void setUp() {
        Delegates.Fast fast = new Delegates.Fast();
        direct = fast;
        ResilienceContext context = ResilienceContext.builder().build();
        resilient = new ResilientSubjects_RetryAndBreaker(fast, context);
        context.breaker("Subjects.RetryAndBreaker.call").forceOpen();
        CircuitBreaker breaker = Peers.r4jBreaker();
        breaker.transitionToForcedOpenState();
        Subjects.Service service = fast;
        resilience4j = Retry.decorateCheckedFunction(Peers.r4jRetry(), CircuitBreaker.decorateCheckedFunction(breaker, service::call));
        dev.failsafe.CircuitBreaker<Object> failsafeBreaker = Peers.failsafeBreaker();
        failsafeBreaker.open();
        failsafe = Peers.failsafe(failsafeBreaker);
    }

    @Benchmark
    public void resilientRetryAndBreaker(Blackhole blackhole) throws Exception {
        try {
            blackhole.consume(resilient.call(input));
        } catch (CircuitOpenException rejected) {
            blackhole.consume(rejected);
        }
    }

    @Benchmark
    public void resilience4jRetryAndBreaker(Blackhole blackhole) throws Throwable {
        try {
            blackhole.consume(resilience4j.apply(input));
        } catch (CallNotPermittedException rejected) {
            blackhole.consume(rejected);
        }
    }

    @Benchmark
    public void failsafeRetryAndBreaker(Blackhole blackhole) {
        String value = input;
        try {
            blackhole.consume(failsafe.get(() -> direct.call(value)));
        } catch (CircuitBreakerOpenException rejected) {
            blackhole.consume(rejected);
        }
    }
}
