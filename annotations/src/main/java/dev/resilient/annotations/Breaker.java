package dev.resilient.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Guards calls with a circuit breaker.
 *
 * <p>The breaker is {@code CLOSED} while calls go well. Too many failures open it: while
 * {@code OPEN}, calls are rejected with {@code CircuitOpenException} without reaching the
 * delegate. Once {@link #openFor()} has elapsed it is {@code HALF_OPEN}: exactly
 * {@link #halfOpenCalls()} trial calls go through; if all succeed it closes, any failure opens it
 * again.
 *
 * <p>Three modes decide when it opens. In consecutive mode (the default) it opens after
 * {@link #failureThreshold()} failures in a row. In the rate modes it counts the calls in a
 * window — the last {@link #window()} calls, or the calls of the last {@link #windowDuration()} —
 * and opens when failures / calls reaches {@link #failureRate()}, or slow calls / calls reaches
 * {@link #slowCallRate()}, once at least {@link #minimumCalls()} calls are in the window.
 *
 * <p>A failure listed in {@link #failOn()} (and not in {@link #skipOn()}) counts against the
 * breaker; one in {@code skipOn} counts as neither success nor failure; any other failure counts
 * as a success (the remote answered, the caller made a mistake). Every failure still reaches the
 * caller.
 *
 * <p>On an interface, applies to every abstract method it declares or inherits; a method's own
 * {@code @Breaker} replaces the interface's.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Breaker {
    /**
     * Breakers with one name in one {@code ResilienceContext} share their state. The default
     * {@code ""} names a breaker per method: the interface's name within its package (nested names
     * joined by {@code .}), a {@code .}, and the method's name, for example
     * {@code "WeatherClient.forecast"}; where the interface has several methods of that name, the
     * simple erased parameter types follow in parentheses, as in {@code "Store.get(String,int)"},
     * and qualified erased types where two such overloads would still read alike, as in
     * {@code "Dates.format(java.util.Date)"} beside {@code "Dates.format(java.sql.Date)"}. Every
     * method's name is unique in its interface; listener events and configuration override keys
     * use the same name.
     */
    String name() default "";

    /** Consecutive mode: failures in a row that open the breaker. At least 1; default 5. */
    int failureThreshold() default 5;

    /**
     * A value above 0 selects rate mode and is the number of most recent calls counted. Default 0.
     * Not with {@link #windowDuration()}.
     */
    int window() default 0;

    /**
     * Rate modes: the breaker opens when failures / calls in the window is at least this. In
     * {@code (0, 1]}; default 0.5. Only with {@link #window()} or {@link #windowDuration()}.
     */
    double failureRate() default 0.5;

    /**
     * Rate modes: no decision is taken before this many calls are in the window. In
     * {@code 1..window}, or at least 1 with {@link #windowDuration()}; the default, -1, means
     * {@code window}, or 10 with {@code windowDuration}. Only with a window.
     */
    int minimumCalls() default -1;

    /**
     * Time spent {@code OPEN}, as a duration string, before trial calls are let through (at exactly
     * {@code openFor} too). Default {@code "30s"}.
     */
    String openFor() default "30s";

    /** Trial calls admitted while {@code HALF_OPEN}; all must succeed to close. At least 1; default 1. */
    int halfOpenCalls() default 1;

    /**
     * A duration of at least {@code "10ms"}: time-based rate mode over the calls that ended in the
     * last {@code windowDuration}. The window is kept in 10 equal buckets, so a call leaves it
     * between 0.9 and 1.0 × {@code windowDuration} after it ended. Not with {@link #window()}.
     * Default {@code ""}: none.
     */
    String windowDuration() default "";

    /**
     * A duration above 0: an attempt that ends in at least this long is slow, whatever its outcome
     * (a skipped failure is not counted at all). Rate modes only. Default {@code ""}: no call is slow.
     */
    String slowCall() default "";

    /**
     * The breaker opens when slow calls / calls in the window is at least this, in {@code (0, 1]};
     * default 1.0. Only with {@link #slowCall()}. A slow trial call in {@code HALF_OPEN} opens the
     * breaker again, as a failure does.
     */
    double slowCallRate() default 1.0;

    /**
     * A duration above 0: {@code HALF_OPEN} lasts at most this from its first trial call; trial
     * calls not settled by then leave the breaker {@code OPEN} again, and their late outcomes change
     * nothing. Default {@code ""}: until the trial calls settle.
     */
    String maxHalfOpen() default "";

    /**
     * Each re-opening from {@code HALF_OPEN} stays open this many times longer than the previous
     * one; closing resets the time open to {@link #openFor()}. At least 1.0; default 1.0.
     */
    double openForMultiplier() default 1.0;

    /**
     * Cap on the time open once multiplied by {@link #openForMultiplier()}; when set, at least
     * {@link #openFor()}. Default {@code ""}: no cap.
     */
    String maxOpenFor() default "";

    /** Failures that count against the breaker, subclasses included. Default: every {@link Throwable}. */
    Class<? extends Throwable>[] failOn() default {Throwable.class};

    /**
     * Failures that count as neither success nor failure (a trial call's permit is returned);
     * wins over {@link #failOn()}. Default none.
     */
    Class<? extends Throwable>[] skipOn() default {};

    /**
     * The name of a method of the same interface, {@code boolean name(R result)} (R: the method's
     * return type, or its stage's value type; a supertype is fine), called on the wrapper with
     * each value an attempt returns: {@code true} records that attempt as a failure, whatever
     * {@link #failOn()} lists; the caller still receives the value. Default {@code ""}.
     */
    String failOnResult() default "";
}
