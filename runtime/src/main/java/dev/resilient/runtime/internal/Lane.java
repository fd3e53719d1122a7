package dev.resilient.runtime.internal;

import dev.resilient.runtime.CircuitOpenException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One delegate with its own breaker and bulkhead, and the method's rate limit and timeout: one
 * attempt on it, Breaker → RateLimit → Timeout → Bulkhead → delegate, told to the listener and
 * then recorded by the breaker. A plain wrapper has one lane; a failover has one per delegate,
 * all sharing the one rate limit of its name.
 */
final class Lane<D> {
    private final String method;
    private final Listeners listener;
    private final int index;
    private final D delegate;
    private final Breaker breaker;
    private final RateLimiter limiter;
    private final Timeout timeout;
    private final Bulkhead bulkhead;
    private final Outcomes outcomes;

    /**
     * @param breaker {@code limiter}, {@code timeout} and {@code bulkhead} likewise: {@code null} when the method has none
     * @param index the delegate's place among a failover's, 0 for the primary
     * @param outcomes what the interface's methods say of the values attempts return
     */
    Lane(String method, Listeners listener, int index, D delegate, Breaker breaker, RateLimiter limiter, Timeout timeout, Bulkhead bulkhead,
            Outcomes outcomes) {
        this.method = method;
        this.listener = listener;
        this.index = index;
        this.delegate = delegate;
        this.breaker = breaker;
        this.limiter = limiter;
        this.timeout = timeout;
        this.bulkhead = bulkhead;
        this.outcomes = outcomes;
    }

    Breaker breaker() {
        return breaker;
    }

    /** The delegate's place among a failover's, as listeners are told it. */
    int index() {
        return index;
    }

    /**
     * Leave for an attempt on this delegate.
     *
     * @throws CircuitOpenException when its breaker is open, caused by {@code lastFailure}
     */
    Permit acquire(Throwable lastFailure) {
        return breaker == null ? Permit.NONE : breaker.acquire(lastFailure);
    }

    /**
     * Blocking: attempt {@code number} of the call, holding {@code permit}; returns or throws what
     * it did, or an {@link Outcomes.Rejected} for a value that {@code retryOnResult} rejected.
     */
    <T> T call(MethodPolicies.Attempt<D, T> attempt, Permit permit, int number) throws Throwable {
        T value;
        try {
            if (limiter != null && limiter.acquire()) {
                permit.restart(); // a token wait is local: it is no part of a slow call
            }
            value = timeout == null ? inBulkhead(attempt) : timeout.call(() -> inBulkhead(attempt));
        } catch (Throwable failure) {
            listener.attempt(method, number, failure);
            permit.failed(failure);
            throw failure;
        }
        listener.attempt(method, number, null);
        Throwable rejected = outcomes.settle(value, permit);
        if (rejected != null) {
            throw rejected;
        }
        return value;
    }

    private <T> T inBulkhead(MethodPolicies.Attempt<D, T> attempt) throws Throwable {
        if (bulkhead == null) {
            return attempt.run(delegate);
        }
        bulkhead.enter();
        try {
            return attempt.run(delegate);
        } finally {
            bulkhead.exit();
        }
    }

    /**
     * Non-blocking: starts attempt {@code call.number()} on this delegate, holding {@code permit};
     * its end goes to {@link Failover#laneEnded} once recorded.
     *
     * @param starting whether this runs inside the call's start, before the caller has the future
     *     and so before it can be cancelled (a hedged attempt's race can end, though, once a second
     *     attempt may run: the first starts inside the call's start, before its hedge's timer is armed)
     */
    <T> void callAsync(AsyncCall<D, T> call, Permit permit, int index, CircuitOpenException rejection, boolean starting) {
        if (starting && (!call.hedged() || call.number() == 1) && limiter == null && timeout == null && bulkhead == null) {
            // Nobody can cancel the call yet, and there is no token, deadline or slot to take: a delegate
            // that has answered already is settled without a callback.
            CompletionStage<? extends T> stage = invoke(call);
            if (Stages.answered(stage)) {
                CompletableFuture<? extends T> answered = (CompletableFuture<? extends T>) stage;
                ended(call, permit, index, rejection, Stages.valueOf(answered), Stages.failureOf(answered));
                return;
            }
            InFlight<T> pending = new InFlight<>(call, permit, index, rejection);
            call.inFlight(pending);
            pending.began(stage);
            return;
        }
        InFlight<T> next = new InFlight<>(call, permit, index, rejection);
        call.inFlight(next);
        if (call.isOver()) {
            next.cancelledByCaller(); // cancelled just now: it never starts
        } else {
            next.begin();
        }
    }

