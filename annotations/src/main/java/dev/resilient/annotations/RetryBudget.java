package dev.resilient.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Retries of the methods it covers draw on one budget per {@link #name()} per context, so that a
 * fleet of clients does not multiply a struggling remote's load. A retry is allowed when the
 * retries made in the last {@link #window()} (this one included) do not exceed {@link #ratio()}
 * × the calls started in the last {@code window} (this one included) plus {@link #minPerSecond()}
 * × {@code window} in seconds. A refused retry is not made and no wait precedes the refusal: the
 * caller gets the last failure (or the value {@code retryOnResult} rejected), as when attempts run
 * out. A method without {@code @Retryable} ignores the budget.
 *
 * <p>On an interface, applies to every abstract method it declares or inherits; a method's own
 * {@code @RetryBudget} replaces the interface's.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RetryBudget {
    /**
     * Budgets of one name in one context are one; {@code ""} = the interface's name within its
     * package, nested names joined by '.', as in {@code "WeatherClient"}.
     */
    String name() default "";

    /** Retries allowed per call started in the window, in {@code [0, 1000]}; default 0.2. */
    double ratio() default 0.2;

    /** Retries allowed per second of the window whatever the calls, {@code >= 0}; default 10. */
    int minPerSecond() default 10;

    /**
     * The sliding window calls and retries are counted over, as a duration string, between 1s
     * and 60s; default {@code "10s"}. It is kept in ten buckets, so an event leaves it 0.9 to 1.0
     * × {@code window} after it happened.
     */
    String window() default "10s";
}
