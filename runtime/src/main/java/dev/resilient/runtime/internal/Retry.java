package dev.resilient.runtime.internal;

import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.TimeSource;

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
 *         if (!retry.retry(failure, attempt, start)) {
 *             throw failure;
 *         }
 *     }
 * }
 * }</pre>
 */
public final class Retry {
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
        return new Retry(core.configure(java.util.Objects.requireNonNull(spec, "spec")), core);
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
        long wait = nextWait(failure, attempt, start);
        if (wait < 0) {
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
     * The wait before attempting the call again after {@code failure}, or {@code -1} to give up;
     * tells the listener. Waits nothing itself: asynchronous calls schedule the wait.
     */
    long nextWait(Throwable failure, int attempt, long start) {
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return -1;
        }
        if (!spec.retries(failure)) {
            return -1;
        }
        if (attempt >= spec.maxAttempts()) {
            listener.retriesExhausted(spec.method(), attempt, failure);
            return -1;
        }
        long wait = jitter(spec.cappedWait(attempt));
        long budget = spec.maxDurationNanos();
        if (budget != RetrySpec.UNSET && wait > budget - (time.nanoTime() - start)) {
            listener.retriesExhausted(spec.method(), attempt, failure);
            return -1;
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
