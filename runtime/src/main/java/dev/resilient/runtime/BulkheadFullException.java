package dev.resilient.runtime;

/**
 * Thrown when a call cannot enter a bulkhead in time. Never retried; a circuit breaker counts it
 * as neither success nor failure, since it is local saturation and not the remote's fault.
 */
public final class BulkheadFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was full, and for how long the call waited */
    public BulkheadFullException(String message) {
        super(message, null, false, false);
    }
}
