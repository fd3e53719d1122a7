package dev.resilient.runtime.internal;

import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.TimeSource;
import java.util.Objects;

/**
 * The decisions of one method's retry loop. The loop itself is written into the generated
 * method, around the delegate call:
 *
 * <pre>{@code
 * long start = retry.start();
 * for (int attempt = 1; ; attempt++) {
 *     try {
 *         return delegate.method(args);
 *     } catch (Throwable failure) {
 *         if (!retry.retry(failure, attempt, start, breaker)) {
 *             throw failure;
 *         }
 *     }
 * }
 * }</pre>
 */
public final class Retry {
    /** {@link #nextWait}: give up, the caller gets the failure. */
    static final long GIVE_UP = -1;
    /** {@link #nextWait}: the next attempt could not pass its breakers after the wait; end with their rejection. */
    static final long HOPELESS = -2;

    private final RetrySpec spec;
    private final ContextCore core;
    private final TimeSource time;
    private final Listeners listener;
    private final boolean budgeted;

    private Retry(RetrySpec spec, ContextCore core) {
        this.spec = spec;
        this.core = core;
        this.time = core.time();
        this.listener = core.listener();
        this.budgeted = spec.maxDurationNanos() != RetrySpec.UNSET;
    }

    /** The retry of one method, waiting with {@code context}'s time. */
    public static Retry create(ResilienceContext context, RetrySpec spec) {
        ContextCore core = ContextCore.of(context);
        return new Retry(core.configure(Objects.requireNonNull(spec, "spec")), core);
    }

    /**
     * Whether {@code failure} moves a failover pass on to the next delegate: what this retry
     * would retry, attempts and budget aside; {@code retry} may be {@code null} (no
     * {@code @Retryable}), and then any {@link Exception} does.
     */
    public static boolean movesOn(Retry retry, Throwable failure) {
        return retry != null ? retry.spec.retries(failure) : RetrySpec.retriesAnyException(failure);
    }

    /** Where the call's {@code maxDuration} budget starts; the clock is read only if there is one. */
    public long start() {
        return budgeted ? time.nanoTime() : 0;
    }

    /**
     * Decides whether to attempt the call again after {@code failure}, and if so waits first.
     *
     * @param attempt the number of the attempt that failed, the first being 1
     * @param start what {@link #start()} returned when the call began
     * @return {@code true} to attempt again; {@code false} to throw {@code failure} to the caller,
     *     with the thread's interrupt flag set when an interrupt ended the retries
     */
    public boolean retry(Throwable failure, int attempt, long start) {
        return retry(failure, attempt, start, null);
    }

    /**
     * Like {@link #retry(Throwable, int, long)} for an attempt that passes {@code breaker}: when
     * the breaker stays open longer than the wait, no wait is made and the call ends at once.
     *
     * @throws dev.resilient.runtime.CircuitOpenException caused by {@code failure}, when the next
     *     attempt could not pass {@code breaker} after the wait
     */
    public boolean retry(Throwable failure, int attempt, long start, Breaker breaker) {
        return retryThrough(failure, attempt, start, breaker);
    }

    /** {@link #retry(Throwable, int, long, Breaker)} for any admission, failover's included; {@code next} may be null. */
    boolean retryThrough(Throwable failure, int attempt, long start, Admission next) {
        long wait = nextWait(failure, attempt, start, next);
        if (wait == HOPELESS) {
            throw next.rejection(failure);
        }
        if (wait == GIVE_UP) {
            return false;
        }
        try {
            time.sleep(wait);
            return true;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The wait before attempting the call again after {@code failure}, {@link #GIVE_UP} or
     * {@link #HOPELESS}; tells the listener of the retry or of the exhaustion. Waits nothing
     * itself: asynchronous calls schedule the wait.
     *
     * @param next what the next attempt must pass, or {@code null}
     */
    long nextWait(Throwable failure, int attempt, long start, Admission next) {
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return GIVE_UP;
        }
        if (!spec.retries(failure)) {
            return GIVE_UP;
        }
        if (attempt >= spec.maxAttempts()) {
            listener.retriesExhausted(spec.method(), attempt, failure);
            return GIVE_UP;
        }
        long wait = jitter(spec.cappedWait(attempt));
        long budget = spec.maxDurationNanos();
        if (budget != RetrySpec.UNSET && wait > budget - (time.nanoTime() - start)) {
            listener.retriesExhausted(spec.method(), attempt, failure);
            return GIVE_UP;
        }
        if (next != null && next.openNanos() > wait) {
            return HOPELESS;
        }
        listener.retry(spec.method(), attempt, failure, wait);
        return wait;
    }

    private long jitter(long wait) {
        return switch (spec.jitter()) {
            case NONE -> wait;
            case FULL -> core.randomUpTo(wait);
            case EQUAL -> wait - core.randomUpTo(wait - wait / 2);
        };
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
