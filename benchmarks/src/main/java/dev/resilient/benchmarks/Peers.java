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
