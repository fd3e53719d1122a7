package dev.resilient.runtime.internal;

import dev.resilient.runtime.TimeSource;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The outcomes a rate-mode breaker counts, without locks, and the decision they lead to: open once
 * {@code minimumCalls} calls are in the window and failures / calls reaches {@code failureRate}
 * or slow calls / calls reaches {@code slowCallRate}. Two kinds: the last {@code window} calls
 * ({@link Counted}) and the calls of the last {@code windowDuration} ({@link Timed}).
 */
abstract sealed class OutcomeWindow permits OutcomeWindow.Counted, OutcomeWindow.Timed {
    private final int minimumCalls;
    private final double failureRate;
    private final double slowCallRate;

    private OutcomeWindow(BreakerSpec spec) {
        this.minimumCalls = spec.minimumCalls();
        this.failureRate = spec.failureRate();
        this.slowCallRate = spec.slowCallRate();
    }

    /**
     * The window {@code spec} describes, reading {@code time} when it is a time window, whose
     * buckets {@code ticks} move on when not {@code null} (see {@link TimeBuckets}).
     */
    static OutcomeWindow of(BreakerSpec spec, TimeSource time, TimeBuckets.Ticks ticks) {
        return spec.windowNanos() > 0 ? new Timed(spec, time, ticks) : new Counted(spec);
    }

    /** Records an untimed outcome now; whether the window now calls for opening. */
    abstract boolean record(boolean failure);

    /** Records an outcome that ended at {@code now} (a reading of the context's time); whether the window now calls for opening. */
    abstract boolean record(long now, boolean failure, boolean slow);

    /** The calls, failures and slow calls in the window now. */
    record Counts(long calls, long failures, long slow) {}

    /** What the window holds now; for tests and reports, not for the path of a call. */
    abstract Counts counts();

    /**
     * Compared as quotients, which are correctly rounded: 7 failures of 25 calls reach a
     * {@code failureRate} of 0.28 exactly, where 0.28 × 25 would come out as 7.000000000000001.
     */
    final boolean opens(long calls, long failures, long slow) {
        return calls >= minimumCalls && calls > 0
                && ((double) failures / calls >= failureRate || slow > 0 && (double) slow / calls >= slowCallRate);
    }

    /**
     * The outcomes of the last {@code size} calls, one bit each (1 = failure, and in a second ring
     * 1 = slow, when slow calls are counted). Each record takes the next slot of the rings; a count
     * moves only when a slot's bit actually flips, so it always equals the bits set, whatever
     * threads race. Recording a success over a success costs one atomic increment.
     */
    static final class Counted extends OutcomeWindow {
        private final int size;
        private final AtomicLong recorded = new AtomicLong();
        private final AtomicLongArray failureBits;
        private final AtomicInteger failures = new AtomicInteger();
        /** {@code null} when no call is slow. */
        private final AtomicLongArray slowBits;
        private final AtomicInteger slow = new AtomicInteger();

        Counted(BreakerSpec spec) {
            super(spec);
            this.size = spec.window();
            this.failureBits = new AtomicLongArray((size + 63) >>> 6);
            this.slowBits = spec.slowCallNanos() > 0 ? new AtomicLongArray((size + 63) >>> 6) : null;
        }

        @Override
        boolean record(boolean failure) {
            return record(0, failure, false);
        }

        @Override
        boolean record(long now, boolean failure, boolean isSlow) {
            long index = recorded.getAndIncrement();
            int slot = (int) (index % size);
            int word = slot >>> 6;
            long mask = 1L << (slot & 63);
            int failed = flip(failureBits, failures, word, mask, failure);
            int slowed = slowBits == null ? 0 : flip(slowBits, slow, word, mask, isSlow);
            return (failed != 0 || slowed != 0) && opens(Math.min(index + 1, size), failed, slowed);
        }

        @Override
        Counts counts() {
            return new Counts(Math.min(recorded.get(), size), failures.get(), slow.get());
        }

