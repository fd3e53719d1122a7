package dev.resilient.runtime.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The state of one asynchronous call as it passes down and back up its method's levels —
 * Fallback, Retry or Hedge, Failover, Lane — each of which holds its own asynchronous behaviour: this only
 * carries what the call has done so far and hands it from one level to the next.
 *
 * <p>The returned future is always completed, with the failure itself as its cause. Once the
 * caller cancels it nothing more starts: the scheduled wait is dropped, the attempt in flight (or
 * starting) and the fallback's stage are cancelled.
 */
final class AsyncCall<D, T> {
    /** What the caller's cancellation must stop. */
    interface Cancellable {
        void cancelledByCaller();
    }

    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final MethodPolicies<D> policies;
    private final MethodPolicies.Attempt<D, ? extends CompletionStage<? extends T>> attempt;
    private final MethodPolicies.FallbackCall<? extends CompletionStage<? extends T>> fallbackCall;
    /** The race this call is one hedged attempt of, or {@code null}. */
    private final Hedge<?>.Race<?> race;
    /** The call's progress: written by whichever thread continues it, one step after another. */
    private long start;
    private int number;
    private Throwable lastFailure;
    private boolean watched;
    private volatile Runnable pendingWait;
    private volatile Cancellable inFlight;
    private volatile CompletionStage<?> fallbackStage;

    AsyncCall(MethodPolicies<D> policies, MethodPolicies.Attempt<D, ? extends CompletionStage<? extends T>> attempt,
            MethodPolicies.FallbackCall<? extends CompletionStage<? extends T>> fallbackCall, int number, Throwable lastFailure,
            Hedge<?>.Race<?> race) {
        this.policies = policies;
        this.race = race;
        this.attempt = attempt;
        this.fallbackCall = fallbackCall;
        this.number = number;
        this.lastFailure = lastFailure;
    }

    CompletableFuture<T> start() {
        try {
            if (policies.hedge != null) {
                policies.hedge.callAsync(this);
                return result;
            }
            start = policies.retry == null ? 0 : policies.retry.start();
            policies.failover.passAsync(this, 0, null, null, true);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable unexpected) {
            Stages.complete(result, null, unexpected); // whatever went wrong, the call completes
        }
        return result;
    }

    MethodPolicies.Attempt<D, ? extends CompletionStage<? extends T>> attempt() {
        return attempt;
    }

    /** The number of the attempt being made, the first being 1. */
    int number() {
        return number;
    }

    /** The failure of the previous attempt, or {@code null}. */
    Throwable lastFailure() {
        return lastFailure;
    }

    /** Where the call's {@code maxDuration} budget started. */
    long startedAt() {
        return start;
    }

    /**
     * Whether the call has its outcome: completed, or cancelled by its caller; a hedged attempt's
     * also once its race is over, which cancels it as soon as it can (it may be starting still).
     */
    boolean isOver() {
        return result.isDone() || race != null && race.isOver();
    }

    /** Whether this is a hedged attempt, which its race may stop at any time, while it starts too. */
    boolean hedged() {
        return race != null;
    }

    /** The returned future: a {@link Hedge} races its attempts' futures for it. */
    CompletableFuture<T> result() {
        return result;
    }

    /** An attempt now in flight, for the caller's cancellation to stop. */
    void inFlight(Cancellable attempt) {
        inFlight = attempt;
        watchCancellation();
    }

    /** From a lane: its attempt ended, and was recorded. */
    void laneEnded(int index, dev.resilient.runtime.CircuitOpenException rejection, T value, Throwable failure) {
        policies.failover.laneEnded(this, index, rejection, value, failure);
    }

    void succeed(T value) {
        Stages.complete(result, value, null);
    }

    /** From the failover: the attempt (one pass) failed with {@code failure}. */
    void passFailed(Throwable failure) {
        if (isOver()) {
            return;
        }
        if (policies.retry == null) {
            finish(failure);
        } else {
            policies.retry.passFailed(this, failure, policies.failover.admission());
        }
    }

    /** From the retry: the next attempt comes after a wait, once {@link #waited} says so. */
    void waiting(Throwable failure) {
        lastFailure = Outcomes.failure(failure);
        number++;
        watchCancellation();
    }

    /** From the retry: the wait before the next attempt is scheduled, and cancels it. */
    void waitScheduled(Runnable cancel) {
        pendingWait = cancel;
        if (isOver()) {
            cancel.run(); // cancelled while scheduling
        }
    }

    /** The wait is over: the next attempt. */
    void waited() {
        try {
            policies.failover.passAsync(this, 0, null, null, false);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable unexpected) {
            Stages.complete(result, null, unexpected);
        }
    }

    /** Every policy below the fallback has failed with {@code failure}. */
    @SuppressWarnings("unchecked")
    void finish(Throwable failure) {
        if (isOver()) {
            return; // cancelled: no fallback
        }
        if (failure instanceof Outcomes.Rejected rejected) {
            succeed((T) rejected.value); // retrying ended on a value retryOnResult rejected: the caller gets it
            return;
        }
        if (policies.fallback == null) {
            Stages.complete(result, null, failure);
            return;
        }
        CompletionStage<?> stage = policies.fallback.callAsync(fallbackCall, failure, result);
        fallbackStage = stage;
        if (stage != null && result.isCancelled()) {
            Stages.cancel(stage);
        } else if (stage != null && !result.isDone()) {
            watchCancellation(); // a call that falls back before its caller has the future has watched nothing yet
        }
    }

    /**
     * From the first moment the call waits for anything, cancelling its future stops what is
     * pending. A call answered at once never needs this.
     */
    private void watchCancellation() {
        if (watched) {
            return;
        }
        watched = true;
        result.handle((value, failure) -> { // handle, not whenComplete: no CompletionException built around a failure
            if (result.isCancelled()) {
                Runnable wait = pendingWait;
                if (wait != null) {
                    wait.run();
                }
                Cancellable attempt = inFlight;
                if (attempt != null) {
                    attempt.cancelledByCaller();
                }
                CompletionStage<?> fallback = fallbackStage;
                if (fallback != null) {
                    Stages.cancel(fallback);
                }
            }
            return null;
        });
    }
}
