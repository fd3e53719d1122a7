package dev.resilient.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RateLimiter;
import dev.resilient.runtime.ResilienceContext;
import io.github.resilience4j.core.functions.CheckedFunction;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A rate-limited call with tokens available (a billion per second: a benchmark never runs out),
 * through our wrapper, Resilience4j's {@code RateLimiter} (its default, atomic, refreshing a
 * permit count each period) and Failsafe's smooth rate limiter.
 */
@State(Scope.Benchmark)
public class RateLimitPath extends Settings {
    private Subjects.Service direct;
    private Subjects.RateLimited resilient;
    private CheckedFunction<String, String> resilience4j;
    private FailsafeExecutor<Object> failsafe;

    @Setup
    public void setUp() {
        Delegates.Fast fast = new Delegates.Fast();
        direct = fast;
        resilient = new ResilientSubjects_RateLimited(fast, ResilienceContext.builder().build());
        resilience4j = io.github.resilience4j.ratelimiter.RateLimiter.decorateCheckedFunction(
                io.github.resilience4j.ratelimiter.RateLimiter.of("bench", RateLimiterConfig.custom()
                        .limitForPeriod(1_000_000_000)
                        .limitRefreshPeriod(Duration.ofSeconds(1))
                        .timeoutDuration(Duration.ZERO)
                        .build()),
                fast::call);
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
    public void resilience4jRateLimit(Blackhole blackhole) throws Throwable {
        blackhole.consume(resilience4j.apply(input));
    }

    @Benchmark
    public void failsafeRateLimit(Blackhole blackhole) {
        Subjects.Service service = direct;
        blackhole.consume(failsafe.get(() -> service.call(input)));
    }
}
