package dev.resilient.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * At most {@link #permits()} attempts start per {@link #per()}: a token bucket of {@code permits}
 * tokens, full when the first wrapper declares it, refilled evenly (one token every
 * {@code per / permits}), shared by {@link #name()} in one context. An attempt that finds no token
 * within {@link #maxWait()} fails with {@code RateLimitedException}, which is never retried and
 * which breakers count as neither success nor failure.
 *
 * <p>On an interface, applies to every abstract method it declares or inherits; a method's own
 * {@code @RateLimit} replaces the interface's.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RateLimit {
    /** Attempts allowed per {@link #per()}, and the tokens the bucket holds. At least 1; default 100. */
    int permits() default 100;

    /** The period {@link #permits()} are refilled in, as a duration string; longer than 0; default {@code "1s"}. */
    String per() default "1s";

    /**
     * How long an attempt may wait for a token, as a duration string. Default {@code "0"}: it
     * does not wait. Asynchronous methods require {@code "0"}.
     */
    String maxWait() default "0";

    /**
     * Limits of one name in one context share their tokens; {@code ""} = the method's name as in
     * listener events, {@code "WeatherClient.forecast"}.
     */
    String name() default "";
}
