package dev.resilient.runtime;

import java.time.Duration;
import java.util.Locale;

/**
 * Thrown instead of calling the delegate while a circuit breaker is open, or while it is
 * half-open and its trial calls are taken. Never retried.
 *
 * <p>When it rejects an attempt after earlier attempts of the same call failed, its
 * {@linkplain #getCause() cause} is the last of those failures. It carries no stack trace: it is
 * thrown often, by design, and says where it comes from in its message.
 */
public final class CircuitOpenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String breakerName;
    private final CircuitBreaker.State state;
    private final long remainingNanos;

    /**
     * @param breakerName the breaker that rejected the call
     * @param state the breaker's state then, {@code OPEN} or {@code HALF_OPEN}
     * @param remainingNanos how long it stays open; {@code Long.MAX_VALUE} when held open until reset
     * @param cause the last failure of the same call, or {@code null}
     */
    public CircuitOpenException(String breakerName, CircuitBreaker.State state, long remainingNanos, Throwable cause) {
        super(null, cause, false, false);
        this.breakerName = breakerName;
        this.state = state;
        this.remainingNanos = remainingNanos;
    }

    /** The name of the breaker that rejected the call. */
    public String breakerName() {
        return breakerName;
    }

    /** The breaker's state when it rejected the call: {@code OPEN} or {@code HALF_OPEN}. */
    public CircuitBreaker.State state() {
        return state;
    }

    /**
     * How long the breaker stays open from the rejection on; zero when it was half-open;
     * {@code null} when it is held open until reset.
     */
    public Duration remaining() {
        return remainingNanos == Long.MAX_VALUE ? null : Duration.ofNanos(remainingNanos);
    }

    /** Built when asked for, so that a rejection costs one object and no string. */
    @Override
    public String getMessage() {
        if (state == CircuitBreaker.State.HALF_OPEN) {
            return "circuit breaker '" + breakerName + "' is HALF_OPEN and its trial calls are taken";
        }
        if (remainingNanos == Long.MAX_VALUE) {
            return "circuit breaker '" + breakerName + "' is held OPEN until reset";
        }
        return String.format(Locale.ROOT, "circuit breaker '%s' is OPEN for another %.3f s", breakerName, remainingNanos / 1e9);
    }
}
