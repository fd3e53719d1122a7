package dev.resilient.runtime.internal;

/**
 * Throws a failure held in a variable of type {@code Throwable}, unchanged.
 *
 * <p>Used by {@link MethodPolicies}, {@link Timeout} and {@link Retry}, where the failure can only
 * be what the delegate's own method declares (or unchecked) but the compiler cannot see that:
 * after a failover pass, when an attempt ran on another thread, or for the inline loop.
 */
final class Rethrow {
    private Rethrow() {}

    /**
     * Throws {@code failure} itself; declared to return an exception only so that callers can
     * write {@code throw Rethrow.unchecked(failure)}.
     */
    static RuntimeException unchecked(Throwable failure) {
        throw Rethrow.<RuntimeException>sneaky(failure);
    }

    @SuppressWarnings("unchecked")
    private static <X extends Throwable> X sneaky(Throwable failure) throws X {
        throw (X) failure;
    }
}
