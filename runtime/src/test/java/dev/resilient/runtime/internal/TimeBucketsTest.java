package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The ticks that move {@link TimeBuckets} on under the system clock, driven here by
 * {@link ManualTime}: an event between ticks reads no clock, each tenth's bucket is current from
 * its tick on, ticking stops when idle, a refusing scheduler costs nothing but the clock reads.
 * {@code BreakerModelTest} and {@code RetryBudgetModelTest} check that ticked windows and budgets
 * decide as their models do, as those reading the clock per event do.
 */
class TimeBucketsTest {
    private static final Duration TENTH = Duration.ofSeconds(1);
    private static final Duration NANO = Duration.ofNanos(1);

    private final ManualTime manual = new ManualTime();
    private final AtomicInteger readings = new AtomicInteger();
    /** The manual clock, counting its readings. */
    private final TimeSource time = new TimeSource() {
        @Override
        public long nanoTime() {
            readings.incrementAndGet();
            return manual.nanoTime();
        }

        @Override
        public void sleep(long nanos) {
            throw new AssertionError("buckets never wait");
        }
    };
    /** Added to every tick's delay: the scheduler's lag. */
    private long lagNanos;
    private final TimeBuckets.Ticks ticks = (task, delay) -> manual.schedule(task, Duration.ofNanos(delay + lagNanos));

    /** Counts events, in the count every bucket is. */
    static final class Counter extends TimeBuckets.Bucket {
        private static final long serialVersionUID = 1L;

        Counter(long tenth, long start) {
            super(tenth, start);
        }

        @Override
        boolean used() {
            return sum() > 0;
        }
    }

    private TimeBuckets<Counter> buckets(TimeBuckets.Ticks ticks) {
        return new TimeBuckets<>(TENTH.toNanos() * 10, time, ticks, Counter::new);
    }

    private static long event(TimeBuckets<Counter> buckets) {
        Counter bucket = buckets.current();
        bucket.increment();
        return bucket.tenth;
    }

    @Test
    void betweenTicksAnEventReadsNoClock() {
        TimeBuckets<Counter> buckets = buckets(ticks);
        event(buckets);
        assertTrue(buckets.ticking());
        for (int tenth = 0; tenth < 25; tenth++) {
            int before = readings.get();
            for (int i = 0; i < 1_000; i++) {
                assertEquals(tenth, event(buckets));
            }
            assertEquals(before, readings.get(), "events between ticks");
            manual.advance(TENTH);
            assertEquals(before + 1, readings.get(), "one reading per tick");
        }
    }

    @Test
    void eachTenthsBucketIsCurrentFromTheStartOfTheTenth() {
        TimeBuckets<Counter> buckets = buckets(ticks);
        event(buckets);
        for (int tenth = 1; tenth < 25; tenth++) {
            manual.advance(TENTH.minus(NANO));
            assertEquals(tenth - 1, event(buckets), "the last nanosecond of tenth " + (tenth - 1));
            manual.advance(NANO);
            assertEquals(tenth, event(buckets), "the first nanosecond of tenth " + tenth);
        }
    }

    @Test
    void underLagAnEventCountsInTheTenthBeforeUntilTheTickRunsAndTheLagDoesNotAddUp() {
        lagNanos = Duration.ofMillis(3).toNanos();
        TimeBuckets<Counter> buckets = buckets(ticks);
        event(buckets);
        for (int tenth = 1; tenth < 25; tenth++) {
            advanceTo(TENTH.multipliedBy(tenth).plusMillis(1));
            assertEquals(tenth - 1, event(buckets), "1ms into tenth " + tenth + ", before its tick");
            advanceTo(TENTH.multipliedBy(tenth).plusMillis(3));
            assertEquals(tenth, event(buckets), "from the tick of tenth " + tenth + " on, 3ms late: never later");
        }
    }

    private void advanceTo(Duration at) {
        manual.advance(at.minusNanos(manual.nanoTime()));
    }

    @Test
    void ticksStopAfterAWholeWindowWithoutEventsAndTheNextEventStartsThem() {
        TimeBuckets<Counter> buckets = buckets(ticks);
        event(buckets);
        manual.advance(TENTH.multipliedBy(10));
        assertTrue(buckets.ticking(), "at 10s, tenth 0's event is in the window that ends with tenth 9");
        assertEquals(1, manual.pendingTasks());
        manual.advance(TENTH);
        assertFalse(buckets.ticking(), "at 11s, a whole window without an event");
        assertEquals(0, manual.pendingTasks(), "nothing left scheduled");
        manual.advance(TENTH.multipliedBy(30));
        assertEquals(0, manual.pendingTasks());
        assertEquals(41, event(buckets), "the next event reads the clock");
        assertTrue(buckets.ticking());
        assertEquals(1, manual.pendingTasks());
        manual.advance(TENTH);
        assertEquals(42, event(buckets));
    }

