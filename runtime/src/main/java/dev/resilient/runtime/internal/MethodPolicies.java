package dev.resilient.runtime.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One method's whole policy stack, built by its {@link MethodPlan} over one delegate or a
 * failover's: the calls that need more than the loop generated code writes inline — methods with
 * a timeout, a bulkhead or a fallback, every method of a failover, every asynchronous method.
 *
 * <p>The stack is composed here, in the contract's order, of levels that each hold their
 * blocking and asynchronous behaviour: {@link Fallback} → {@link Retry} or {@link Hedge} →
 * {@link Failover} (a pass over the delegates) → {@link Lane} (per delegate: Breaker → RateLimit →
 * Timeout → Bulkhead → delegate).
 * {@link #call} blocks like the delegate's own method and throws what it would; {@link
 * #callAsync} blocks no thread, and its state is an {@link AsyncCall}.
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
    final ContextCore core;
    final Failover<D> failover;
    final Retry retry;
    final Hedge<D> hedge;
    final Fallback fallback;

    /** @param retry {@code hedge} and {@code fallback} likewise: {@code null} when the method has none */
    MethodPolicies(String method, ContextCore core, Failover<D> failover, Retry retry, Hedge<D> hedge, Fallback fallback) {
        this.method = method;
        this.core = core;
        this.failover = failover;
        this.retry = retry;
        this.hedge = hedge;
        this.fallback = fallback;
    }

    /**
     * The delegates of a failover, the primary first, each checked.
     *
     * @throws NullPointerException naming {@code primary}, {@code backups}, or a {@code null} backup
     */
    public static <D> List<D> delegates(D primary, D[] backups) {
        List<D> delegates = new ArrayList<>();
        delegates.add(Objects.requireNonNull(primary, "primary"));
        for (D backup : Objects.requireNonNull(backups, "backups")) {
            delegates.add(Objects.requireNonNull(backup, "backups must not contain null"));
        }
        return List.copyOf(delegates);
    }

    /**
     * Makes the call, blocking: returns what an attempt (or the fallback) returned, or throws the
     * failure itself, which can only be one the delegate's method declares, or unchecked.
     *
     * @param fallbackCall the {@code @Fallback} method, or {@code null}
     */
    public <T> T call(Attempt<D, T> attempt, FallbackCall<T> fallbackCall) {
        try {
            try {
                return hedge != null ? hedge.call(attempt) : retry == null ? failover.pass(attempt, 1, null) : retry.call(failover, attempt);
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

    /**
     * Starts the call without blocking, through the same levels in the same order; never throws.
     *
     * @param fallbackCall the {@code @Fallback} method, or {@code null}
     */
    public <T> CompletableFuture<T> callAsync(Attempt<D, ? extends CompletionStage<? extends T>> attempt,
            FallbackCall<? extends CompletionStage<? extends T>> fallbackCall) {
        return new AsyncCall<>(this, attempt, fallbackCall, 1, null, null).start();
    }

    /**
     * For a {@link Hedge}: attempt {@code number} of {@code race} as one pass, alone, without
     * blocking, once {@link AsyncCall#start() started}. A breaker's rejection of it has
     * {@code lastFailure} (or none) as its cause. Once the race is over it moves on to no further
     * delegate, and an attempt that ends then ends as cancelled.
     */
    <T> AsyncCall<D, T> hedgedPass(Attempt<D, ? extends CompletionStage<? extends T>> attempt, int number, Throwable lastFailure,
            Hedge<?>.Race<?> race) {
        return new AsyncCall<>(this, attempt, null, number, lastFailure, race);
    }

    @Override
    public String toString() {
        return "MethodPolicies[" + method + "]";
    }
}
