package dev.resilient.runtime.internal;

import dev.resilient.runtime.TimeSource;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A retry budget: the calls started and the retries made over a sliding window, shared by name in
 * one context. A retry is allowed when the retries made in the window, this one included, do not
 * exceed {@code ratio} × the calls started in the window plus {@code minPerSecond} × the window in
 * seconds (the reserve).
 *
 * <p>The window is kept in the {@link TimeBuckets} of the context's clock, so an event leaves it
 * 0.9 to 1.0 × {@code window} after it happened. Lock-free. Calls are counted in a
 * {@link LongAdder} per bucket, so that threads calling at once do not share a write; retries,
 * made only after a failure, in an {@link AtomicLong} per bucket taken by compare-and-set, so that
 * racing retries never exceed the budget together, nor refuse each other (but for a retry taken
 * back at a tenth's boundary, see {@link #tryRetry()}).
 */
final class RetryBudget {
    private final String name;
    private final String settings;
    private final double ratio;
    /** {@code minPerSecond} × the window in seconds. */
    private final double reserve;
    /** {@code ratio} and the reserve exactly, for retries at the edge of the budget; see {@link #within}. */
    private final BigDecimal exactRatio;
    private final BigDecimal exactReserve;
    private final TimeSource time;
    private final TimeBuckets<Bucket> buckets;

    /** @param settings {@code @RetryBudget}'s, checked with every rule */
    RetryBudget(String name, Settings settings, ContextCore core) {
        this(name, settings, core.time(), core.ticks());
    }

    /** @param ticks where its buckets tick, or {@code null} for never (see {@link TimeBuckets}) */
    RetryBudget(String name, Settings settings, TimeSource time, TimeBuckets.Ticks ticks) {
        long windowNanos = settings.nanos(Attribute.BUDGET_WINDOW, 0);
        this.name = name;
        this.settings = text(settings);
        this.ratio = settings.doubleValue(Attribute.RATIO);
        this.reserve = settings.intValue(Attribute.MIN_PER_SECOND) * (windowNanos / 1e9);
        this.exactRatio = BigDecimal.valueOf(ratio);
        this.exactReserve = BigDecimal.valueOf(settings.intValue(Attribute.MIN_PER_SECOND)).multiply(BigDecimal.valueOf(windowNanos))
                .movePointLeft(9);
        this.time = time;
        this.buckets = new TimeBuckets<>(windowNanos, time, ticks, Bucket::new);
    }

    /** Counts a call started now. */
    void started() {
        buckets.current().increment();
    }

    /**
     * Whether a retry (or hedged attempt) of {@code method} may be made now; if so, it is counted,
     * if not, {@code listener} hears that the budget is exhausted.
     */
    boolean tryRetry(String method, Listeners listener) {
        if (tryRetry()) {
            return true;
        }
        listener.retryBudgetExhausted(method, name);
        return false;
    }

    /**
     * Whether a retry may be made now; if so, it is counted. A retry counted in its tenth after the
     * clock has moved into the next is taken back and asked again: a thread of that next tenth may
     * have summed the tenth before without it, and the window of the next tenth would hold both.
     */
    boolean tryRetry() {
        for (;;) {
            Bucket current = buckets.reading(time.nanoTime()); // exact, and it takes up ticks fallen behind
            if (current == null) {
                return false; // this thread is late by a whole window
            }
            if (!tryRetry(current)) {
                return false;
            }
            if (buckets.tenth(time.nanoTime()) == current.tenth) {
                return true; // whoever reads a later tenth from now on sums this retry
            }
            current.retries.decrementAndGet();
        }
    }

    /** Counts a retry in {@code current}, the bucket of now, if the window that ends with it allows one more. */
    private boolean tryRetry(Bucket current) {
        long tenth = current.tenth;
        long calls = 0;
        long earlierRetries = 0;
        for (int i = 0; i < TimeBuckets.COUNT; i++) {
            Bucket bucket = buckets.slot(i);
            if (TimeBuckets.inWindow(bucket, tenth)) {
                calls += bucket.sum();
                if (bucket != current) {
                    earlierRetries += bucket.retries.get();
                }
            }
        }
        double allowed = ratio * calls + reserve;
        for (;;) {
            long retries = current.retries.get();
            long wanted = earlierRetries + retries + 1;
            if (!within(wanted, allowed, calls)) {
                return false;
            }
            if (current.retries.compareAndSet(retries, retries + 1)) {
                return true;
            }
        }
    }

    /**
     * Whether {@code wanted} retries are within the budget of {@code calls}, {@code allowed} being
     * its allowance in floating point. Near a whole number that is decided exactly, with the ratio
     * as written: in floating point 0.29 × 100 is 28.999999999999996, which would allow 100 calls at
     * {@code ratio = 0.29} one retry fewer than the 29 they earn. Only a retry at the edge of the
     * budget pays for the exact sum.
     */
    private boolean within(long wanted, double allowed, long calls) {
        if (Math.abs(wanted - allowed) > 1e-6 * Math.max(1, allowed)) {
            return wanted < allowed;
        }
        return exactRatio.multiply(BigDecimal.valueOf(calls)).add(exactReserve).compareTo(BigDecimal.valueOf(wanted)) >= 0;
    }

    /** Whether ticks move its buckets on; for tests. */
    boolean ticking() {
        return buckets.ticking();
    }

    /** Whether {@code other} would make a budget just like this one. */
    boolean sameSettings(Settings other) {
        return settings.equals(text(other));
    }

    /** {@code ratio=0.2, minPerSecond=10, window=10s}. */
    String settings() {
        return settings;
    }

    static String text(Settings settings) {
        return "ratio=" + settings.doubleValue(Attribute.RATIO) + ", minPerSecond=" + settings.intValue(Attribute.MIN_PER_SECOND)
                + ", window=" + DurationFormat.text((Duration) settings.get(Attribute.BUDGET_WINDOW));
    }

    @Override
    public String toString() {
        return "RetryBudget[" + name + " " + settings + "]";
    }

    /** Counts the calls started in its tenth itself; the retries made in {@link #retries}. */
    private static final class Bucket extends TimeBuckets.Bucket {
        private static final long serialVersionUID = 1L;

        final AtomicLong retries = new AtomicLong();

        Bucket(long tenth, long start) {
            super(tenth, start);
        }

        @Override
        boolean used() {
            return sum() > 0 || retries.get() > 0;
        }
    }
}
