package dev.resilient.runtime.internal;

/**
 * Leave for one attempt to reach the delegate, from {@link Breaker#acquire(Throwable)}. The
 * attempt settles it exactly once, with {@link #succeeded()} or {@link #failed(Throwable)},
 * whatever it ends with.
 *
 * <p>A closed breaker hands every caller the same permit, so acquiring one allocates nothing.
 */
public abstract class Permit {
    /** The permit of an attempt that passes no breaker. */
    static final Permit NONE = new Permit() {
        @Override
        public void succeeded() {}

        @Override
        public void failed(Throwable failure) {}

        @Override
        Admission admission() {
            return null;
        }
    };

    Permit() {}

    /** The attempt returned normally. */
    public abstract void succeeded();

    /** The attempt threw {@code failure}; the breaker classifies it. */
    public abstract void failed(Throwable failure);

    /**
     * The attempt starts only now, after waiting for a rate-limit token since the breaker let it
     * through: a permit that times its attempt for {@code slowCall} starts timing again, so that
     * a local wait never makes the remote look slow (the wait does not count against
     * {@code @Timeout} either).
     */
    void restart() {}

    /** The breaker that handed it out, which the next attempt must pass; {@code null} for {@link #NONE}. */
    abstract Admission admission();
}
