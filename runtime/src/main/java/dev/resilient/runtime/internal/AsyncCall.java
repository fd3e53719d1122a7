package dev.resilient.runtime.internal;

import dev.resilient.runtime.CircuitOpenException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One asynchronous call through a method's policies, in the order of the blocking one — Fallback
 * → Retry → Failover → Breaker → Timeout → Bulkhead → delegate — without blocking a thread: waits
 * and deadlines are scheduled through the context, and each attempt continues the call when its
 * stage completes.
 *
 * <p>The returned future is always completed, with the failure itself as its cause. Once the
 * caller cancels it nothing more starts: no retry is announced or scheduled, no fallback is
 * called, and the attempt in flight (or starting) is cancelled, its permit settled at once and
 * its bulkhead slot held until the delegate's stage really completes.
 */
final class AsyncCall<D, T> {
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final MethodPolicies<D> policies;
    private final MethodPolicies.Attempt<D, ? extends CompletionStage<? extends T>> attempt;
    private final MethodPolicies.FallbackCall<? extends CompletionStage<? extends T>> fallbackCall;
    /** The call's progress: written by whichever thread continues it, one step after another. */
    private long start;
    private int number = 1;
    private Throwable lastFailure;
    private boolean watched;
    /** What the caller's cancellation must stop: the scheduled wait, the attempt or the fallback in flight. */
    private volatile Runnable pendingWait;
    private volatile InFlight inFlight;
    private volatile CompletionStage<?> fallbackStage;

    AsyncCall(MethodPolicies<D> policies, MethodPolicies.Attempt<D, ? extends CompletionStage<? extends T>> attempt,
            MethodPolicies.FallbackCall<? extends CompletionStage<? extends T>> fallbackCall) {
        this.policies = policies;
        this.attempt = attempt;
        this.fallbackCall = fallbackCall;
    }

    CompletableFuture<T> start() {
        try {
            start = policies.retry == null ? 0 : policies.retry.start();
            pass(0, null, null, true);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable unexpected) {
            Stages.complete(result, null, unexpected); // whatever went wrong, the call completes
        }
        return result;
    }

    /**
     * Failover: tries delegate {@code index} and the ones after it, for one attempt.
     *
     * @param starting whether this runs inside {@link #start()}, before the caller has the future
     *     and so before it can be cancelled
     */
    private void pass(int index, Throwable passFailure, CircuitOpenException rejection, boolean starting) {
        if (result.isDone()) {
            return;
        }
        Delegates<D> delegates = policies.delegates;
        if (index == delegates.size()) {
            attemptFailed(passFailure != null ? passFailure : rejection);
            return;
        }
        Permit permit;
        try {
            permit = delegates.acquire(index, lastFailure); // Breaker
        } catch (CircuitOpenException open) {
            pass(index + 1, passFailure, open, starting);
            return;
        }
        if (delegates.failover()) {
            policies.listener.failoverAttempt(policies.method, number, index);
        }
        Bulkhead bulkhead = delegates.bulkhead(index);
        if (starting && policies.timeout == null && bulkhead == null) {
            // Nobody can cancel the call yet, and there is no deadline or slot to keep: a delegate
            // that has answered already is settled without a callback.
            CompletionStage<? extends T> stage = invoke(index);
            if (Stages.answered(stage)) {
                CompletableFuture<? extends T> answered = (CompletableFuture<? extends T>) stage;
                ended(permit, index, rejection, Stages.valueOf(answered), Stages.failureOf(answered));
                return;
            }
            InFlight pending = new InFlight(permit, index, rejection, null);
            inFlight = pending;
            watchCancellation();
            pending.began(stage);
            return;
        }
        InFlight next = new InFlight(permit, index, rejection, bulkhead);
        inFlight = next;
        watchCancellation();
        if (result.isDone()) {
            next.cancelledByCaller(); // cancelled between the check above and now: it never starts
        } else {
            next.begin();
        }
    }

    /** The delegate's stage; what it throws or a {@code null} becomes a failed stage. */
    private CompletionStage<? extends T> invoke(int index) {
        try {
            return Objects.requireNonNull(attempt.run(policies.delegates.delegate(index)),
                    () -> policies.method + " returned null instead of a stage");
        } catch (Throwable thrown) {
            return CompletableFuture.failedFuture(thrown);
        }
    }

    /** An attempt on delegate {@code index} ended: record it, then complete the call, move on, or retry. */
    private void ended(Permit permit, int index, CircuitOpenException rejection, T value, Throwable failure) {
        if (result.isDone()) {
            // The caller cancelled: whatever the attempt did, it counts as neither success nor failure.
            CancellationException cancelled = new CancellationException(policies.method + " was cancelled by its caller");
            policies.listener.attempt(policies.method, number, cancelled);
            permit.failed(cancelled);
            return;
        }
        policies.listener.attempt(policies.method, number, failure);
        if (failure == null) {
            permit.succeeded();
            Stages.complete(result, value, null);
            return;
        }
        permit.failed(failure);
        if (policies.delegates.movesOn(policies.retry, failure)) {
            pass(index + 1, failure, rejection, false);
        } else {
            attemptFailed(failure);
        }
    }

