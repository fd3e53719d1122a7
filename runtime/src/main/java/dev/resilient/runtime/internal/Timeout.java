package dev.resilient.runtime.internal;

import dev.resilient.runtime.AttemptTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds each attempt of one method.
 *
 * <p>A synchronous attempt runs on the context's executor while the caller waits for it with a
 * deadline: no timer is involved, so an attempt that ends in time leaves nothing behind. At the
 * deadline the caller gets {@link AttemptTimeoutException} and the attempt's thread is
 * interrupted; if the delegate ignores that, the attempt is abandoned and keeps its thread until
 * it returns. At most {@link #MAX_ABANDONED} attempts of a method are abandoned at once: while
 * that many still run, further attempts fail at once instead of taking another thread.
 *
 * <p>An asynchronous attempt is bounded by a timer {@linkplain #arm armed} through the context:
 * no extra thread, and {@code ManualTime} drives it.
 */
final class Timeout {
    /** Abandoned attempts of one method that may hold a thread at once. */
    static final int MAX_ABANDONED = 64;

    private final String method;
    private final long timeoutNanos;
    private final Executor executor;
    private final ContextCore core;
    private final AtomicInteger abandoned = new AtomicInteger();

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
    static Timeout create(ContextCore core, String method, Duration timeout) {
        Settings settings = Settings.of("Timeout").checked(Attribute.TIMEOUT, Objects.requireNonNull(timeout, "timeout"));
        return new Timeout(Objects.requireNonNull(method, "method"), settings.nanos(Attribute.TIMEOUT, 0), core);
    }

    /** The failure of an attempt that ran out of time, synchronous or asynchronous. */
    private AttemptTimeoutException failure() {
        return new AttemptTimeoutException(method + " took longer than its timeout of " + Duration.ofNanos(timeoutNanos));
    }

    private void reportTimedOut() {
        core.listener().timeout(method, timeoutNanos);
    }

    /**
     * An asynchronous attempt's deadline has passed before its stage completed: tells the
     * listener, cancels the delegate's stage where it lets itself be ({@code null} when the
     * delegate has not returned it yet), and gives the failure the attempt ends with.
     */
    AttemptTimeoutException expired(CompletionStage<?> stage) {
        reportTimedOut();
        if (stage != null) {
            Stages.cancel(stage);
        }
        return failure();
    }

    /**
     * Runs {@code onDeadline} when an asynchronous attempt's time is up, on the context's executor
     * (inside {@code advance()} under {@code ManualTime}).
     *
     * @return cancels the timer, leaving nothing queued
     * @throws java.util.concurrent.RejectedExecutionException when the scheduler refuses the timer
     */
    Runnable arm(Runnable onDeadline) {
        return core.schedule(onDeadline, timeoutNanos);
    }

    /**
     * Runs {@code attempt} on the executor and returns its result, or throws what it threw (the
     * same instance), or {@link AttemptTimeoutException} once the timeout has passed.
     *
     * <p>A caller interrupted while it waits gives the attempt up the same way, keeps its interrupt
     * flag, and gets a {@link CancellationException}.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the executor refuses the attempt
     */
    <T> T call(Attempt<T> attempt) throws Throwable {
        if (abandoned.get() >= MAX_ABANDONED) {
            throw new AttemptTimeoutException(method + " was not attempted: " + MAX_ABANDONED
                    + " of its attempts timed out and still run, ignoring their interrupts");
        }
        Running<T> running = new Running<>(attempt);
        executor.execute(running);
        try {
            if (running.await(timeoutNanos)) {
                return running.outcome();
            }
        } catch (InterruptedException interrupted) {
            running.giveUp(); // counted while it still runs, but not reported: it did not time out
            throw Interruptible.interruptedWaiting(method);
        }
        int stillRunning = running.giveUp();
        if (stillRunning < 0) {
            return running.outcome(); // it ended just as the deadline passed
        }
        reportTimedOut();
        reportAbandoned(stillRunning);
        throw failure();
    }

    private void reportAbandoned(int stillRunning) {
        if (stillRunning > 0) {
            core.listener().attemptAbandoned(method, stillRunning);
        }
    }

    /** One synchronous attempt on the executor's thread. */
    private final class Running<T> extends Interruptible {
        private final Attempt<T> attempt;
        private final CountDownLatch ended = new CountDownLatch(1);
        /** Written before {@link #ended} counts down, read after it has. */
        private T value;
        private Throwable failure;
        private int stillRunning;

        Running(Attempt<T> attempt) {
            this.attempt = attempt;
        }

        @Override
        void work() {
            try {
                value = attempt.run();
            } catch (Throwable thrown) {
                failure = thrown;
            }
        }

        @Override
        void ended() {
            ended.countDown();
        }

        @Override
        void interrupting() {
            stillRunning = abandoned.incrementAndGet();
        }

        @Override
        void interruptCleared() {
            abandoned.decrementAndGet();
        }

        boolean await(long nanos) throws InterruptedException {
            return ended.await(nanos, TimeUnit.NANOSECONDS);
        }

        T outcome() {
            if (failure != null) {
                throw Rethrow.unchecked(failure);
            }
            return value;
        }

        /**
         * The caller stops waiting: an attempt still running is interrupted and counted as
         * abandoned until it returns; one not started yet never starts.
         *
         * @return -1 when the attempt had ended; otherwise the abandoned attempts of the method
         *     still running, this one included (0 when it had not started)
         */
        int giveUp() {
            return switch (stop()) {
                case NOT_STARTED -> 0;
                case ENDED -> {
                    await(); // its outcome is written, or about to be
                    yield -1;
                }
                default -> stillRunning;
            };
        }

        private void await() {
            boolean interrupted = false;
            for (;;) {
                try {
                    ended.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "Timeout[" + method + " " + Duration.ofNanos(timeoutNanos) + "]";
    }
}
