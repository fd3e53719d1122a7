package dev.resilient.runtime.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of an {@code @Breaker}, which every breaker it declares shares: a breaker is
 * declared by name with them ({@link Breaker#declare}).
 */
public final class BreakerSpec {
    /** {@code minimumCalls} when a time window leaves it unwritten. */
    static final int TIME_WINDOW_MINIMUM_CALLS = 10;

    private final int failureThreshold;
    private final int window;
    private final double failureRate;
    private final int minimumCalls;
    private final long openForNanos;
    private final int halfOpenCalls;
    /** 0: no time window. */
    private final long windowNanos;
    /** 0: no call is slow. */
    private final long slowCallNanos;
    private final double slowCallRate;
    /** 0: half-open until the trial calls settle. */
    private final long maxHalfOpenNanos;
    private final double openForMultiplier;
    /** {@code Long.MAX_VALUE}: no cap. */
    private final long maxOpenForNanos;
    private final Failures failOn;
    private final Failures skipOn;

    /** As written, for {@link #toBuilder}: what is not written has its default. */
    private final Settings settings;

    private BreakerSpec(Builder builder) {
        Settings settings = builder.settings;
        this.settings = settings.copy();
        this.failureThreshold = settings.intValue(Attribute.FAILURE_THRESHOLD);
        this.window = settings.intValue(Attribute.WINDOW);
        this.failureRate = settings.doubleValue(Attribute.FAILURE_RATE);
        this.windowNanos = settings.nanos(Attribute.WINDOW_DURATION, 0);
        this.minimumCalls = settings.isWritten(Attribute.MINIMUM_CALLS) ? settings.intValue(Attribute.MINIMUM_CALLS)
                : windowNanos > 0 ? TIME_WINDOW_MINIMUM_CALLS : window;
        this.openForNanos = settings.nanos(Attribute.OPEN_FOR, 0);
        this.halfOpenCalls = settings.intValue(Attribute.HALF_OPEN_CALLS);
        this.slowCallNanos = settings.nanos(Attribute.SLOW_CALL, 0);
        this.slowCallRate = settings.doubleValue(Attribute.SLOW_CALL_RATE);
        this.maxHalfOpenNanos = settings.nanos(Attribute.MAX_HALF_OPEN, 0);
        this.openForMultiplier = settings.doubleValue(Attribute.OPEN_FOR_MULTIPLIER);
        this.maxOpenForNanos = settings.nanos(Attribute.MAX_OPEN_FOR, Long.MAX_VALUE);
        this.failOn = builder.failOn;
        this.skipOn = builder.skipOn;
    }

    /** A builder holding these settings as written. */
    Builder toBuilder() {
        Builder copy = new Builder();
        copy.settings = settings.copy();
        copy.failOn = failOn;
        copy.skipOn = skipOn;
        return copy;
    }

    /** Settings at the defaults of {@code @Breaker}. */
    public static Builder builder() {
        return new Builder();
    }

    boolean rateMode() {
        return window > 0 || windowNanos > 0;
    }

    /** The time window's length; 0 without one. */
    long windowNanos() {
        return windowNanos;
    }

    /** How long an attempt takes to be slow; 0 when none is. */
    long slowCallNanos() {
        return slowCallNanos;
    }

    double slowCallRate() {
        return slowCallRate;
    }

    /** The longest time half-open; 0 for no bound. */
    long maxHalfOpenNanos() {
        return maxHalfOpenNanos;
    }

    /**
     * The time to stay open after a re-opening from half-open that follows an opening of
     * {@code previous} nanoseconds: multiplied, capped, shorter than {@code Long.MAX_VALUE}
     * (which means held open until reset). Multiplied exactly, by the multiplier as written
     * ({@code 2.8}, not the double just under it), rounded down to the nanosecond: in floating
     * point {@code 3s × 2.8} came out as 8.399999999s, and a product past the clock as
     * {@code Long.MAX_VALUE}. Only a re-opening pays for it.
     */
    long nextOpenForNanos(long previous) {
        if (openForMultiplier == 1.0) {
            return previous;
        }
        BigDecimal longer = BigDecimal.valueOf(openForMultiplier).multiply(BigDecimal.valueOf(previous)).setScale(0, RoundingMode.FLOOR);
        return longer.min(BigDecimal.valueOf(Math.min(maxOpenForNanos, Long.MAX_VALUE - 1))).longValueExact();
    }

    int failureThreshold() {
        return failureThreshold;
    }

    int window() {
        return window;
    }

    double failureRate() {
        return failureRate;
    }

    int minimumCalls() {
        return minimumCalls;
    }

    long openForNanos() {
        return openForNanos;
    }

    int halfOpenCalls() {
        return halfOpenCalls;
    }

    /** The settings as written, merged with overrides where this spec is a configured one. */
    Settings written() {
        return settings;
    }

    /** How a breaker counts a failure of an attempt. */
    Outcome classify(Throwable failure) {
        if (failure == Outcomes.FAILED_RESULT) {
            return Outcome.FAILURE; // failOnResult said so, whatever failOn lists
        }
        if (failure instanceof dev.resilient.runtime.BulkheadFullException
                || failure instanceof dev.resilient.runtime.RateLimitedException
                || failure instanceof java.util.concurrent.CancellationException
                || skipOn.matches(failure)) {
            return Outcome.SKIPPED;
        }
        return failOn.matches(failure) ? Outcome.FAILURE : Outcome.SUCCESS;
    }

    /** How an attempt counts for a breaker. */
    enum Outcome {
        SUCCESS,
        FAILURE,
        SKIPPED
    }

    /** The settings, without the name, as a user would write them. */
    String settings() {
        String mode = !rateMode() ? "failureThreshold=" + failureThreshold
                : (windowNanos > 0 ? "windowDuration=" + Duration.ofNanos(windowNanos) : "window=" + window)
                        + ", failureRate=" + failureRate + ", minimumCalls=" + minimumCalls
                        + (slowCallNanos > 0 ? ", slowCall=" + Duration.ofNanos(slowCallNanos) + ", slowCallRate=" + slowCallRate : "");
        return "{" + mode + ", openFor=" + Duration.ofNanos(openForNanos)
                + (openForMultiplier != 1.0 ? ", openForMultiplier=" + openForMultiplier : "")
                + (maxOpenForNanos != Long.MAX_VALUE ? ", maxOpenFor=" + Duration.ofNanos(maxOpenForNanos) : "")
                + ", halfOpenCalls=" + halfOpenCalls
                + (maxHalfOpenNanos > 0 ? ", maxHalfOpen=" + Duration.ofNanos(maxHalfOpenNanos) : "")
                + ", failOn=" + failOn + ", skipOn=" + skipOn + "}";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BreakerSpec that
                && failureThreshold == that.failureThreshold
                && window == that.window
                && Double.compare(failureRate, that.failureRate) == 0
                && minimumCalls == that.minimumCalls
                && openForNanos == that.openForNanos
                && halfOpenCalls == that.halfOpenCalls
                && windowNanos == that.windowNanos
                && slowCallNanos == that.slowCallNanos
                && Double.compare(slowCallRate, that.slowCallRate) == 0
                && maxHalfOpenNanos == that.maxHalfOpenNanos
                && Double.compare(openForMultiplier, that.openForMultiplier) == 0
                && maxOpenForNanos == that.maxOpenForNanos
                && failOn.equals(that.failOn)
                && skipOn.equals(that.skipOn);
    }

    @Override
    public int hashCode() {
        return Objects.hash(failureThreshold, window, failureRate, minimumCalls, openForNanos, halfOpenCalls, windowNanos,
                slowCallNanos);
    }

    @Override
    public String toString() {
        return "BreakerSpec" + settings();
    }

    /**
     * Builds a {@link BreakerSpec} from what an {@code @Breaker} wrote, starting from its defaults;
     * each setter checks its argument at once, {@link #build()} the rules between them.
     */
    public static final class Builder {
        private Settings settings = Settings.of("Breaker");
        private Failures failOn = Failures.of("failOn", new Class<?>[] {Throwable.class});
        private Failures skipOn = Failures.of("skipOn", new Class<?>[0]);

        private Builder() {}

        /** Consecutive failures that open the breaker; {@code >= 1}. */
        public Builder failureThreshold(int failureThreshold) {
            return set(Attribute.FAILURE_THRESHOLD, failureThreshold);
        }

        /** Above 0: rate mode over the last {@code window} calls. */
        public Builder window(int window) {
            return set(Attribute.WINDOW, window);
        }

        /** Rate mode: the failure rate that opens the breaker, in {@code (0, 1]}. */
        public Builder failureRate(double failureRate) {
            return set(Attribute.FAILURE_RATE, failureRate);
        }

        /** Rate mode: calls in the window before any decision, in {@code 1..window}. */
        public Builder minimumCalls(int minimumCalls) {
            return set(Attribute.MINIMUM_CALLS, minimumCalls);
        }

        /** Time spent open before trial calls; not negative. */
        public Builder openFor(Duration openFor) {
            return set(Attribute.OPEN_FOR, Objects.requireNonNull(openFor, "openFor"));
        }

        /** Trial calls admitted while half-open; {@code >= 1}. */
        public Builder halfOpenCalls(int halfOpenCalls) {
            return set(Attribute.HALF_OPEN_CALLS, halfOpenCalls);
        }

        /** Time-based rate mode over the calls of the last {@code windowDuration}; at least 10ms; not with {@link #window}. */
        public Builder windowDuration(Duration windowDuration) {
            return set(Attribute.WINDOW_DURATION, Objects.requireNonNull(windowDuration, "windowDuration"));
        }

        /** Rate modes: an attempt that ends in at least this long is slow; longer than 0. */
        public Builder slowCall(Duration slowCall) {
            return set(Attribute.SLOW_CALL, Objects.requireNonNull(slowCall, "slowCall"));
        }

        /** With {@link #slowCall}: the rate of slow calls that opens the breaker, in {@code (0, 1]}. */
        public Builder slowCallRate(double slowCallRate) {
            return set(Attribute.SLOW_CALL_RATE, slowCallRate);
        }

        /** The longest time half-open, after which unsettled trial calls leave the breaker open; longer than 0. */
        public Builder maxHalfOpen(Duration maxHalfOpen) {
            return set(Attribute.MAX_HALF_OPEN, Objects.requireNonNull(maxHalfOpen, "maxHalfOpen"));
        }

        /** Each re-opening from half-open stays open this many times longer; {@code >= 1.0}. */
        public Builder openForMultiplier(double openForMultiplier) {
            return set(Attribute.OPEN_FOR_MULTIPLIER, openForMultiplier);
        }

        /** Cap on the time open once multiplied; {@code >= openFor}. */
        public Builder maxOpenFor(Duration maxOpenFor) {
            return set(Attribute.MAX_OPEN_FOR, Objects.requireNonNull(maxOpenFor, "maxOpenFor"));
        }

        /** Failures that count against the breaker. */
        public Builder failOn(Class<?>... failOn) {
            this.failOn = Failures.of("failOn", failOn);
            return this;
        }

        /** Failures that count as neither success nor failure; wins over {@link #failOn}. */
        public Builder skipOn(Class<?>... skipOn) {
            this.skipOn = Failures.of("skipOn", skipOn);
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
         * @throws IllegalArgumentException when the settings break a rule of {@code @Breaker}:
         *     {@code failureThreshold} with a window, {@code failureRate}, {@code minimumCalls} or
         *     {@code slowCall} without one, {@code minimumCalls} above the window, two windows,
         *     {@code slowCallRate} without {@code slowCall}, {@code maxOpenFor} below {@code openFor}
         */
        public BreakerSpec build() {
            settings.requireNoProblems("@Breaker");
            return new BreakerSpec(this);
        }

        /** {@link #build()}, naming the breaker in a problem. */
        BreakerSpec build(String name) {
            settings.requireNoProblems("breaker '" + name + "'");
            return new BreakerSpec(this);
        }
    }
}
