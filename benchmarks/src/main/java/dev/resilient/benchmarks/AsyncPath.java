package dev.resilient.benchmarks;

import dev.failsafe.FailsafeExecutor;
import dev.resilient.runtime.ResilienceContext;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/** An asynchronous method whose delegate returns a completed future, through retry and breaker. */
@State(Scope.Benchmark)
public class AsyncPath extends Settings {
    private Subjects.AsyncRetryAndBreaker direct;
    private Subjects.AsyncRetryAndBreaker resilient;
    private Supplier<CompletionStage<String>> resilience4j;
    private FailsafeExecutor<Object> failsafe;
    private ScheduledExecutorService scheduler;

    @Setup
    public void setUp() {
        direct = new Delegates.FastAsync();
        resilient = new ResilientSubjects_AsyncRetryAndBreaker(direct, ResilienceContext.builder().build());
        scheduler = Executors.newSingleThreadScheduledExecutor();
        Supplier<CompletionStage<String>> call = () -> direct.call(input);
        resilience4j = Retry.decorateCompletionStage(Peers.r4jRetry(), scheduler,
                CircuitBreaker.decorateCompletionStage(Peers.r4jBreaker(), call));
        failsafe = Peers.failsafe(Peers.failsafeBreaker());
    }

    @TearDown
    public void tearDown() {
        scheduler.shutdownNow();
    }

    @Benchmark
    public void direct(Blackhole blackhole) {
        blackhole.consume(direct.call(input).join());
    }

    @Benchmark
    public void resilientRetryAndBreaker(Blackhole blackhole) {
        blackhole.consume(resilient.call(input).join());
    }

    @Benchmark
    public void resilience4jRetryAndBreaker(Blackhole blackhole) {
        blackhole.consume(resilience4j.get().toCompletableFuture().join());
    }

    @Benchmark
    public void failsafeRetryAndBreaker(Blackhole blackhole) {
        String value = input;
        blackhole.consume(failsafe.getStageAsync(() -> direct.call(value)).join());
    }
}