    @Test
    void aRefusingSchedulerLeavesEveryEventReadingTheClockAndCountingRight() {
        AtomicInteger refused = new AtomicInteger();
        TimeBuckets<Counter> buckets = buckets((task, delay) -> {
            refused.incrementAndGet();
            throw new RejectedExecutionException("shut down");
        });
        event(buckets); // asks for a tick, which is refused
        for (int tenth = 0; tenth < 25; tenth++) {
            int before = readings.get();
            assertEquals(tenth, event(buckets));
            assertEquals(tenth, event(buckets));
            assertEquals(before + 2, readings.get(), "one reading per event");
            assertFalse(buckets.ticking());
            manual.advance(TENTH);
        }
        assertEquals(1, refused.get(), "asked once, then never again");
    }

    /**
     * Eight threads record into a ticked time window while the clock moves through nine tenths in
     * small steps, its ticks replacing buckets under them: every outcome counts once.
     */
    @Test
    void racingThreadsLoseNoOutcomeWhileTicksReplaceBuckets() throws Exception {
        int threads = 8;
        OutcomeWindow window = OutcomeWindow.of(BreakerSpec.builder().windowDuration(TENTH.multipliedBy(10)).build(), time, ticks);
        window.record(false);
        AtomicLong calls = new AtomicLong(1);
        AtomicLong failures = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> recorders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int mine = t;
                recorders.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; !done.get() || i < 1_000; i++) {
                        boolean failure = (i + mine) % 7 == 0;
                        window.record(failure);
                        calls.incrementAndGet();
                        failures.addAndGet(failure ? 1 : 0);
                    }
                    return null;
                }));
            }
            start.await();
            for (int step = 0; step < 900; step++) {
                manual.advance(Duration.ofMillis(10));
            }
            done.set(true);
            for (Future<?> recorder : recorders) {
                recorder.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(new OutcomeWindow.Counts(calls.get(), failures.get(), 0), window.counts());
    }

    /**
     * Found by a review: a scheduler shut down with {@code shutdownNow()} drops the tick it had
     * queued without refusing anything, and the ring stood still for good, so a retry budget
     * counted its retries for ever. A retry reads the clock, sees the ticks a tenth behind, and
     * takes them up again.
     */
    @Test
    void ticksThatStopWithoutARefusalAreTakenUpByTheNextEventThatReadsTheClock() {
        Settings settings = Settings.of("RetryBudget").put(Attribute.RATIO, 0.0).put(Attribute.MIN_PER_SECOND, 1)
                .put(Attribute.BUDGET_WINDOW, TENTH.multipliedBy(10));
        RetryBudget budget = new RetryBudget("b", settings, time, (task, delay) -> () -> {}); // takes every tick, runs none
        budget.started();
        for (int i = 0; i < 10; i++) {
            assertTrue(budget.tryRetry(), "the reserve of 10: retry " + (i + 1));
        }
        assertFalse(budget.tryRetry());
        manual.advance(TENTH.multipliedBy(10));
        for (int i = 0; i < 10; i++) {
            assertTrue(budget.tryRetry(), "a window later, the reserve again: retry " + (i + 1));
        }
        assertFalse(budget.tryRetry());
    }

    /**
     * Found by a race: a tick late by two tenths starts to run (its chain still current) as an
     * event that reads the clock finds it behind and replaces its chain; the late tick then made
     * its bucket current again, and with no chain left to move it on, and none started while one
     * seemed to run, every later success counted in that one bucket, out of the window a window
     * later, for good. Held deterministically: the tick waits in its reading of the clock.
     */
    @Test
    void aLateTickRacingTheEventThatReplacesItsChainLeavesNoBucketCurrentForGood() throws Exception {
        List<Runnable> scheduled = new java.util.concurrent.CopyOnWriteArrayList<>();
        HeldClock holding = new HeldClock(manual);
        TimeBuckets<Counter> buckets = new TimeBuckets<>(TENTH.toNanos() * 10, holding, (task, delay) -> {
            scheduled.add(task);
            return () -> {};
        }, Counter::new);
        event(buckets); // starts ticking, its next tick scheduled for the start of tenth 1
        manual.advance(TENTH.multipliedBy(2)); // the tick is late: tenth 2
        Thread tick = holding.startHeld(scheduled.remove(0)); // the tick runs, its chain current, and reads the clock
        assertNotNull(buckets.reading(manual.nanoTime()), "a failure: ticks two tenths behind, their chain replaced");
        holding.release();
        tick.join();
        manual.advance(TENTH.multipliedBy(3)); // tenth 5
        scheduled.forEach(Runnable::run); // the late chain's next tick, if it scheduled one
        assertEquals(5, event(buckets), "a success counts in the tenth of now");
    }

    /**
     * Found by a review: a tick late by more than a window (a busy scheduler, a long pause) left
     * every event in the bucket of the last tick, so a failure was judged with failures that had
     * left the window long before. A failure reads the clock and counts where it belongs.
     */
    @Test
    void aFailureCountsInItsOwnTenthHoweverLateTheTicks() {
        lagNanos = TENTH.multipliedBy(15).toNanos();
        OutcomeWindow window = OutcomeWindow.of(BreakerSpec.builder().windowDuration(TENTH.multipliedBy(10)).minimumCalls(2)
                .failureRate(0.5).build(), time, ticks);
        assertFalse(window.record(true), "1 call: under minimumCalls");
        manual.advance(TENTH.multipliedBy(12));
        assertFalse(window.record(true), "the first failure left the window at 10s: 1 call of the last 10s");
        assertEquals(new OutcomeWindow.Counts(1, 1, 0), window.counts());
    }

    /** A slow-call breaker's window has the time of each outcome (its attempts are timed): it never needs ticks. */
    @Test
    void aWindowWhoseEventsAllHaveTheirTimeNeverTicks() {
        OutcomeWindow window = OutcomeWindow.of(BreakerSpec.builder().windowDuration(TENTH.multipliedBy(10))
                .slowCall(Duration.ofMillis(100)).build(), time, ticks);
        for (int tenth = 0; tenth < 25; tenth++) {
            window.record(manual.nanoTime(), tenth % 3 == 0, tenth % 5 == 0);
            manual.advance(TENTH);
        }
        assertEquals(0, manual.pendingTasks(), "no tick ever scheduled");
        assertEquals(new OutcomeWindow.Counts(9, 3, 1), window.counts(), "tenths 16 to 24 of the last ten");
    }

    @Test
    void tenthsUnderTenMillisecondsNeverTick() {
        TimeBuckets<Counter> buckets = new TimeBuckets<>(Duration.ofMillis(99).toNanos(), time, ticks, Counter::new);
        assertNotNull(buckets.current());
        assertFalse(buckets.ticking());
        assertEquals(0, manual.pendingTasks());
    }

    @Test
    void aWindowOfExactlyOneHundredMillisecondsTicks() {
        TimeBuckets<Counter> buckets = new TimeBuckets<>(Duration.ofMillis(100).toNanos(), time, ticks, Counter::new);
        event(buckets);
        assertTrue(buckets.ticking(), "tenths of exactly 10ms tick");
        assertEquals(1, manual.pendingTasks());
    }

    /** Without ticks every event reads the clock: one in the first nanosecond of a tenth counts in that tenth. */
    @Test
    void withoutTicksAnEventAtTheStartOfATenthCountsInThatTenth() {
        TimeBuckets<Counter> buckets = buckets(null);
        for (int tenth = 0; tenth < 25; tenth++) {
            assertEquals(tenth, event(buckets), "the first nanosecond of tenth " + tenth);
            manual.advance(TENTH.minus(NANO));
            assertEquals(tenth, event(buckets), "the last nanosecond of tenth " + tenth);
            manual.advance(NANO);
        }
    }

    /**
     * The README: a failure or a retry that finds the ticks a tenth or more behind replaces them;
     * less than a tenth behind is the scheduler's lag, and successes keep the ticked bucket.
     */
    @Test
    void ticksAreTakenUpOnceTheyAreATenthBehindAndNotBefore() {
        TimeBuckets<Counter> buckets = buckets((task, delay) -> () -> {}); // takes every tick, runs none
        advanceTo(TENTH.multipliedBy(3));
        assertEquals(3, event(buckets), "starts ticking in tenth 3; its next tick never comes");
        advanceTo(TENTH.multipliedBy(5).minus(NANO));
        assertEquals(4, buckets.reading(manual.nanoTime()).tenth, "a failure counts in its own tenth");
        assertEquals(3, event(buckets), "the tick of tenth 4 is less than a tenth late: a success counts in tenth 3");
        advanceTo(TENTH.multipliedBy(5));
        assertEquals(5, buckets.reading(manual.nanoTime()).tenth);
        assertEquals(5, event(buckets), "a whole tenth late: the failure stopped those ticks, and the success reads the clock");
    }

    /** A chain of ticks replaced because it fell behind stays stopped when its late tick finally runs. */
    @Test
    void aLateTickOfAReplacedChainSchedulesNothing() {
        lagNanos = TENTH.multipliedBy(5).dividedBy(2).toNanos();
        TimeBuckets<Counter> buckets = buckets(ticks);
        event(buckets); // its tick for tenth 1 comes 2.5 tenths late, at 3.5s
        advanceTo(TENTH.multipliedBy(2));
        buckets.reading(manual.nanoTime()); // a failure at 2s finds the ticks a tenth behind and stops them
        assertEquals(2, event(buckets), "a success reads the clock and starts a new chain");
        assertEquals(2, manual.pendingTasks(), "the old chain's late tick and the new chain's");
        advanceTo(TENTH.multipliedBy(7).dividedBy(2));
        assertEquals(1, manual.pendingTasks(), "the old chain's tick ran and scheduled nothing: one chain ticks");
    }
}
