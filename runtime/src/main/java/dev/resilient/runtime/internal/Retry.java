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

    private Retry(RetrySpec spec, ContextCore core) {
        this.spec = spec;
        this.core = core;
        this.time = core.time();
        this.listener = core.listener();
    }

    /** The retry of one method, waiting with {@code context}'s time. */
    public static Retry create(ResilienceContext context, RetrySpec spec) {
        return new Retry(java.util.Objects.requireNonNull(spec, "spec"), ContextCore.of(context));
    }

    /** Where the call's {@code maxDuration} budget starts; the clock is read only if there is one. */
    public long start() {
        return spec.maxDurationNanos() == RetrySpec.UNSET ? 0 : time.nanoTime();
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
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (!spec.retries(failure)) {
            return false;
        }
        if (attempt >= spec.maxAttempts()) {
            listener.retriesExhausted(spec.method(), attempt, failure);
            return false;
        }
        long wait = jitter(spec.cappedWait(attempt));
        long budget = spec.maxDurationNanos();
        if (budget != RetrySpec.UNSET && wait > budget - (time.nanoTime() - start)) {
            listener.retriesExhausted(spec.method(), attempt, failure);
            return false;
        }
        listener.retry(spec.method(), attempt, failure, wait);
        try {
            time.sleep(wait);
            return true;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
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