    /** The delegate's stage; what it throws or a {@code null} becomes a failed stage. */
    private <T> CompletionStage<? extends T> invoke(AsyncCall<D, T> call) {
        try {
            CompletionStage<? extends T> stage = call.attempt().run(delegate);
            return stage != null ? stage : CompletableFuture.failedFuture(new NullPointerException(method + " returned null instead of a stage"));
        } catch (Throwable thrown) {
            return CompletableFuture.failedFuture(thrown);
        }
    }

    /** Records how an attempt ended, then hands the call on. */
    private <T> void ended(AsyncCall<D, T> call, Permit permit, int index, CircuitOpenException rejection, T value, Throwable failure) {
        if (call.isOver()) {
            // The caller cancelled: whatever the attempt did, it counts as neither success nor failure.
            CancellationException cancelled = new CancellationException(method + " was cancelled by its caller");
            listener.attempt(method, call.number(), cancelled);
            permit.failed(cancelled);
            return;
        }
        listener.attempt(method, call.number(), failure);
        if (failure == null) {
            failure = outcomes.settle(value, permit);
        } else {
            permit.failed(failure);
        }
        call.laneEnded(index, rejection, value, failure);
    }

    /**
     * One asynchronous attempt in flight. It ends once, with the first of its stage's outcome, its
     * deadline and its caller's cancellation; its bulkhead slot is held until the delegate's stage
     * really completes.
     */
    private final class InFlight<T> implements AsyncCall.Cancellable {
        private static final VarHandle ENDED;
        private static final VarHandle HOLDS_SLOT;

        static {
            try {
                ENDED = MethodHandles.lookup().findVarHandle(Lane.InFlight.class, "ended", boolean.class);
                HOLDS_SLOT = MethodHandles.lookup().findVarHandle(Lane.InFlight.class, "holdsSlot", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final AsyncCall<D, T> call;
        private final Permit permit;
        private final int index;
        private final CircuitOpenException rejection;
        private volatile boolean ended;
        private volatile boolean holdsSlot;
        private volatile Runnable timer;
        private volatile CompletionStage<? extends T> stage;

        InFlight(AsyncCall<D, T> call, Permit permit, int index, CircuitOpenException rejection) {
            this.call = call;
            this.permit = permit;
            this.index = index;
            this.rejection = rejection;
        }

        /** Takes a token, arms the deadline, takes a slot, calls the delegate; a refusal fails the attempt before the delegate. */
        void begin() {
            try {
                if (limiter != null) {
                    limiter.acquire(); // never waits: an asynchronous method's maxWait is 0
                }
                if (timeout != null) {
                    timer = timeout.arm(this::deadline);
                }
                if (bulkhead != null) {
                    bulkhead.enter();
                    holdsSlot = true;
                }
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable refused) {
                cancelTimer(); // armed before a refusal, or after a cancellation that could not see it yet
                end(null, refused);
                return;
            }
            if (ended) {
                // Cancelled by its caller while it took its token, deadline and slot (the cancellation may not
                // have seen the timer yet): nothing starts, no timer is left queued, the slot is given back.
                cancelTimer();
                releaseSlot();
                return;
            }
            began(invoke(call));
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

        private void deadline() {
            if (claim()) {
                ended(call, permit, index, rejection, null, timeout.expired(stage));
            }
        }

        @Override
        public void cancelledByCaller() {
            if (claim()) {
                cancelTimer();
                CompletionStage<? extends T> started = stage;
                if (started != null) {
                    Stages.cancel(started);
                }
                ended(call, permit, index, rejection, null, null); // the call is over: recorded as cancelled
            }
        }

        private void end(T value, Throwable failure) {
            if (claim()) {
                cancelTimer();
                ended(call, permit, index, rejection, value, failure);
            }
        }

        private boolean claim() {
            return ENDED.compareAndSet(this, false, true);
        }

        /** Gives the bulkhead slot back once, though a stage of a user's may call back twice at once. */
        private void releaseSlot() {
            if (HOLDS_SLOT.compareAndSet(this, true, false)) {
                bulkhead.exit();
            }
        }

        private void cancelTimer() {
            Runnable armed = timer;
            if (armed != null) {
                armed.run();
            }
        }
    }
}
