package dev.resilient.runtime.internal;

import java.time.Duration;
import java.util.Objects;

/** The settings of one named circuit breaker, as an {@code @Breaker} declared them. */
public final class BreakerSpec {
    private final String name;
    private final int failureThreshold;
    private final int window;
    private final double failureRate;
    private final int minimumCalls;
    private final long openForNanos;
    private final int halfOpenCalls;
    private final Failures failOn;
    private final Failures skipOn;

    private BreakerSpec(Builder builder) {
        this.name = builder.name;
        this.failureThreshold = builder.failureThreshold;
        this.window = builder.window;
        this.failureRate = builder.failureRate;
        this.minimumCalls = builder.minimumCalls == 0 ? builder.window : builder.minimumCalls;
        this.openForNanos = builder.openForNanos;
        this.halfOpenCalls = builder.halfOpenCalls;
        this.failOn = builder.failOn;
        this.skipOn = builder.skipOn;
    }

    /**
     * The same settings for delegate {@code index} of a failover: delegate 0 keeps the name,
     * delegate {@code i > 0} appends {@code "#" + i}.
     */
    public BreakerSpec forDelegate(int index) {
        return index == 0 ? this : toBuilder(name + "#" + index).build();
    }

    /** A builder holding these settings, for the breaker {@code newName}. */
    Builder toBuilder(String newName) {
        Builder copy = new Builder(newName);
        copy.failureThreshold = failureThreshold;
        copy.window = window;
        copy.failureRate = failureRate;
        copy.minimumCalls = window > 0 && minimumCalls == window ? 0 : minimumCalls;
        copy.openForNanos = openForNanos;
        copy.halfOpenCalls = halfOpenCalls;
        copy.failOn = failOn;
        copy.skipOn = skipOn;
        return copy;
    }

    /** Settings at the defaults of {@code @Breaker}, for the breaker {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    String name() {
        return name;
    }

    boolean rateMode() {
        return window > 0;
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

    /** How a breaker counts a failure of an attempt. */
    Outcome classify(Throwable failure) {
        if (failure instanceof dev.resilient.runtime.BulkheadFullException
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
        String mode = rateMode()
                ? "window=" + window + ", failureRate=" + failureRate + ", minimumCalls=" + minimumCalls
                : "failureThreshold=" + failureThreshold;
        return "{" + mode + ", openFor=" + Duration.ofNanos(openForNanos) + ", halfOpenCalls=" + halfOpenCalls
                + ", failOn=" + failOn + ", skipOn=" + skipOn + "}";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BreakerSpec that
                && name.equals(that.name)
                && failureThreshold == that.failureThreshold
                && window == that.window
                && Double.compare(failureRate, that.failureRate) == 0
                && minimumCalls == that.minimumCalls
                && openForNanos == that.openForNanos
                && halfOpenCalls == that.halfOpenCalls
                && failOn.equals(that.failOn)
                && skipOn.equals(that.skipOn);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, failureThreshold, window, failureRate, minimumCalls, openForNanos, halfOpenCalls);
    }

    @Override
    public String toString() {
        return "BreakerSpec[" + name + " " + settings() + "]";
    }

    /** Builds a {@link BreakerSpec}; each setter checks its argument at once. */
    public static final class Builder {
        private final String name;
        private int failureThreshold = 5;
        private int window;
        private double failureRate = 0.5;
        private int minimumCalls;
        private long openForNanos = Duration.ofSeconds(30).toNanos();
        private int halfOpenCalls = 1;
        private Failures failOn = Failures.of("failOn", new Class<?>[] {Throwable.class});
        private Failures skipOn = Failures.of("skipOn", new Class<?>[0]);

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
            }
            this.name = name;
        }

        /** Consecutive failures that open the breaker; {@code >= 1}. */
        public Builder failureThreshold(int failureThreshold) {
            this.failureThreshold = Checks.atLeast("failureThreshold", failureThreshold, 1);
            return this;
        }

        /** Above 0: rate mode over the last {@code window} calls. */
        public Builder window(int window) {
            this.window = Checks.atLeast("window", window, 0);
            return this;
        }

        /** Rate mode: the failure rate that opens the breaker, in {@code (0, 1]}. */
        public Builder failureRate(double failureRate) {
            if (!(failureRate > 0 && failureRate <= 1)) {
                throw new IllegalArgumentException("failureRate must be in (0, 1], was " + failureRate);
            }
            this.failureRate = failureRate;
            return this;
        }

        /** Rate mode: calls in the window before any decision, in {@code 1..window}. */
        public Builder minimumCalls(int minimumCalls) {
            this.minimumCalls = Checks.atLeast("minimumCalls", minimumCalls, 1);
            return this;
        }

        /** Time spent open before trial calls; not negative. */
        public Builder openFor(Duration openFor) {
            this.openForNanos = Checks.nonNegativeNanos("openFor", openFor);
            return this;
        }

        /** Trial calls admitted while half-open; {@code >= 1}. */
        public Builder halfOpenCalls(int halfOpenCalls) {
            this.halfOpenCalls = Checks.atLeast("halfOpenCalls", halfOpenCalls, 1);
            return this;
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

        /**
         * The spec.
         *
         * @throws IllegalArgumentException when {@code minimumCalls} exceeds {@code window}, or is
         *     set without a window
         */
        public BreakerSpec build() {
            if (minimumCalls != 0 && minimumCalls > window) {
                throw new IllegalArgumentException("minimumCalls must be in 1..window (" + window + "), was " + minimumCalls
                        + (window == 0 ? "; set window to count calls by rate" : ""));
            }
            return new BreakerSpec(this);
        }
    }
}
