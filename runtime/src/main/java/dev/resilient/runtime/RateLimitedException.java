package dev.resilient.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown when an attempt finds no token of a rate limit within its {@code maxWait}. Never
 * retried; a circuit breaker counts it as neither success nor failure, since the remote was not
 * called.
 */
public final class RateLimitedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Duration nextTokenIn;

    /**
     * @param message the limiter's name and when its next token comes
     * @param nextTokenIn how long from the refusal until the next token is free
     */
    public RateLimitedException(String message, Duration nextTokenIn) {
        super(message, null, false, false);
        this.nextTokenIn = Objects.requireNonNull(nextTokenIn, "nextTokenIn");
    }

    /** How long from the refusal until the limiter's next token was free. */
    public Duration nextTokenIn() {
        return nextTokenIn;
    }
}
