package dev.resilient.runtime.internal;

import dev.resilient.runtime.BulkheadFullException;
import dev.resilient.runtime.CircuitOpenException;
import java.time.Duration;
import java.util.Objects;

/** The settings of one method's {@code @Retryable}. */
public final class RetrySpec {
    /** How a wait is randomised; mirrors {@code dev.resilient.annotations.Jitter}. */
    public enum Jitter {
        /** The nominal wait. */
        NONE,
        /** Uniform in {@code [0, wait]}. */
        FULL,
        /** Uniform in {@code [wait / 2, wait]}. */
        EQUAL
    }

    /** {@link #maxDelayNanos} and {@link #maxDurationNanos} when not set. */
    static final long UNSET = -1;

    private final String method;
    private final int maxAttempts;
    private final long delayNanos;
    private final double multiplier;
    private final long maxDelayNanos;
    private final Jitter jitter;
    private final long maxDurationNanos;
    private final Failures retryOn;
    private final Failures abortOn;

    private RetrySpec(Builder builder) {
        this.method = builder.method;
        this.maxAttempts = builder.maxAttempts;
        this.delayNanos = builder.delayNanos;
        this.multiplier = builder.multiplier;
        this.maxDelayNanos = builder.maxDelayNanos;
        this.jitter = builder.jitter;
        this.maxDurationNanos = builder.maxDurationNanos;
        this.retryOn = builder.retryOn;
        this.abortOn = builder.abortOn;
    }

    /** Settings at the defaults of {@code @Retryable}, for the method named {@code "Interface.method"}. */
    public static Builder builder(String method) {
        return new Builder(method);
    }

    String method() {
        return method;
    }

    /** A builder holding these settings. */
    Builder toBuilder() {
        Builder copy = new Builder(method);
        copy.maxAttempts = maxAttempts;
        copy.delayNanos = delayNanos;
        copy.multiplier = multiplier;
        copy.maxDelayNanos = maxDelayNanos;
        copy.jitter = jitter;
        copy.maxDurationNanos = maxDurationNanos;
        copy.retryOn = retryOn;
        copy.abortOn = abortOn;
        return copy;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    Jitter jitter() {
        return jitter;
    }

    long maxDurationNanos() {
        return maxDurationNanos;
    }

    /** Whether {@code failure} may be retried at all, attempts and budget aside. */
    boolean retries(Throwable failure) {
        return !neverRetried(failure) && !abortOn.matches(failure) && retryOn.matches(failure);
    }

    /** What a {@code @Retryable} with the default lists retries. */
    static boolean retriesAnyException(Throwable failure) {
        return !neverRetried(failure) && failure instanceof Exception;
    }

    private static boolean neverRetried(Throwable failure) {
        return failure instanceof CircuitOpenException
                || failure instanceof BulkheadFullException
                || failure instanceof InterruptedException;
    }

    /** The nominal wait after attempt {@code attempt} failed, capped by {@code maxDelay}. */
    long cappedWait(int attempt) {
        double nominal = delayNanos * Math.pow(multiplier, attempt - 1);
        double cap = maxDelayNanos == UNSET ? Long.MAX_VALUE : maxDelayNanos;
        return (long) Math.min(nominal, cap);
    }

    @Override
    public String toString() {
        return "RetrySpec[" + method + " maxAttempts=" + maxAttempts + ", delay=" + Duration.ofNanos(delayNanos)
                + ", multiplier=" + multiplier
                + (maxDelayNanos == UNSET ? "" : ", maxDelay=" + Duration.ofNanos(maxDelayNanos))
                + ", jitter=" + jitter
                + (maxDurationNanos == UNSET ? "" : ", maxDuration=" + Duration.ofNanos(maxDurationNanos))
                + ", retryOn=" + retryOn + ", abortOn=" + abortOn + "]";
    }

    /** Builds a {@link RetrySpec}; each setter checks its argument at once. */
    public static final class Builder {
        private final String method;
        private int maxAttempts = 3;
        private long delayNanos = Duration.ofMillis(100).toNanos();
        private double multiplier = 2.0;
        private long maxDelayNanos = UNSET;
        private Jitter jitter = Jitter.NONE;
        private long maxDurationNanos = UNSET;
        private Failures retryOn = Failures.of("retryOn", new Class<?>[] {Exception.class});
        private Failures abortOn = Failures.of("abortOn", new Class<?>[0]);

        private Builder(String method) {
            this.method = Objects.requireNonNull(method, "method");
        }

        /** Attempts in all, the first included; {@code >= 1}. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Checks.atLeast("maxAttempts", maxAttempts, 1);
            return this;
        }

        /** The nominal wait before the second attempt; not negative. */
        public Builder delay(Duration delay) {
            this.delayNanos = Checks.nonNegativeNanos("delay", delay);
            return this;
        }

        /** Growth of the nominal wait per attempt; {@code >= 1.0}. */
        public Builder multiplier(double multiplier) {
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("multiplier must be a finite number of at least 1.0, was " + multiplier);
            }
            this.multiplier = multiplier;
            return this;
        }

        /** Cap on one nominal wait; at least {@code delay}. */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelayNanos = Checks.nonNegativeNanos("maxDelay", maxDelay);
            return this;
        }

        /** How each wait is randomised. */
        public Builder jitter(Jitter jitter) {
            this.jitter = Objects.requireNonNull(jitter, "jitter");
            return this;
        }

        /** Budget from the start of the first attempt; not negative. */
        public Builder maxDuration(Duration maxDuration) {
            this.maxDurationNanos = Checks.nonNegativeNanos("maxDuration", maxDuration);
            return this;
        }

        /** Failures that are retried. */
        public Builder retryOn(Class<?>... retryOn) {
            this.retryOn = Failures.of("retryOn", retryOn);
            return this;
        }

        /** Failures never retried; wins over {@link #retryOn}. */
        public Builder abortOn(Class<?>... abortOn) {
            this.abortOn = Failures.of("abortOn", abortOn);
            return this;
        }

        /**
         * The spec.
         *
         * @throws IllegalArgumentException when {@code maxDelay} is below {@code delay}
         */
        public RetrySpec build() {
            if (maxDelayNanos != UNSET && maxDelayNanos < delayNanos) {
                throw new IllegalArgumentException("maxDelay must be at least delay (" + Duration.ofNanos(delayNanos)
                        + "), was " + Duration.ofNanos(maxDelayNanos));
            }
            return new RetrySpec(this);
        }
    }
}
