package dev.resilient.runtime.internal;

import dev.resilient.runtime.BulkheadFullException;
import dev.resilient.runtime.RateLimitedException;
import dev.resilient.runtime.CircuitOpenException;
import java.time.Duration;
import java.util.Objects;

/** The settings of one {@code @Retryable}, which every method it applies to shares. */
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

    private final int maxAttempts;
    private final long delayNanos;
    private final double multiplier;
    private final long maxDelayNanos;
    private final Jitter jitter;
    private final long maxDurationNanos;
    private final Failures retryOn;
    private final Failures abortOn;

    /** As written, for {@link #toBuilder}: what is not written has its default. */
    private final Settings settings;

    private RetrySpec(Builder builder) {
        Settings settings = builder.settings;
        this.settings = settings.copy();
        this.maxAttempts = settings.intValue(Attribute.MAX_ATTEMPTS);
        this.delayNanos = settings.nanos(Attribute.DELAY, 0);
        this.multiplier = settings.doubleValue(Attribute.MULTIPLIER);
        this.maxDelayNanos = settings.nanos(Attribute.MAX_DELAY, UNSET);
        this.jitter = builder.jitter;
        this.maxDurationNanos = settings.nanos(Attribute.MAX_DURATION, UNSET);
        this.retryOn = builder.retryOn;
        this.abortOn = builder.abortOn;
    }

    /** The settings as written, merged with overrides where this spec is a configured one. */
    Settings written() {
        return settings;
    }

    /** Settings at the defaults of {@code @Retryable}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings as written. */
    Builder toBuilder() {
        Builder copy = new Builder();
        copy.settings = settings.copy();
        copy.jitter = jitter;
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
                || failure instanceof RateLimitedException
                || failure instanceof InterruptedException
                || failure instanceof Interruptible.CallerInterrupted; // the caller was interrupted waiting for a timed attempt
    }

    /** The nominal wait after attempt {@code attempt} failed, capped by {@code maxDelay}. */
    long cappedWait(int attempt) {
        double nominal = delayNanos * Math.pow(multiplier, attempt - 1);
        double cap = maxDelayNanos == UNSET ? Long.MAX_VALUE : maxDelayNanos;
        return (long) Math.min(nominal, cap);
    }

    /** {@code wait} (a server's, from {@code waitFrom}) under {@code maxDelay}. */
    long capped(long wait) {
        return maxDelayNanos == UNSET ? wait : Math.min(wait, maxDelayNanos);
    }

    @Override
    public String toString() {
        return "RetrySpec[maxAttempts=" + maxAttempts + ", delay=" + Duration.ofNanos(delayNanos)
                + ", multiplier=" + multiplier
                + (maxDelayNanos == UNSET ? "" : ", maxDelay=" + Duration.ofNanos(maxDelayNanos))
                + ", jitter=" + jitter
                + (maxDurationNanos == UNSET ? "" : ", maxDuration=" + Duration.ofNanos(maxDurationNanos))
                + ", retryOn=" + retryOn + ", abortOn=" + abortOn + "]";
    }

    /**
     * Builds a {@link RetrySpec} from what a {@code @Retryable} wrote, starting from its defaults;
     * each setter checks its argument at once, {@link #build()} the rules between them.
     */
    public static final class Builder {
        private Settings settings = Settings.of("Retryable");
        private Jitter jitter = Jitter.NONE;
        private Failures retryOn = Failures.of("retryOn", new Class<?>[] {Exception.class});
        private Failures abortOn = Failures.of("abortOn", new Class<?>[0]);

        private Builder() {}

        /** Attempts in all, the first included; {@code >= 1}. */
        public Builder maxAttempts(int maxAttempts) {
            return set(Attribute.MAX_ATTEMPTS, maxAttempts);
        }

        /** The nominal wait before the second attempt; not negative. */
        public Builder delay(Duration delay) {
            return set(Attribute.DELAY, Objects.requireNonNull(delay, "delay"));
        }

        /** Growth of the nominal wait per attempt; {@code >= 1.0}. */
        public Builder multiplier(double multiplier) {
            return set(Attribute.MULTIPLIER, multiplier);
        }

        /** Cap on one nominal wait; at least {@code delay}. */
        public Builder maxDelay(Duration maxDelay) {
            return set(Attribute.MAX_DELAY, Objects.requireNonNull(maxDelay, "maxDelay"));
        }

        /** How each wait is randomised. */
        public Builder jitter(Jitter jitter) {
            this.jitter = Objects.requireNonNull(jitter, "jitter");
            return this;
        }

        /** Budget from the start of the first attempt; not negative. */
        public Builder maxDuration(Duration maxDuration) {
            return set(Attribute.MAX_DURATION, Objects.requireNonNull(maxDuration, "maxDuration"));
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

        /** Writes {@code value}, checked on its own; {@code null} takes the write back (for overrides). */
        Builder set(Attribute attribute, Object value) {
            settings.checked(attribute, value);
            return this;
        }

        /**
         * The spec.
         *
         * @throws IllegalArgumentException when {@code maxDelay} is below {@code delay}
         */
        public RetrySpec build() {
            settings.requireNoProblems("@Retryable");
            return new RetrySpec(this);
        }

        /** {@link #build()}, naming the method whose retry it is in a problem. */
        RetrySpec build(String method) {
            settings.requireNoProblems("retry of " + method);
            return new RetrySpec(this);
        }
    }
}
