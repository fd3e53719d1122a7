package dev.resilient.runtime.internal;

/**
 * Leave for one attempt to reach the delegate, from {@link Breaker#acquire(Throwable)}. The
 * attempt settles it exactly once, with {@link #succeeded()} or {@link #failed(Throwable)},
 * whatever it ends with.
 *
 * <p>A closed breaker hands every caller the same permit, so acquiring one allocates nothing.
 */
public abstract class Permit {
    Permit() {}

    /** The attempt returned normally. */
    public abstract void succeeded();

    /** The attempt threw {@code failure}; the breaker classifies it. */
    public abstract void failed(Throwable failure);
}
