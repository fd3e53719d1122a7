package dev.resilient.runtime.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the interface's own methods say about an attempt's outcome, as {@code @Retryable}'s
 * {@code retryOnResult} and {@code waitFrom} and {@code @Breaker}'s {@code failOnResult} name
 * them. A wrapper builds one per method that names any, calling those methods on itself; the
 * lane asks it about every value an attempt returns, the retry about every wait. The loop a
 * wrapper writes out inline calls the methods that judge values itself, and its verdicts are
 * settled here by the same rules ({@link #settle(Object, boolean, boolean, Permit)}).
 *
 * <p>Each named method is given with its own parameter type, which the processor has checked
 * receives the method's values (its return type, or its stage's value type).
 */
public final class Outcomes {
    private static final Outcomes NONE = new Outcomes(new Builder());

    /** What a breaker records for an attempt whose value {@code failOnResult} rejected. */
    static final Throwable FAILED_RESULT = new Marker("the result was recorded as a failure by failOnResult");

    private final Predicate<Object> retryOn;
    private final Predicate<Object> failOn;
    private final Function<Object, Duration> waitAfterResult;
    private final Function<Throwable, Duration> waitAfterFailure;

    private Outcomes(Builder builder) {
        this.retryOn = builder.retryOn;
        this.failOn = builder.failOn;
        this.waitAfterResult = builder.waitAfterResult;
        this.waitAfterFailure = builder.waitAfterFailure;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Nothing named: every value is accepted, every wait computed. */
    static Outcomes none() {
        return NONE;
    }

    /**
     * Settles {@code permit} for an attempt that returned {@code value}, asking the named methods
     * about it, and says what the attempt amounts to, as {@link #settle(Object, boolean, boolean,
     * Permit)} does; what a named method throws fails the attempt, as {@link #broke} says.
     */
    Throwable settle(Object value, Permit permit) {
        boolean failed;
        boolean retried;
        try {
            failed = failOn != null && failOn.test(value);
            retried = retryOn == failOn ? failed : retryOn != null && retryOn.test(value); // one method named for both: asked once
        } catch (Throwable broken) {
            return broke(broken, permit);
        }
        return settle(value, failed, retried, permit);
    }

    /**
     * Settles {@code permit} for an attempt that returned {@code value}, which the named methods
     * judged: {@code failed}, what {@code failOnResult} said, records it as a failure, and
     * {@code retried}, what {@code retryOnResult} said, asks for another attempt. The inline loop
     * calls the named methods itself; the policies ask them through {@link #settle(Object, Permit)}.
     *
     * @return {@code null} when the value is accepted, or a {@link Rejected} carrying it when
     *     {@code retryOnResult} asks for another attempt
     */
    static Throwable settle(Object value, boolean failed, boolean retried, Permit permit) {
        record(failed, permit);
        return retried ? new Rejected(value) : null;
    }

    /** Has the breaker record an attempt whose value {@code failOnResult} judged: a failure where it said {@code failed}. */
    static void record(boolean failed, Permit permit) {
        if (failed) {
            permit.failed(FAILED_RESULT);
        } else {
            permit.succeeded();
        }
    }

    /**
     * A named method threw {@code broken} judging an attempt's value: the attempt fails with it,
     * as the delegate's own failure would, and the breaker counts it as it would that failure.
     *
     * @return {@code broken}, what the attempt amounts to
     */
    static Throwable broke(Throwable broken, Permit permit) {
        permit.failed(broken);
        return broken;
    }

    /**
     * The wait that {@code waitFrom} reads from {@code failure} (or from the rejected value it
     * carries), in nanoseconds, or {@code -1} for the computed one.
     */
    long suggestedWait(Throwable failure) {
        Duration wait;
        if (failure instanceof Rejected rejected) {
            wait = waitAfterResult == null ? null : waitAfterResult.apply(rejected.value);
        } else {
            wait = waitAfterFailure == null ? null : waitAfterFailure.apply(failure);
        }
        if (wait == null || wait.isNegative()) {
            return -1;
        }
        return wait.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : wait.toNanos();
    }

    /** What listeners are told failed: {@code null} for a rejected value, which was returned. */
    static Throwable failure(Throwable failure) {
        return failure instanceof Rejected ? null : failure;
    }

    /**
     * An attempt whose value {@code retryOnResult} rejected, travelling the levels as a failure
     * that is always retried; it never reaches the caller, who gets the value when retrying ends.
     */
    static final class Rejected extends Marker {
        private static final long serialVersionUID = 1L;

        final transient Object value; // never serialized: it never leaves the call

        Rejected(Object value) {
            super("the result was rejected by retryOnResult");
            this.value = value;
        }
    }

    /** A failure of the runtime's own, without stack trace or suppression. */
    static class Marker extends Throwable {
        private static final long serialVersionUID = 1L;

        Marker(String message) {
            super(message, null, false, false);
        }
    }

    /** Builds {@link Outcomes}; a method not given is not consulted. */
    @SuppressWarnings("unchecked") // the processor checked that the method's values are Vs
    public static final class Builder {
        private Predicate<Object> retryOn;
        private Predicate<Object> failOn;
        private Function<Object, Duration> waitAfterResult;
        private Function<Throwable, Duration> waitAfterFailure;

        private Builder() {}

        /** {@code @Retryable.retryOnResult}: {@code true} asks for another attempt. */
        public <V> Builder retryOn(Predicate<V> retryOn) {
            this.retryOn = (Predicate<Object>) Objects.requireNonNull(retryOn, "retryOn");
            return this;
        }

        /** Both {@link #retryOn} and {@link #failOn}, when they name one method: it is asked once per value. */
        public <V> Builder retryAndFailOn(Predicate<V> rejects) {
            return retryOn(rejects).failOn(rejects);
        }

        /** {@code @Breaker.failOnResult}: {@code true} records the attempt as a failure. */
        public <V> Builder failOn(Predicate<V> failOn) {
            this.failOn = (Predicate<Object>) Objects.requireNonNull(failOn, "failOn");
            return this;
        }

        /** {@code @Retryable.waitFrom} for a rejected value: the wait asked for, or {@code null}. */
        public <V> Builder waitAfterResult(Function<V, Duration> waitAfterResult) {
            this.waitAfterResult = (Function<Object, Duration>) Objects.requireNonNull(waitAfterResult, "waitAfterResult");
            return this;
        }

        /** {@code @Retryable.waitFrom} for a failure: the wait asked for, or {@code null}. */
        public Builder waitAfterFailure(Function<Throwable, Duration> waitAfterFailure) {
            this.waitAfterFailure = Objects.requireNonNull(waitAfterFailure, "waitAfterFailure");
            return this;
        }

        public Outcomes build() {
            return new Outcomes(this);
        }
    }
}
