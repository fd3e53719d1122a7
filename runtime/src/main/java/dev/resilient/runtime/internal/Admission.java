package dev.resilient.runtime.internal;

import dev.resilient.runtime.CircuitOpenException;

/**
 * What the next attempt of a call must pass: one breaker, or under failover every delegate's.
 * Retry asks it before waiting, so that no wait is made that cannot lead to an attempt.
 */
interface Admission {
    /**
     * How long from now no attempt would be let through: 0 when one would be now (or the breaker
     * is half-open), {@code Long.MAX_VALUE} while held open until reset.
     */
    long openNanos();

    /**
     * The rejection that ends a call whose next attempt could not pass in time, caused by the
     * call's last failure; listeners hear of it as of any rejection.
     */
    CircuitOpenException rejection(Throwable lastFailure);
}
