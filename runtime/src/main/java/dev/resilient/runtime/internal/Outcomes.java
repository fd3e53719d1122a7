package dev.resilient.runtime.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the interface's own methods say about an attempt's outcome, as {@code @Retryable}'s
 * {@code retryOnResult} and {@code waitFrom} and {@code @Breaker}'s {@code failOnResult} name
 * them. A wrapper builds one per method that names any, calling those methods on itself; the
 * lane asks it about every value an attempt returns, the retry about every wait.
 *
 * @param <T> the method's return type, or its stage's value type
 */
public final class Outcomes<T> {
    private static final Outcomes<Object> NONE = new Outcomes<>(new Builder<>());

    /** What a breaker records for an attempt whose value {@code failOnResult} rejected. */
    static final Throwable FAILED_RESULT = new Marker("the result was recorded as a failure by failOnResult");

    private final Predicate<? super T> retryOn;
    private final Predicate<? super T> failOn;
    private final Function<? super T, Duration> waitAfterResult;
    private final Function<Throwable, Duration> waitAfterFailure;

    private Outcomes(Builder<T> builder) {
        this.retryOn = builder.retryOn;
        this.failOn = builder.failOn;
        this.waitAfterResult = builder.waitAfterResult;
        this.waitAfterFailure = builder.waitAfterFailure;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** Nothing named: every value is accepted, every wait computed. */
    @SuppressWarnings("unchecked")
    static <T> Outcomes<T> none() {
        return (Outcomes<T>) NONE;
    }

    /**
     * Settles {@code permit} for an attempt that returned {@code value}, and says what the
     * attempt amounts to: {@code null} when the value is accepted, a {@link Rejected} carrying it
     * when {@code retryOnResult} asks for another attempt, or what a named method threw, which
     * fails the attempt as the delegate's own failure would.
     */
    @SuppressWarnings("unchecked")
    Throwable settle(Object value, Permit permit) {
        T result = (T) value; // the value of the method these outcomes were built for
        try {
            if (failOn != null && failOn.test(result)) {
                permit.failed(FAILED_RESULT);
            } else {
                permit.succeeded();
            }
        } catch (Throwable broken) {
            permit.failed(broken);
            return broken;
        }
        try {
            return retryOn != null && retryOn.test(result) ? new Rejected(value) : null;
        } catch (Throwable broken) {
            return broken;
        }
    }

    /**
     * The wait that {@code waitFrom} reads from {@code failure} (or from the rejected value it
     * carries), in nanoseconds, or {@code -1} for the computed one.
     */
    @SuppressWarnings("unchecked")
    long suggestedWait(Throwable failure) {
        Duration wait;
        if (failure instanceof Rejected rejected) {
            wait = waitAfterResult == null ? null : waitAfterResult.apply((T) rejected.value);
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
    private static class Marker extends Throwable {
        private static final long serialVersionUID = 1L;

        Marker(String message) {
            super(message, null, false, false);
        }
    }

    /** Builds {@link Outcomes}; a method not given is not consulted. */
    public static final class Builder<T> {
        private Predicate<? super T> retryOn;
        private Predicate<? super T> failOn;
        private Function<? super T, Duration> waitAfterResult;
        private Function<Throwable, Duration> waitAfterFailure;

        private Builder() {}

        /** {@code @Retryable.retryOnResult}: {@code true} asks for another attempt. */
        public Builder<T> retryOn(Predicate<? super T> retryOn) {
            this.retryOn = Objects.requireNonNull(retryOn, "retryOn");
            return this;
        }

        /** {@code @Breaker.failOnResult}: {@code true} records the attempt as a failure. */
        public Builder<T> failOn(Predicate<? super T> failOn) {
            this.failOn = Objects.requireNonNull(failOn, "failOn");
            return this;
        }

        /** {@code @Retryable.waitFrom} for a rejected value: the wait asked for, or {@code null}. */
        public Builder<T> waitAfterResult(Function<? super T, Duration> waitAfterResult) {
            this.waitAfterResult = Objects.requireNonNull(waitAfterResult, "waitAfterResult");
            return this;
        }

        /** {@code @Retryable.waitFrom} for a failure: the wait asked for, or {@code null}. */
        public Builder<T> waitAfterFailure(Function<Throwable, Duration> waitAfterFailure) {
            this.waitAfterFailure = Objects.requireNonNull(waitAfterFailure, "waitAfterFailure");
            return this;
        }

        public Outcomes<T> build() {
            return new Outcomes<>(this);
        }
    }
}
