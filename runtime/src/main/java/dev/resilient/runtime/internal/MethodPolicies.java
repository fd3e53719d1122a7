package dev.resilient.runtime.internal;

import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ResilienceContext;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

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

    final String method;
    final Listeners listener;
    final ContextCore core;
    final Delegates<D> delegates;
    final Retry retry;
    final Timeout timeout;
    final Fallback fallback;

    private MethodPolicies(Builder<D> builder) {
        this.method = builder.method;
        this.core = builder.core;
        this.listener = builder.core.listener();
        this.delegates = new Delegates<>(builder.delegates, builder.breakers, builder.bulkheads);
        this.retry = builder.retry;
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
     * Makes the call, blocking, through Fallback → Retry → Failover → Breaker → Timeout →
     * Bulkhead → delegate: returns what an attempt (or the fallback) returned, or throws the
     * failure itself, which can only be one the delegate's method declares, or unchecked.
     *
     * @param fallbackCall the {@code @Fallback} method, or {@code null}
     */
    public <T> T call(Attempt<D, T> attempt, FallbackCall<T> fallbackCall) {
        try {
            try {
                return attempts(attempt);
            } catch (Throwable failure) {
                if (fallback == null) {
                    throw failure;
                }
                return fallback.call(fallbackCall, failure);
            }
        } catch (Throwable failure) {
            throw Rethrow.unchecked(failure);
        }
    }

    /** Retry: attempts until one answers or retrying stops. */
    private <T> T attempts(Attempt<D, T> attempt) throws Throwable {
        long start = retry == null ? 0 : retry.start();
        Throwable lastFailure = null;
        for (int number = 1; ; number++) {
            try {
                return pass(attempt, number, lastFailure);
            } catch (Throwable failure) {
                if (retry == null || !retry.retryThrough(failure, number, start, delegates.admission())) {
                    throw failure;
                }
                lastFailure = failure;
            }
        }
    }

    /**
     * Failover: one attempt is one pass over the delegates in order, skipping those whose breaker
     * is open and moving on at once after a failure the retry would retry.
     */
    private <T> T pass(Attempt<D, T> attempt, int number, Throwable lastFailure) throws Throwable {
        Throwable passFailure = null;
        CircuitOpenException rejection = null;
        for (int index = 0; index < delegates.size(); index++) {
            Permit permit;
            try {
                permit = delegates.acquire(index, lastFailure); // Breaker
            } catch (CircuitOpenException open) {
                rejection = open;
                continue;
            }
            if (delegates.failover()) {
                listener.failoverAttempt(method, number, index);
            }
            try {
                T value = once(attempt, index);
                listener.attempt(method, number, null);
                permit.succeeded();
                return value;
            } catch (Throwable failure) {
                listener.attempt(method, number, failure);
                permit.failed(failure);
                if (!delegates.movesOn(retry, failure)) {
                    throw failure;
                }
                passFailure = failure;
            }
        }
        throw passFailure != null ? passFailure : rejection;
    }

    /** Timeout → Bulkhead → delegate {@code index}. */
    private <T> T once(Attempt<D, T> attempt, int index) throws Throwable {
        D delegate = delegates.delegate(index);
        Bulkhead bulkhead = delegates.bulkhead(index);
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
     * Starts the call without blocking, through the same policies in the same order; never
     * throws. See {@link AsyncCall}.
     *
     * @param fallbackCall the {@code @Fallback} method, or {@code null}
     */
    public <T> CompletableFuture<T> callAsync(Attempt<D, ? extends CompletionStage<? extends T>> attempt,
            FallbackCall<? extends CompletionStage<? extends T>> fallbackCall) {
        return new AsyncCall<>(this, attempt, fallbackCall).start();
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
