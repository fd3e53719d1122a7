package dev.resilient.runtime;

/** Thrown to the caller when one attempt takes longer than its {@code @Timeout}. */
public final class AttemptTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message which attempt timed out, and after how long */
    public AttemptTimeoutException(String message) {
        super(message);
    }
}
