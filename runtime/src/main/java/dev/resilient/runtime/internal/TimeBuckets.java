package dev.resilient.runtime.internal;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.TimeSource;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A sliding window kept in ten buckets of a tenth of it each, aligned on the context's clock: what
 * a time-window breaker ({@code OutcomeWindow.Timed}) and a {@link RetryBudget} count in. An event
 * counts in the bucket of its tenth and leaves the window with that bucket, ten tenths later, so
 * between 0.9 and 1.0 × the window after it happened. A slot of the ring holds the bucket of one
 * tenth; the first event of a later tenth replaces it, by compare-and-set, with a fresh one (one
 * allocation per slot per tenth, never per event). Lock-free.
 *
 * <p>Finding the bucket of now would cost a reading of the clock per event, 20 to 30 ns, more
 * than all the rest of a call's overhead. So where it is given {@link Ticks} (the context gives
 * them under the system clock only), a tick at the start of each tenth makes that tenth's bucket
 * {@link #current()}, and an event finds it with one volatile read. An event between the start of
 * a tenth and its tick (the scheduler's lag) counts in the tenth before, and leaves the window that
 * much earlier. Ticking stops after a whole window without an event; the next event reads the
 * clock and starts it again. Events that have the clock's time, or read it as they are off the
 * success path (a failure, a retry asked for), count by {@link #reading(long)}, exactly, and take
 * ticks that have fallen a tenth behind back up (a tick a shut-down scheduler dropped without
 * refusing it, or one late by more than a tenth): so a lost tick costs successes their exact tenth
 * until the next failure or retry, never the window itself. Without ticks ({@link ManualTime}),
 * and for tenths under {@link #MIN_TICK}, every event reads the clock, and the window is exactly
 * as described above.
 *
 * @param <B> what one tenth counts
 */
final class TimeBuckets<B extends TimeBuckets.Bucket> {
    static final int COUNT = 10;
    /** Older than any tenth of any clock's reading, yet far from overflowing when subtracted. */
    static final long NEVER = Long.MIN_VALUE / 4;
    /** The shortest tenth ticked: at most a hundred ticks a second per window. */
    static final long MIN_TICK = TimeUnit.MILLISECONDS.toNanos(10);

    private static final int IDLE = 0;
    private static final int TICKING = 1;
    /** The scheduler refused a tick: every event reads the clock from then on. */
    private static final int REFUSED = 2;
    /** Ticks fell behind: the chain running is being replaced. */
    private static final int REPLACING = 3;
    private static final VarHandle STATE;
    private static final VarHandle TICKED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(TimeBuckets.class, "state", int.class);
            TICKED = lookup.findVarHandle(TimeBuckets.class, "ticked", Bucket.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Where ticks are scheduled, as {@link ContextCore#scheduleShort}. */
    @FunctionalInterface
    interface Ticks {
        /** @throws java.util.concurrent.RejectedExecutionException when the scheduler refuses it */
        Runnable schedule(Runnable task, long delayNanos);
    }

    /** Makes the bucket of one tenth. */
    @FunctionalInterface
    interface Factory<B> {
        B create(long tenth, long start);
    }

    /**
     * What the events of one tenth of the window added up to. It is itself the count of the
     * events every call adds to (threads that count at once add to cells of their own), so that a
     * call finds that count in the bucket it reads, without reading another reference.
     */
    abstract static class Bucket extends LongAdder {
        private static final long serialVersionUID = 1L;

        final long tenth;
        /** When its tenth begins, by the context's clock. */
        final long start;

        Bucket(long tenth, long start) {
            this.tenth = tenth;
            this.start = start;
        }

        /** Whether any event counted in it. */
        abstract boolean used();
    }

    private final TimeSource time;
    /**
     * The start of the tenth of the clock's reading when the window was made: tenths count from
     * it, so that readings which pass {@code Long.MAX_VALUE} (as {@code System.nanoTime} may)
     * still come in order, on the same boundaries as before (all arithmetic on it wraps alike).
     */
    private final long origin;
    private final long width;
    private final Factory<B> factory;
    /** {@code null}: never ticks. */
    private final Ticks ticks;
    private final AtomicReferenceArray<B> ring = new AtomicReferenceArray<>(COUNT);
    /**
     * The latest bucket made current, so that an event of its tenth finds it without dividing the
     * time; may lag behind, which only sends an event the longer way.
     */
    private volatile B latest;
    /** The bucket of the tenth the last tick began while ticks run; {@code null} otherwise. */
    private volatile B ticked;
    private volatile int state = IDLE;
    /** The chain of ticks that may run: a tick of an older one stops. Written only by whoever moved {@link #state} to start or replace one. */
    private volatile long chain;

    /** @param ticks where ticks are scheduled under the system clock, or {@code null} for never */
    TimeBuckets(long windowNanos, TimeSource time, Ticks ticks, Factory<B> factory) {
        this.time = time;
        this.width = windowNanos / COUNT;
        long made = time.nanoTime();
        this.origin = made - Math.floorMod(made, width);
        this.factory = factory;
        this.ticks = width >= MIN_TICK ? ticks : null;
        B none = factory.create(NEVER, Long.MIN_VALUE);
        for (int i = 0; i < COUNT; i++) {
            ring.set(i, none);
        }
        // Never the sentinel: at() takes the latest bucket for any reading within a tenth of its start, the sentinel's
        // is Long.MIN_VALUE, which a clock of any origin may read, and the sentinel, in all ten slots, would count each
        // event ten times.
        latest = of(0);
    }

    /**
     * The bucket events of now count in: the ticked one while ticks run, otherwise the one of the
     * clock's reading (starting ticks if they may run).
     */
    B current() {
        B bucket = ticked;
        if (bucket != null) {
            return bucket;
        }
        bucket = reading(time.nanoTime());
        if (ticks != null && state == IDLE) {
            startTicking();
        }
        return bucket != null ? bucket : latest; // null only for a thread late by a whole window
    }

    /**
     * The bucket of {@code now}, a reading of the context's clock, as {@link #at}; ticks that have
     * fallen a tenth behind are stopped, for the next {@link #current()} to start again. Only
     * {@link #current()} starts ticks: a window whose events all have their time (a slow-call
     * breaker's) never needs them.
     */
    B reading(long now) {
        B last = ticked;
        if (last != null && now - last.start >= 2 * width && STATE.compareAndSet(this, TICKING, REPLACING)) {
            chain++; // the chain behind stops at its next tick, if it ever comes
            ticked = null;
            state = IDLE;
        }
        return at(now);
    }

    /** The bucket of the tenth that holds {@code now}, a reading of the context's clock; {@code null} when that tenth has left the window. */
    B at(long now) {
        B bucket = latest;
        if (Long.compareUnsigned(now - bucket.start, width) < 0) {
            return bucket;
        }
        bucket = of(tenth(now));
        if (bucket != null && bucket.tenth > latest.tenth) {
            latest = bucket;
        }
        return bucket;
    }

    /** The tenth that holds {@code now}, counted from the window's origin (a reading before it: a negative one). */
    long tenth(long now) {
        return Math.floorDiv(now - origin, width);
    }

    /** The bucket in slot {@code slot}, {@code 0 <= slot < COUNT}, whatever its tenth. */
    B slot(int slot) {
        return ring.get(slot);
    }

    /** Whether {@code bucket} is one of the ten of the window that ends with {@code tenth}. */
    static boolean inWindow(Bucket bucket, long tenth) {
        return bucket.tenth <= tenth && tenth - bucket.tenth < COUNT;
    }

    /** The bucket of {@code tenth}, made current if its slot holds an older one; {@code null} when it holds a newer one. */
    private B of(long tenth) {
        int slot = (int) Math.floorMod(tenth, (long) COUNT);
        for (;;) {
            B bucket = ring.get(slot);
            if (bucket.tenth == tenth) {
                return bucket;
            }
            if (bucket.tenth > tenth) {
                return null;
            }
            B fresh = factory.create(tenth, origin + tenth * width);
            if (ring.compareAndSet(slot, bucket, fresh)) {
                return fresh;
            }
        }
    }

    private void startTicking() {
        if (STATE.compareAndSet(this, IDLE, TICKING)) {
            advance(++chain, false);
        }
    }

    /**
     * Makes the bucket of the tenth begun now current and schedules the next tick of chain
     * {@code id} for the start of the next tenth; when {@code mayStop}, stops instead after a
     * whole window without events. A tick of a chain replaced does nothing.
     */
    private void advance(long id, boolean mayStop) {
        if (id != chain) {
            return;
        }
        long now = time.nanoTime();
        long tenth = tenth(now);
        if (mayStop && idle(tenth - 1)) {
            ticked = null;
            state = IDLE; // only now: an event that finds no tick running starts one after this
            return;
        }
        B bucket = at(now);
        B current = bucket != null ? bucket : latest;
        ticked = current;
        if (id != chain) {
            // Replaced while it ran (reading() found it behind): nothing would move this bucket on, and an event that
            // finds one current starts no chain; the chain that replaced it, if one started, ticks on.
            TICKED.compareAndSet(this, current, null);
            return;
        }
        try {
            ticks.schedule(() -> advance(id, true), origin + (tenth + 1) * width - now);
        } catch (RuntimeException refused) { // a shut-down scheduler: read the clock per event from now on
            ticked = null;
            state = REFUSED;
        }
    }

    /** Whether no event counted in the window that ends with {@code tenth}. */
    private boolean idle(long tenth) {
        for (int i = 0; i < COUNT; i++) {
            B bucket = ring.get(i);
            if (inWindow(bucket, tenth) && bucket.used()) {
                return false;
            }
        }
        return true;
    }

    /** Whether ticks run now; for tests. */
    boolean ticking() {
        return ticked != null;
    }
}
