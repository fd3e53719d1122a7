package dev.resilient.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;

/** Resilience4j and Failsafe, configured like the generated wrappers: two attempts, zero waits. */
final class Peers {
    private Peers() {}

    static Retry r4jRetry() {
        return Retry.of("bench", RetryConfig.custom()
                .maxAttempts(2)
                .waitDuration(Duration.ZERO)
                .retryExceptions(Exception.class)
                .build());
    }

    static CircuitBreaker r4jBreaker() {
        return CircuitBreaker.of("bench", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(100)
                .failureRateThreshold(100)
                .build());
    }

    /** Like {@code @Breaker(windowDuration = "10s", failureRate = 0.5)}: ten calls at least, then half failing opens it. */
    static CircuitBreaker r4jTimeBreaker() {
        return CircuitBreaker.of("time", timeBased().build());
    }

    /** {@link #r4jTimeBreaker()} with {@code slowCall = "1s", slowCallRate = 0.5}. */
    static CircuitBreaker r4jSlowCallBreaker() {
        return CircuitBreaker.of("slow", timeBased()
                .slowCallDurationThreshold(Duration.ofSeconds(1))
                .slowCallRateThreshold(50)
                .build());
    }

    private static CircuitBreakerConfig.Builder timeBased() {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50);
    }

    /** Failsafe's time-based thresholding, as {@link #r4jTimeBreaker()}: 50% of at least 10 calls in 10 s. */
    static FailsafeExecutor<Object> failsafeTimeBreaker() {
        return Failsafe.with(dev.failsafe.CircuitBreaker.builder().withFailureRateThreshold(50, 10, Duration.ofSeconds(10)).build());
    }

    static RetryPolicy<Object> failsafeRetry() {
        return RetryPolicy.builder().withMaxAttempts(2).handle(Exception.class).build();
    }

    static dev.failsafe.CircuitBreaker<Object> failsafeBreaker() {
        return dev.failsafe.CircuitBreaker.builder().withFailureThreshold(1_000_000).build();
    }

    static FailsafeExecutor<Object> failsafe(dev.failsafe.CircuitBreaker<Object> breaker) {
        return Failsafe.with(failsafeRetry(), breaker);
    }
}
