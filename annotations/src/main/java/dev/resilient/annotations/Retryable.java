package dev.resilient.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Retries a failed call.
 *
 * <p>The wait before attempt {@code n + 1} is computed in this order: the nominal wait
 * {@code delay * multiplier^(n - 1)}, capped by {@link #maxDelay()}, randomised by
 * {@link #jitter()}, and checked against the {@link #maxDuration()} budget. No wait follows the
 * last attempt. When the attempts are used up, or a failure is not retried, the caller receives
 * the last failure itself: the same instance, neither wrapped nor changed.
 *
 * <p>{@code CircuitOpenException}, {@code BulkheadFullException} and {@link InterruptedException}
 * are never retried. A thread interrupted while it waits stops retrying, keeps its interrupt
 * flag and receives the last failure.
 *
 * <p>On an interface, applies to every abstract method it declares or inherits; a method's own
 * {@code @Retryable} replaces the interface's (attributes are not merged).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Retryable {
    /** Attempts in all, the first one included. At least 1; default 3. */
    int maxAttempts() default 3;

    /** The nominal wait before the second attempt, as a duration string. Default {@code "100ms"}. */
    String delay() default "100ms";

    /**
     * Growth of the nominal wait: the wait before attempt {@code n + 1} is
     * {@code delay * multiplier^(n - 1)}. At least 1.0; default 2.0 (1.0 keeps the wait constant).
     */
    double multiplier() default 2.0;

    /**
     * Cap on one nominal wait, as a duration string; {@code ""} (the default) means no cap. When
     * set, it is at least {@link #delay()}.
     */
    String maxDelay() default "";

    /** How each wait is randomised. Default {@link Jitter#NONE}. */
    Jitter jitter() default Jitter.NONE;

    /**
     * Overall budget measured from the start of the first attempt, as a duration string;
     * {@code ""} (the default) means none. No wait begins that would end past the budget, so no
     * attempt starts after it.
     */
    String maxDuration() default "";

    /** Failures that are retried, subclasses included. Default: every {@link Exception}. */
    Class<? extends Throwable>[] retryOn() default {Exception.class};

    /** Failures that are never retried, subclasses included; wins over {@link #retryOn()}. Default none. */
    Class<? extends Throwable>[] abortOn() default {};

    /**
     * The name of a method of the same interface, {@code boolean name(R result)} (R: the method's
     * return type, or its stage's value type; a supertype is fine), called on the wrapper with
     * each value an attempt returns: {@code true} makes that attempt count as failed for retry.
     * When the attempts are used up on a rejected value, the caller receives that value,
     * returned normally. Default {@code ""}: values are never retried.
     */
    String retryOnResult() default "";

    /**
     * The name of a method of the same interface that returns the wait a server asked for (HTTP
     * {@code Retry-After}, gRPC pushback): {@code Duration name(Throwable failure)}, {@code
     * Duration name(R result)} for values {@link #retryOnResult()} rejects, or one of each. It
     * replaces the computed wait and its jitter; {@link #maxDelay()} and {@link #maxDuration()}
     * still apply. {@code null} or a negative duration: the computed wait. Default {@code ""}.
     */
    String waitFrom() default "";
}
