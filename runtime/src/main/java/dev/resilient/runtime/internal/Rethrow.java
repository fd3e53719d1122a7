package dev.resilient.runtime.internal;

/**
 * Throws a failure that generated code holds in a variable of type {@code Throwable}, unchanged.
 *
 * <p>Generated code uses it only where the failure can only be what the delegate's own method
 * declares (or unchecked), but the compiler cannot see that: after the failover pass, or when an
 * attempt ran on another thread.
 */
public final class Rethrow {
    private Rethrow() {}

    /**
     * Throws {@code failure} itself; declared to return an exception only so that callers can
     * write {@code throw Rethrow.unchecked(failure)}.
     */
    public static RuntimeException unchecked(Throwable failure) {
        throw Rethrow.<RuntimeException>sneaky(failure);
    }

    @SuppressWarnings("unchecked")
    private static <X extends Throwable> X sneaky(Throwable failure) throws X {
        throw (X) failure;
    }
}
