package dev.resilient.runtime.internal;

import dev.resilient.runtime.AttemptTimeoutException;
import dev.resilient.runtime.ResilienceContext;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounds each attempt of one method. A synchronous attempt runs on the context's executor while
 * the caller waits for it with a deadline: no timer is involved, so an attempt that ends in time
 * leaves nothing behind.
 */
public final class Timeout {
    private final String method;
    private final long timeoutNanos;
    private final Executor executor;
    private final ContextCore core;

    /** The work of one attempt. */
    @FunctionalInterface
    interface Attempt<T> {
        T run() throws Throwable;
    }

    private Timeout(String method, long timeoutNanos, ContextCore core) {
        this.method = method;
        this.timeoutNanos = timeoutNanos;
        this.executor = core.executor();
        this.core = core;
    }

    /** @throws IllegalArgumentException when {@code timeout} is not positive */
    public static Timeout create(ResilienceContext context, String method, Duration timeout) {
        long nanos = Checks.nonNegativeNanos("timeout", timeout);
        if (nanos == 0) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return new Timeout(Objects.requireNonNull(method, "method"), nanos, ContextCore.of(context));
    }

    long nanos() {
        return timeoutNanos;
    }

    /** The failure of an attempt that ran out of time, synchronous or asynchronous. */
    AttemptTimeoutException failure() {
        return new AttemptTimeoutException(method + " took longer than its timeout of " + Duration.ofNanos(timeoutNanos));
    }

    /** Tells the listener that an attempt ran out of time. */
    void reportTimedOut() {
        core.listener().timeout(method, timeoutNanos);
    }

    /**
     * Runs {@code attempt} on the executor and returns its result, or throws what it threw (the
     * same instance), or {@link AttemptTimeoutException} once the timeout has passed, in which
     * case the attempt's thread is interrupted. The attempt may keep running if it ignores the
     * interrupt; the caller does not wait for it.
     *
     * <p>A caller interrupted while it waits cancels the attempt the same way, keeps its
     * interrupt flag, and gets a {@link CancellationException}.
     */
    <T> T call(Attempt<T> attempt) {
        FutureTask<T> task = new FutureTask<>(() -> {
            try {
                return attempt.run();
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable other) {
                throw new Carrier(other); // a Throwable that is neither: Callable cannot throw it
            }
        });
        executor.execute(task);
        try {
            return task.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException failed) {
            Throwable failure = failed.getCause();
            throw Rethrow.unchecked(failure instanceof Carrier carrier ? carrier.getCause() : failure);
        } catch (TimeoutException late) {
            task.cancel(true);
            reportTimedOut();
            throw failure();
        } catch (InterruptedException interrupted) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for " + method);
        }
    }

    /** Carries a Throwable that is neither an Exception nor an Error out of a Callable. */
    private static final class Carrier extends Exception {
        private static final long serialVersionUID = 1L;

        Carrier(Throwable carried) {
            super(carried);
        }
    }

    @Override
    public String toString() {
        return "Timeout[" + method + " " + Duration.ofNanos(timeoutNanos) + "]";
    }
}
