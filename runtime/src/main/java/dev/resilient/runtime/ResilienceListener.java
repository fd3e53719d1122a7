package dev.resilient.runtime;

import java.time.Duration;

/**
 * Told what the policies of a {@link ResilienceContext} do. Every method has an empty default, so
 * a listener implements only what it needs.
 *
 * <p>Methods are called on the thread that made the call (or changed the breaker's state),
 * outside any lock. Whatever a listener throws — exceptions, checked ones thrown sneakily, errors
 * other than {@link VirtualMachineError} — is caught and dropped: it never changes a call. The first
 * such failure of each listener and event is logged as a warning by the {@code System.Logger}
 * {@code "dev.resilient"}; later ones of that listener and event are not logged again.
 *
 * <p>{@code method} names are {@code "Interface.method"}, as in {@code "WeatherClient.forecast"};
 * for overloaded methods the parameter types follow, as in {@code "Store.get(String,int)"}.
 */
public interface ResilienceListener {
    /**
     * An attempt of a method with a policy ended: {@code failure} is {@code null} when the delegate
     * answered. {@code attempt} 1 is the call's first, so counting those counts calls, except under
     * failover: there an attempt is a pass over the delegates, and each delegate the pass tries is
     * told here with the pass's number, after {@link #onFailoverAttempt} named it. Not reported
     * for methods without any policy, which call the delegate directly.
     */
    default void onAttempt(String method, int attempt, Throwable failure) {}

    /**
     * An attempt of a retried method failed and the call will be attempted again after
     * {@code wait}. The wait has not begun yet.
     *
     * @param attempt the number of the attempt that failed, the first being 1
     * @param failure what it threw; {@code null} when it returned a value that {@code retryOnResult} rejected
     */
    default void onRetry(String method, int attempt, Throwable failure, Duration wait) {}

    /**
     * A retried call ended with a failure that retry would have retried, because the attempts or
     * the {@code maxDuration} budget ran out. The caller now receives {@code failure}.
     *
     * @param attempts the attempts made
     * @param failure the last failure; {@code null} when the last attempt returned a value that
     *     {@code retryOnResult} rejected, which the caller now receives
     */
    default void onRetriesExhausted(String method, int attempts, Throwable failure) {}

    /** A breaker rejected an attempt without calling the delegate. */
    default void onRejected(String breaker, CircuitOpenException rejection) {}

    /**
     * An attempt through a breaker with a {@code slowCall} ended in at least that long: {@code took}
     * from the breaker's admission to its end, by the context's time. Told whatever the attempt's
     * outcome, before the breaker records it; not told for failures the breaker skips.
     */
    default void onSlowCall(String breaker, Duration took) {}

    /** A breaker changed state. */
    default void onStateChange(String breaker, CircuitBreaker.State from, CircuitBreaker.State to) {}

    /** A method's bulkhead was full: the attempt failed with {@link BulkheadFullException}. */
    default void onBulkheadFull(String method) {}

    /**
     * A rate limit had no token for an attempt within its {@code maxWait}: the attempt failed with
     * {@link RateLimitedException}, and the next token comes in {@code nextTokenIn}.
     */
    default void onRateLimited(String limiter, Duration nextTokenIn) {}

    /**
     * The retry budget {@code budget} refused a retry of {@code method}: no wait was made, and the
     * caller gets the last failure (or rejected value), as when attempts run out.
     */
    default void onRetryBudgetExhausted(String method, String budget) {}

    /** An attempt took longer than its {@code @Timeout} and failed with {@link AttemptTimeoutException}. */
    default void onTimeout(String method, Duration timeout) {}

    /**
     * A synchronous attempt ran out of time and its delegate had not returned when its thread was
     * interrupted: the caller has its {@link AttemptTimeoutException}, and the attempt keeps its
     * thread until the delegate returns. While 64 attempts of one method are abandoned that way,
     * further attempts of it fail at once with {@code AttemptTimeoutException} instead of taking
     * another thread.
     *
     * @param stillRunning the abandoned attempts of this method still running, this one included
     */
    default void onAttemptAbandoned(String method, int stillRunning) {}

    /** The call failed and its {@code @Fallback} method is called instead. */
    default void onFallback(String method, Throwable failure) {}

    /**
     * Under failover: attempt {@code attempt} of the call goes to delegate {@code delegate} (0 is
     * the primary; delegates whose breaker is open are skipped and not reported).
     */
    default void onFailoverAttempt(String method, int attempt, int delegate) {}

    /**
     * A {@code @Hedge}d call starts attempt {@code attempt} (2 or more) while the earlier ones run:
     * none of them answered within the hedge's delay, or one just failed. Each attempt is then told
     * to {@link #onAttempt} like any other; those that lose the race end with a
     * {@link java.util.concurrent.CancellationException}.
     */
    default void onHedge(String method, int attempt) {}
}
