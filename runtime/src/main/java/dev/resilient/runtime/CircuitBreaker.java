package dev.resilient.runtime;

import java.time.Duration;
import java.util.Optional;

/**
 * A circuit breaker that generated wrappers declared in a {@link ResilienceContext}, found with
 * {@link ResilienceContext#breaker(String)}.
 */
public interface CircuitBreaker {
    /** The states of a breaker. */
    enum State {
        /** Calls go through; failures are counted. */
        CLOSED,
        /** Calls are rejected with {@link CircuitOpenException} without reaching the delegate. */
        OPEN,
        /** A limited number of trial calls go through to decide between closing and opening again. */
        HALF_OPEN
    }

    /** The breaker's name, shared by every method that declared it in this context. */
    String name();

    /**
     * The current state. An {@code OPEN} breaker whose open time has elapsed reports
     * {@code HALF_OPEN}: the next call would be admitted as a trial call.
     */
    State state();

    /**
     * Opens the breaker and holds it open, rejecting every call, until {@link #reset()}: a
     * forced breaker does not move to {@code HALF_OPEN} on its own.
     */
    void forceOpen();

    /** Closes the breaker and forgets the failures counted so far. */
    void reset();

    /**
     * How long from now the breaker rejects every call: zero unless it is {@code OPEN}; empty while
     * it is held open until {@link #reset()}.
     */
    Optional<Duration> timeLeftOpen();

    /**
     * The settings in force, configuration overrides applied, as a user would write them:
     * {@code {failureThreshold=4, openFor=PT1S, halfOpenCalls=1, failOn=[IOException], skipOn=[]}}.
     */
    String settings();
}
