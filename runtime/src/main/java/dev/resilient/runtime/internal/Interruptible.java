package dev.resilient.runtime.internal;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work of one attempt on an executor's thread that whoever started it may {@linkplain #stop()
 * stop}: work not started yet never starts; work running has its thread interrupted, and once it
 * returns the interrupt is cleared, so that it cannot reach whatever the thread runs next. A
 * timed-out attempt ({@link Timeout}) and a hedged attempt that lost its race ({@link Hedge}) are
 * stopped this way.
 */
abstract class Interruptible implements Runnable {
    /** {@link #stop()}: the work had not started, and never will. */
    static final int NOT_STARTED = 0;
    /** {@link #stop()}: the work had returned, or is returning. */
    static final int ENDED = 1;
    /** {@link #stop()}: the work was running, and its thread is interrupted. */
    static final int INTERRUPTED = 2;

    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;
    /** Stopped while running: its thread is being interrupted. */
    private static final int INTERRUPTING = 3;
    private static final int STOPPED = 4;

    private final AtomicInteger state = new AtomicInteger(NEW);
    private volatile Thread runner;

    @Override
    public final void run() {
        runner = Thread.currentThread();
        if (!state.compareAndSet(NEW, RUNNING)) {
            return; // stopped before it started: the delegate is not called
        }
        work();
        if (!state.compareAndSet(RUNNING, DONE)) {
            // Stopped while it ran: wait for the interrupt to land, then clear it.
            while (state.get() == INTERRUPTING) {
                Thread.onSpinWait();
            }
            Thread.interrupted();
            interruptCleared();
        }
        ended();
    }

    /** The attempt itself; never throws: it keeps its outcome for {@link #ended()}. */
    abstract void work();

    /** After {@link #work()} returned, whether or not it was stopped. */
    abstract void ended();

    /** Just before the thread of work that is being stopped is interrupted. */
    void interrupting() {}

    /** After the work of a stopped attempt returned and its thread's interrupt was cleared. */
    void interruptCleared() {}

    /**
     * Whether {@code failure} is the delegate's {@link InterruptedException}; if so, the thread's
     * interrupt flag, which throwing it cleared, is set again, so that a call ending without it
     * (retrying stopped, a fallback's answer) does not swallow the interrupt.
     */
    static boolean keepsInterrupt(Throwable failure) {
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return true;
        }
        return false;
    }

    /**
     * What a caller interrupted while it waited for such work gets, having stopped it: its
     * interrupt flag set again, and a {@link CancellationException}.
     */
    static CancellationException interruptedWaiting(String method) {
        Thread.currentThread().interrupt();
        return new CallerInterrupted("interrupted while waiting for " + method);
    }

    /**
     * The {@link CancellationException} of a caller interrupted while it
     * waited: like an {@link InterruptedException}, it is never retried and moves a failover pass
     * on to no further delegate ({@link RetrySpec}), since the caller asked to stop.
     */
    static final class CallerInterrupted extends CancellationException {
        private static final long serialVersionUID = 1L;

        CallerInterrupted(String message) {
            super(message);
        }
    }

    /** Stops the work; @return {@link #NOT_STARTED}, {@link #ENDED} or {@link #INTERRUPTED} */
    final int stop() {
        if (state.compareAndSet(NEW, STOPPED)) {
            return NOT_STARTED;
        }
        if (!state.compareAndSet(RUNNING, INTERRUPTING)) {
            return ENDED;
        }
        interrupting();
        runner.interrupt();
        state.set(STOPPED);
        return INTERRUPTED;
    }
}
