package dev.resilient.runtime.internal;

import dev.resilient.runtime.TimeSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A retry budget: the calls started and the retries made over a sliding window, shared by name in
 * one context. A retry is allowed when the retries made in the window, this one included, do not
 * exceed {@code ratio} × the calls started in the window plus {@code minPerSecond} × the window in
 * seconds (the reserve).
 *
 * <p>The window is kept in ten buckets of a tenth of it each, aligned on the context's
 * {@link TimeSource}, as {@code OutcomeWindow.Timed} keeps a breaker's: a bucket's slot is replaced
 * by compare-and-set once per tenth, and an event counts until its bucket falls out of the ten, so
 * it leaves the window 0.9 to 1.0 × {@code window} after it happened. Lock-free. Calls are counted
 * in a {@link LongAdder} per bucket, so that threads calling at once do not share a write; retries,
 * made only after a failure, in an {@link AtomicLong} per bucket taken by compare-and-set, so that
 * racing retries never exceed the budget together nor refuse each other.
 */
final class RetryBudget {
    private static final int BUCKETS = 10;

    private final String name;
    private final String settings;
    private final double ratio;
    /** {@code minPerSecond} × the window in seconds. */
    private final double reserve;
    private final long bucketNanos;
    private final TimeSource time;
    private final AtomicReferenceArray<Bucket> buckets = new AtomicReferenceArray<>(BUCKETS);

    /** @param settings {@code @RetryBudget}'s, checked with every rule */
    RetryBudget(String name, Settings settings, ContextCore core) {
        long windowNanos = settings.nanos(Attribute.BUDGET_WINDOW, 0);
        this.name = name;
        this.settings = text(settings);
        this.ratio = settings.doubleValue(Attribute.RATIO);
        this.reserve = settings.intValue(Attribute.MIN_PER_SECOND) * (windowNanos / 1e9);
        this.bucketNanos = windowNanos / BUCKETS;
        this.time = core.time();
        Bucket none = new Bucket(Long.MIN_VALUE / 4);
        for (int i = 0; i < BUCKETS; i++) {
            buckets.set(i, none);
        }
    }

    String name() {
        return name;
    }

    /** Counts a call started at {@code now}, by the context's time. */
    void started(long now) {
        bucket(Math.floorDiv(now, bucketNanos)).calls.increment();
    }

    /** Whether a retry may be made now; if so, it is counted. */
    boolean tryRetry() {
        Bucket current = bucket(Math.floorDiv(time.nanoTime(), bucketNanos));
        long tenth = current.tenth; // newer than the clock read only for a thread late by a whole window
        long calls = 0;
        long earlierRetries = 0;
        for (int i = 0; i < BUCKETS; i++) {
            Bucket bucket = buckets.get(i);
            if (bucket.tenth > tenth - BUCKETS && bucket.tenth <= tenth) {
                calls += bucket.calls.sum();
                if (bucket != current) {
                    earlierRetries += bucket.retries.get();
                }
            }
        }
        double allowed = ratio * calls + reserve;
        for (;;) {
            long retries = current.retries.get();
            if (earlierRetries + retries + 1 > allowed) {
                return false;
            }
            if (current.retries.compareAndSet(retries, retries + 1)) {
                return true;
            }
        }
    }

    /** The bucket of {@code tenth}, made current if its slot holds an older one; a newer one is used as it is. */
    private Bucket bucket(long tenth) {
        int slot = (int) Math.floorMod(tenth, (long) BUCKETS);
        for (;;) {
            Bucket bucket = buckets.get(slot);
            if (bucket.tenth >= tenth) {
                return bucket; // a thread late by a whole window counts in the newer bucket: never lost
            }
            Bucket fresh = new Bucket(tenth);
            if (buckets.compareAndSet(slot, bucket, fresh)) {
                return fresh;
            }
        }
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

    private static final class Bucket {
        final long tenth;
        final LongAdder calls = new LongAdder();
        final AtomicLong retries = new AtomicLong();

        Bucket(long tenth) {
            this.tenth = tenth;
        }
    }
}
