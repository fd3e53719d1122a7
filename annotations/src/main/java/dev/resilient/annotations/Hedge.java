package dev.resilient.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * For idempotent calls: when an attempt has not answered within {@link #delay()}, another starts
 * without stopping the first (under failover, on the next delegate), up to {@link #maxAttempts()}
 * in all; a failed attempt starts the next one at once. The first answer that is not a failure
 * wins; the attempts still running are cancelled (asynchronous methods) or interrupted
 * (synchronous ones); when every attempt fails, the caller gets the last failure.
 *
 * <p>Each attempt passes the breaker, rate limit, timeout and bulkhead on its own, and every
 * attempt after the first draws on the method's {@code @RetryBudget} when it has one. Synchronous
 * attempts run on the context's executor while the caller waits. Hedging replaces retrying: a
 * method with {@code @Hedge} cannot also have {@code @Retryable}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Hedge {
    /**
     * How long an attempt may go unanswered before the next starts, as a duration string; not
     * negative ({@code "0"} starts every attempt at once); default {@code "100ms"}.
     */
    String delay() default "100ms";

    /** Attempts in all, the first included; at least 2; default 2. */
    int maxAttempts() default 2;
}