        /** Sets or clears one bit of {@code bits}, keeping {@code count} equal to the bits set; returns the count then. */
        private static int flip(AtomicLongArray bits, AtomicInteger count, int word, long mask, boolean set) {
            for (;;) {
                long current = bits.get(word);
                long next = set ? current | mask : current & ~mask;
                if (current == next) {
                    return count.get();
                }
                if (bits.compareAndSet(word, current, next)) {
                    return count.addAndGet(set ? 1 : -1);
                }
            }
        }
    }

    /**
     * The calls that ended in the last {@code windowDuration}, in the {@link TimeBuckets} of the
     * context's clock: a call leaves the window with its bucket, between 0.9 and 1.0 ×
     * {@code windowDuration} after it ended. A success sums the window only when a failure or slow
     * call is still in it: without one it cannot open the breaker.
     */
    static final class Timed extends OutcomeWindow {
        private static final VarHandle TELLING;

        static {
            try {
                TELLING = MethodHandles.lookup().findVarHandle(Timed.class, "lastTelling", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final TimeSource time;
        private final TimeBuckets<Bucket> buckets;
        /** The latest tenth in which a failure or slow call was counted; only grows. */
        private volatile long lastTelling = TimeBuckets.NEVER;

        Timed(BreakerSpec spec, TimeSource time, TimeBuckets.Ticks ticks) {
            super(spec);
            this.time = time;
            this.buckets = new TimeBuckets<>(spec.windowNanos(), time, ticks, Bucket::new);
        }

        /** A success counts in the current bucket; a failure, rarer, reads the clock for its own (see {@link TimeBuckets}). */
        @Override
        boolean record(boolean failure) {
            return failure ? record(time.nanoTime(), true, false) : record(buckets.current(), false, false);
        }

        @Override
        boolean record(long now, boolean failure, boolean slow) {
            Bucket bucket = buckets.reading(now);
            return bucket != null && record(bucket, failure, slow); // null: ended before the window's oldest bucket began
        }

        private boolean record(Bucket bucket, boolean failure, boolean slow) {
            bucket.add(failure, slow);
            long tenth = bucket.tenth;
            if (failure || slow) {
                told(tenth);
            } else if (tenth - lastTelling >= TimeBuckets.COUNT) {
                return false;
            }
            return opens(tenth);
        }

        private void told(long tenth) {
            for (long last = lastTelling; last < tenth; last = lastTelling) {
                if (TELLING.compareAndSet(this, last, tenth)) {
                    return;
                }
            }
        }

        private boolean opens(long tenth) {
            Counts counts = sum(tenth);
            return opens(counts.calls(), counts.failures(), counts.slow());
        }

        @Override
        Counts counts() {
            return sum(buckets.tenth(time.nanoTime()));
        }

        /** The counts of the ten buckets of the window that ends with {@code tenth}. */
        private Counts sum(long tenth) {
            long calls = 0;
            long failures = 0;
            long slow = 0;
            for (int i = 0; i < TimeBuckets.COUNT; i++) {
                Bucket bucket = buckets.slot(i);
                if (TimeBuckets.inWindow(bucket, tenth)) {
                    calls += bucket.sum();
                    failures += bucket.failures;
                    slow += bucket.slow;
                }
            }
            return new Counts(calls, failures, slow);
        }

        /** The counts of the calls that ended in one tenth of the window. */
        private static final class Bucket extends TimeBuckets.Bucket {
            private static final long serialVersionUID = 1L;
            private static final VarHandle FAILURES;
            private static final VarHandle SLOW;

            static {
                try {
                    MethodHandles.Lookup lookup = MethodHandles.lookup();
                    FAILURES = lookup.findVarHandle(Bucket.class, "failures", long.class);
                    SLOW = lookup.findVarHandle(Bucket.class, "slow", long.class);
                } catch (ReflectiveOperationException e) {
                    throw new ExceptionInInitializerError(e);
                }
            }

            volatile long failures;
            volatile long slow;

            Bucket(long tenth, long start) {
                super(tenth, start);
            }

            /** The call counts in the bucket itself; failures and slow calls, rarer, in fields of their own. */
            void add(boolean failure, boolean isSlow) {
                increment();
                if (failure) {
                    FAILURES.getAndAdd(this, 1L);
                }
                if (isSlow) {
                    SLOW.getAndAdd(this, 1L);
                }
            }

            @Override
            boolean used() {
                return sum() > 0;
            }
        }
    }
}