    /** Retry: the attempt failed with {@code failure}; wait and attempt again, or finish. */
    private void attemptFailed(Throwable failure) {
        if (result.isDone()) {
            return;
        }
        Retry retry = policies.retry;
        Admission next = policies.delegates.admission();
        long wait = retry == null ? Retry.GIVE_UP : retry.nextWait(failure, number, start, next);
        if (wait == Retry.HOPELESS) {
            finish(next.rejection(failure));
            return;
        }
        if (wait == Retry.GIVE_UP) {
            finish(failure);
            return;
        }
        lastFailure = failure;
        number++;
        watchCancellation();
        Runnable scheduled;
        try {
            scheduled = policies.core.schedule(this::nextAttempt, wait);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable refused) {
            finish(refused); // the scheduler refused the wait: the call cannot go on
            return;
        }
        pendingWait = scheduled;
        if (result.isDone()) {
            scheduled.run(); // cancelled while scheduling
        }
    }

    private void nextAttempt() {
        try {
            pass(0, null, null, false);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable unexpected) {
            Stages.complete(result, null, unexpected);
        }
    }

    /** Fallback: every other policy has failed with {@code failure}. */
    private void finish(Throwable failure) {
        if (result.isDone()) {
            return; // cancelled: no fallback
        }
        if (policies.fallback == null) {
            Stages.complete(result, null, failure);
            return;
        }
        fallbackStage = policies.fallback.callAsync(fallbackCall, failure, result);
        if (result.isCancelled() && fallbackStage != null) {
            Stages.cancel(fallbackStage);
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
                InFlight attempt = inFlight;
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

    /**
     * One attempt on one delegate in flight: Timeout → Bulkhead → delegate. It ends once, with the
     * first of its stage's outcome, its deadline and its caller's cancellation; its bulkhead slot
     * is held until the delegate's stage really completes.
     */
    private final class InFlight {
        private static final VarHandle ENDED;

        static {
            try {
                ENDED = MethodHandles.lookup().findVarHandle(AsyncCall.InFlight.class, "ended", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Permit permit;
        private final int index;
        private final CircuitOpenException rejection;
        private final Bulkhead bulkhead;
        private volatile boolean ended;
        private volatile boolean holdsSlot;
        private volatile Runnable timer;
        private volatile CompletionStage<? extends T> stage;

        InFlight(Permit permit, int index, CircuitOpenException rejection, Bulkhead bulkhead) {
            this.permit = permit;
            this.index = index;
            this.rejection = rejection;
            this.bulkhead = bulkhead;
        }

        /** Arms the deadline, takes a slot, calls the delegate; a refusal of either fails the attempt before the delegate. */
        void begin() {
            try {
                if (policies.timeout != null) {
                    timer = policies.timeout.arm(this::deadline);
                }
                if (bulkhead != null) {
                    bulkhead.enter();
                    holdsSlot = true;
                }
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable refused) {
                end(null, refused);
                return;
            }
            began(invoke(index));
        }

        /** The delegate has returned its stage: the attempt ends when it completes. */
        void began(CompletionStage<? extends T> started) {
            stage = started;
            if (ended) {
                Stages.cancel(started); // its deadline passed, or its caller cancelled, while it started
            }
            Stages.observe(started, (T value, Throwable failure) -> {
                releaseSlot();
                end(value, failure);
                return null;
            });
        }

        private void releaseSlot() {
            if (holdsSlot) {
                holdsSlot = false;
                bulkhead.exit();
            }
        }

        /** At the deadline, unless the attempt ended first. */
        private void deadline() {
            if (claim()) {
                policies.timeout.reportTimedOut();
                cancelStage();
                ended(permit, index, rejection, null, policies.timeout.failure());
            }
        }

        void cancelledByCaller() {
            if (claim()) {
                cancelTimer();
                cancelStage();
                ended(permit, index, rejection, null, null); // the call is done: recorded as cancelled
            }
        }

        private void end(T value, Throwable failure) {
            if (claim()) {
                cancelTimer();
                ended(permit, index, rejection, value, failure);
            }
        }

        private boolean claim() {
            return ENDED.compareAndSet(this, false, true);
        }

        private void cancelTimer() {
            Runnable armed = timer;
            if (armed != null) {
                armed.run();
            }
        }

        private void cancelStage() {
            CompletionStage<? extends T> started = stage;
            if (started != null) {
                Stages.cancel(started);
            }
        }
    }
}
