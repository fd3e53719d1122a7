package dev.resilient.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RateLimiter;
import dev.resilient.runtime.ResilienceContext;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A rate-limited call with tokens available (a token every nanosecond), through our wrapper and
 * Failsafe's smooth rate limiter. Resilience4j's {@code RateLimiter} is not among the build's
 * dependencies, so it is not compared here.
 */
@State(Scope.Benchmark)
public class RateLimitPath extends Settings {
    private Subjects.Service direct;
    private Subjects.RateLimited resilient;
    private FailsafeExecutor<Object> failsafe;

    @Setup
    public void setUp() {
        Delegates.Fast fast = new Delegates.Fast();
        direct = fast;
        resilient = new ResilientSubjects_RateLimited(fast, ResilienceContext.builder().build());
        failsafe = Failsafe.with(RateLimiter.smoothBuilder(1_000_000_000, Duration.ofSeconds(1)).build());
    }

    @Benchmark
    public void direct(Blackhole blackhole) throws Exception {
        blackhole.consume(direct.call(input));
    }

    @Benchmark
    public void resilientRateLimit(Blackhole blackhole) throws Exception {
        blackhole.consume(resilient.call(input));
    }

    @Benchmark
    public void failsafeRateLimit(Blackhole blackhole) {
        Subjects.Service service = direct;
        blackhole.consume(failsafe.get(() -> service.call(input)));
    }
}
