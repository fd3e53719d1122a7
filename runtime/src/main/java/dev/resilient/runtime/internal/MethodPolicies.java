package dev.resilient.runtime.internal;

import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ResilienceContext;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * The whole policy stack of one method — Fallback, Retry, Failover, Breaker, Timeout, Bulkhead —
 * for the calls that need more than the retry loop and breaker generated code writes inline:
 * methods with a timeout, a bulkhead or a fallback, every method of a failover, and every
 * asynchronous method.
 *
 * <p>{@link #call} blocks like the delegate's own method and throws what it would. {@link
 * #callAsync} blocks no thread: waits are scheduled through the context, a timeout fails the
 * attempt at the deadline without an extra thread, breakers record each attempt when its stage
 * completes, and a bulkhead slot is held until the delegate's stage completes. Its future is
 * always completed, with the failure itself (unwrapped from {@link CompletionException}) as the
 * cause; cancelling it stops further attempts.
 *
 * @param <D> the interface, whose delegates the call goes to
 */
public final class MethodPolicies<D> {
    /** One attempt on one delegate: generated code passes {@code delegate -> delegate.method(args)}. */
    @FunctionalInterface
    public interface Attempt<D, R> {
        R run(D delegate) throws Throwable;
    }

    /** The {@code @Fallback} method, called with the failure. */
    @FunctionalInterface
    public interface FallbackCall<R> {
        R run(Throwable failure) throws Throwable;
    }

    private final String method;
    private final ContextCore core;
    private final List<D> delegates;
    private final Retry retry;
    private final List<Breaker> breakers;
    private final List<Bulkhead> bulkheads;
    private final Timeout timeout;
    private final Fallback fallback;

    private MethodPolicies(Builder<D> builder) {
        this.method = builder.method;
        this.core = builder.core;
        this.delegates = builder.delegates;
        this.retry = builder.retry;
        this.breakers = builder.breakers;
        this.bulkheads = builder.bulkheads;
        this.timeout = builder.timeout;
        this.fallback = builder.fallback;
    }

    /** The policies of {@code method} ({@code "Interface.method"}) around one delegate. */
    public static <D> Builder<D> builder(ResilienceContext context, String method, D delegate) {
        return new Builder<>(ContextCore.of(context), method, List.of(Objects.requireNonNull(delegate, "delegate")));
    }

    /** The policies of {@code method} over failover delegates, the primary first. */
    public static <D> Builder<D> failoverBuilder(ResilienceContext context, String method, List<D> delegates) {
        return new Builder<>(ContextCore.of(context), method, delegates);
    }

    /**
     * Makes the call, blocking: returns what an attempt (or the fallback) returned, or throws the
     * failure itself, which can only be one the delegate's method declares, or unchecked.
     *
     * @param fallbackCall the {@code @Fallback} method, or {@code null}
     */
    public <T> T call(Attempt<D, T> attempt, FallbackCall<T> fallbackCall) {
        Throwable failure;
        try {
            return attempts(attempt);
        } catch (Throwable failed) {
            failure = failed;
        }
        if (fallback != null && fallbackCall != null && fallback.applies(failure)) {
            try {
                return fallbackCall.run(failure);
            } catch (Throwable fallbackFailure) {
                throw Rethrow.unchecked(fallbackFailure);
            }
        }
        throw Rethrow.unchecked(failure);
    }

    private <T> T attempts(Attempt<D, T> attempt) throws Throwable {
        long start = retry == null ? 0 : retry.start();
        Throwable lastFailure = null;
        for (int attemptNumber = 1; ; attemptNumber++) {
            Throwable passFailure = null;
            CircuitOpenException rejection = null;
            for (int index = 0; index < delegates.size(); index++) {
                Permit permit = null;
                if (!breakers.isEmpty()) {
                    try {
                        permit = breakers.get(index).acquire(lastFailure);
                    } catch (CircuitOpenException open) {
                        rejection = open;
                        continue;
                    }
                }
                if (delegates.size() > 1) {
                    core.listener().failoverAttempt(method, attemptNumber, index);
                }
                try {
                    T value = once(attempt, index);
                    if (permit != null) {
                        permit.succeeded();
                    }
                    core.listener().attempt(method, attemptNumber, null);
                    return value;
                } catch (Throwable failure) {
                    if (permit != null) {
                        permit.failed(failure);
                    }
                    core.listener().attempt(method, attemptNumber, failure);
                    if (delegates.size() > 1 && !Retry.movesOn(retry, failure)) {
                        throw failure; // a failure retry would not retry ends the call
                    }
                    passFailure = failure;
                }
            }
            Throwable failed = passFailure != null ? passFailure : rejection;
            if (retry == null || !retry.retry(failed, attemptNumber, start)) {
                throw failed;
            }
            lastFailure = failed;
        }
    }

    /** One attempt on delegate {@code index}: through its bulkhead, within the timeout. */
    private <T> T once(Attempt<D, T> attempt, int index) throws Throwable {
        D delegate = delegates.get(index);
        Bulkhead bulkhead = bulkheads.isEmpty() ? null : bulkheads.get(index);
        if (timeout == null) {
            return inBulkhead(attempt, delegate, bulkhead);
        }
        return timeout.call(() -> inBulkhead(attempt, delegate, bulkhead));
    }

    private static <D, T> T inBulkhead(Attempt<D, T> attempt, D delegate, Bulkhead bulkhead) throws Throwable {
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
     * Starts the call without blocking; never throws.
     *
     * @param fallbackCall the {@code @Fallback} method, or {@code null}
     */
    public <T> CompletableFuture<T> callAsync(Attempt<D, ? extends CompletionStage<? extends T>> attempt, FallbackCall<? extends CompletionStage<? extends T>> fallbackCall) {
        Execution<T> execution = new Execution<>(attempt, fallbackCall);
        execution.start();
        return execution.result;
    }

    /** The failure itself, out of the wrappers that stages put around it. */
    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** The state of one call. */
    private final class Execution<T> {
        final CompletableFuture<T> result = new CompletableFuture<>();
        private final Attempt<D, ? extends CompletionStage<? extends T>> attempt;
        private final FallbackCall<? extends CompletionStage<? extends T>> fallbackCall;
        private long start;
        private int attemptNumber = 1;
        private Throwable lastFailure;
        private boolean watched;
        private volatile Runnable pending = () -> {};
        private volatile CompletionStage<? extends T> inFlight;

        Execution(Attempt<D, ? extends CompletionStage<? extends T>> attempt, FallbackCall<? extends CompletionStage<? extends T>> fallbackCall) {
            this.attempt = attempt;
            this.fallbackCall = fallbackCall;
        }

        void start() {
            try {
                start = retry == null ? 0 : retry.start();
                pass(0, null, null);
            } catch (Throwable failure) {
                result.completeExceptionally(failure); // a listener or classifier threw: the call still completes
            }
        }

        /**
         * From the first moment the call waits for anything, cancelling its future cancels the
         * scheduled retry and the stage in flight. A call answered at once never needs this.
         */
        private void watchCancellation() {
            if (!watched) {
                watched = true;
                result.whenComplete((value, failure) -> {
                    if (result.isCancelled()) {
                        pending.run();
                        if (inFlight instanceof CompletableFuture<?> future) {
                            future.cancel(true);
                        }
                    }
                });
            }
        }

        /** Tries delegate {@code index} and on, for one attempt. */
        private void pass(int index, Throwable passFailure, CircuitOpenException rejection) {
            if (result.isDone()) {
                return;
            }
            if (index == delegates.size()) {
                attemptFailed(passFailure != null ? passFailure : rejection);
                return;
            }
            Permit permit = null;
            if (!breakers.isEmpty()) {
                try {
                    permit = breakers.get(index).acquire(lastFailure);
                } catch (CircuitOpenException open) {
                    pass(index + 1, passFailure, open);
                    return;
                }
            }
            if (delegates.size() > 1) {
                core.listener().failoverAttempt(method, attemptNumber, index);
            }
            Bulkhead bulkhead = bulkheads.isEmpty() ? null : bulkheads.get(index);
            boolean entered = false;
            CompletionStage<? extends T> stage;
            try {
                if (bulkhead != null) {
                    bulkhead.enter();
                    entered = true;
                }
                stage = Objects.requireNonNull(attempt.run(delegates.get(index)), () -> method + " returned null instead of a stage");
            } catch (Throwable thrown) {
                if (entered) {
                    bulkhead.exit(); // whatever the delegate threw, even its own BulkheadFullException
                }
                stage = CompletableFuture.failedFuture(thrown);
                bulkhead = null;
            }
            if (bulkhead == null && timeout == null && stage instanceof CompletableFuture<? extends T> done && done.isDone()) {
                settleNow(done, permit, index, rejection); // answered at once: no callback, no timer
                return;
            }
            watchCancellation();
            CompletionStage<? extends T> running = stage;
            inFlight = running;
            CompletableFuture<T> outcome = new CompletableFuture<>();
            Bulkhead held = bulkhead;
            running.whenComplete((value, failure) -> {
                if (held != null) {
                    held.exit(); // the slot is held until the delegate's stage completes, timed out or not
                }
                if (failure == null) {
                    outcome.complete(value);
                } else {
                    outcome.completeExceptionally(unwrap(failure));
                }
            });
            Runnable cancelTimer = timeout == null ? () -> {} : core.scheduleShort(() -> {
                if (outcome.completeExceptionally(timeout.failure())) {
                    timeout.reportTimedOut();
                    if (running instanceof CompletableFuture<?> future) {
                        future.cancel(true);
                    }
                }
            }, timeout.nanos());
            Permit settled = permit;
            outcome.whenComplete((value, failure) -> {
                cancelTimer.run();
                try {
                    settle(value, failure == null ? null : unwrap(failure), settled, index, rejection);
                } catch (Throwable unexpected) {
                    result.completeExceptionally(unexpected);
                }
            });
        }

        private void settleNow(CompletableFuture<? extends T> done, Permit permit, int index, CircuitOpenException rejection) {
            T value = null;
            Throwable failure = null;
            try {
                value = done.join();
            } catch (CompletionException | java.util.concurrent.CancellationException failed) {
                failure = unwrap(failed);
            }
            settle(value, failure, permit, index, rejection);
        }

        /** Records the attempt's outcome, then completes the call, moves on, or retries. */
        private void settle(T value, Throwable failure, Permit permit, int index, CircuitOpenException rejection) {
            if (failure == null) {
                if (permit != null) {
                    permit.succeeded();
                }
                core.listener().attempt(method, attemptNumber, null);
                result.complete(value);
                return;
            }
            if (permit != null) {
                permit.failed(failure);
            }
            core.listener().attempt(method, attemptNumber, failure);
            if (delegates.size() == 1) {
                attemptFailed(failure);
            } else if (Retry.movesOn(retry, failure)) {
                pass(index + 1, failure, rejection); // the next delegate, at once
            } else {
                finish(failure); // a failure retry would not retry ends the call
            }
        }

        /** The attempt (one pass) failed with {@code failure}: wait and try again, or finish. */
        private void attemptFailed(Throwable failure) {
            long wait = retry == null ? -1 : retry.nextWait(failure, attemptNumber, start);
            if (wait < 0 || result.isDone()) {
                finish(failure);
                return;
            }
            lastFailure = failure;
            attemptNumber++;
            watchCancellation();
            pending = core.schedule(() -> {
                try {
                    pass(0, null, null);
                } catch (Throwable unexpected) {
                    result.completeExceptionally(unexpected);
                }
            }, wait);
            if (result.isDone()) {
                pending.run(); // cancelled while scheduling
            }
        }

        /** Every policy has failed with {@code failure}: fall back, or fail the call. */
        private void finish(Throwable failure) {
            if (fallback == null || fallbackCall == null || !fallback.applies(failure)) {
                result.completeExceptionally(failure);
                return;
            }
            CompletionStage<? extends T> stage;
            try {
                stage = Objects.requireNonNull(fallbackCall.run(failure), () -> method + "'s fallback returned null instead of a stage");
            } catch (Throwable thrown) {
                stage = CompletableFuture.failedFuture(thrown);
            }
            stage.whenComplete((value, fallbackFailure) -> {
                if (fallbackFailure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(unwrap(fallbackFailure));
                }
            });
        }
    }

    /** Builds an {@link MethodPolicies}; the policies a method does not have are left out. */
    public static final class Builder<D> {
        private final ContextCore core;
        private final String method;
        private final List<D> delegates;
        private Retry retry;
        private List<Breaker> breakers = List.of();
        private List<Bulkhead> bulkheads = List.of();
        private Timeout timeout;
        private Fallback fallback;

        private Builder(ContextCore core, String method, List<D> delegates) {
            this.core = core;
            this.method = Objects.requireNonNull(method, "method");
            this.delegates = List.copyOf(delegates);
            if (this.delegates.isEmpty()) {
                throw new IllegalArgumentException("delegates must not be empty");
            }
        }

        public Builder<D> retry(Retry retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** The breaker of the only delegate. */
        public Builder<D> breaker(Breaker breaker) {
            requireOneDelegate("breaker");
            return breakers(List.of(Objects.requireNonNull(breaker, "breaker")));
        }

        /** One per delegate. */
        public Builder<D> breakers(List<Breaker> breakers) {
            this.breakers = checkedPerDelegate("breakers", breakers);
            return this;
        }

        /** The bulkhead of the only delegate. */
        public Builder<D> bulkhead(Bulkhead bulkhead) {
            requireOneDelegate("bulkhead");
            return bulkheads(List.of(Objects.requireNonNull(bulkhead, "bulkhead")));
        }

        /** One per delegate. */
        public Builder<D> bulkheads(List<Bulkhead> bulkheads) {
            this.bulkheads = checkedPerDelegate("bulkheads", bulkheads);
            return this;
        }

        public Builder<D> timeout(Timeout timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder<D> fallback(Fallback fallback) {
            this.fallback = Objects.requireNonNull(fallback, "fallback");
            return this;
        }

        private void requireOneDelegate(String policy) {
            if (delegates.size() != 1) {
                throw new IllegalArgumentException(policy + "(...) is for one delegate, and there are " + delegates.size()
                        + ": use " + policy + "s(...) with one per delegate");
            }
        }

        private <P> List<P> checkedPerDelegate(String argument, List<P> policies) {
            if (policies.size() != delegates.size()) {
                throw new IllegalArgumentException(argument + " must have one entry per delegate (" + delegates.size()
                        + "), had " + policies.size());
            }
            return List.copyOf(policies);
        }

        public MethodPolicies<D> build() {
            return new MethodPolicies<>(this);
        }
    }
}
