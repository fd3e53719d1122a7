package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.ManualTime;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Property, with 8 threads at once: whatever the interleaving of calls started, retries asked and
 * a {@link ManualTime} moved on by the racing threads themselves (across bucket boundaries too),
 * the retries a budget allows in any window never exceed {@code ratio} × the calls started in it
 * plus the reserve. A call counts in the window generously (in any tenth between the readings
 * before and after it), so only retries allowed beyond the budget can fail the test. Each seed is
 * one schedule of operations per thread (see {@link ModelSeeds}); the interleaving is the machine's.
 */
class RetryBudgetRaceTest {
    private static final int THREADS = 8;
    private static final int SEEDS = 150;
    private static final int STEPS = 300;
    private static final long WINDOW = 1_000_000_000L;
    private static final long WIDTH = WINDOW / 10;

    private final Race race = new Race(THREADS);

    @AfterEach
    void stop() throws InterruptedException {
        race.close();
    }

    /** A call counted somewhere in tenths {@code first..last}, or a retry ({@code first == last}) allowed in its tenth. */
    private record Event(long first, long last) {}

    @Test
    void racingRetriesNeverExceedTheBudgetOfAnyWindow() throws Exception {
        for (int seed : ModelSeeds.seeds(SEEDS).toArray()) {
            SplittableRandom setup = new SplittableRandom(seed);
            double ratio = new double[] {0, 0.1, 0.5, 1}[setup.nextInt(4)];
            int minPerSecond = setup.nextInt(3);
            ManualTime manual = new ManualTime();
            Race.Stamped time = new Race.Stamped(manual);
            Settings settings = Settings.of("RetryBudget").put(Attribute.RATIO, ratio).put(Attribute.MIN_PER_SECOND, minPerSecond)
                    .put(Attribute.BUDGET_WINDOW, Duration.ofNanos(WINDOW));
            RetryBudget budget = new RetryBudget("budget", settings, time, null);
            ConcurrentLinkedQueue<Event> calls = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Event> retries = new ConcurrentLinkedQueue<>();
            race.run(thread -> {
                SplittableRandom random = new SplittableRandom(seed * 31L + thread);
                for (int step = 0; step < STEPS; step++) {
                    int what = random.nextInt(10);
                    if (what < 4) {
                        budget.started();
                        calls.add(new Event(tenth(time.lastReading()), tenth(manual.nanoTime())));
                    } else if (what < 8) {
                        if (budget.tryRetry()) {
                            long at = tenth(time.lastReading());
                            retries.add(new Event(at, at));
                        }
                    } else {
                        long now = manual.nanoTime();
                        manual.advance(Duration.ofNanos(random.nextBoolean() ? WIDTH - Math.floorMod(now, WIDTH) : random.nextLong(WIDTH / 3)));
                    }
                }
            });
            check("seed " + seed + " " + budget, ratio, minPerSecond, new ArrayList<>(calls), new ArrayList<>(retries));
        }
    }

    /**
     * The race the property found, made deterministic: a thread reads the clock in one tenth and is
     * held there while the clock moves into the next and another thread takes the last retry of
     * the budget; released, it must not take one more, counted in the tenth it read, since the
     * window of the next tenth would then hold both.
     */
    @Test
    void aRetryWhoseClockReadingFellIntoTheTenthBeforeDoesNotExceedTheBudgetOfTheNext() throws Exception {
        ManualTime manual = new ManualTime();
        manual.advance(Duration.ofNanos(WIDTH - 1)); // the last nanosecond of tenth 0
        HeldClock time = new HeldClock(manual);
        Settings settings = Settings.of("RetryBudget").put(Attribute.RATIO, 0.0).put(Attribute.MIN_PER_SECOND, 1)
                .put(Attribute.BUDGET_WINDOW, Duration.ofNanos(WINDOW));
        RetryBudget budget = new RetryBudget("budget", settings, time, null); // a reserve of one retry per window
        AtomicBoolean late = new AtomicBoolean();
        Thread thread = time.startHeld(() -> late.set(budget.tryRetry()));
        manual.advance(Duration.ofNanos(1)); // tenth 1
        assertTrue(budget.tryRetry(), "the reserve's retry");
        time.release();
        thread.join();
        assertFalse(late.get(), "a second retry in the window of tenth 1, which allows one");
    }

    private static long tenth(long now) {
        return Math.floorDiv(now, WIDTH);
    }

    /** For the window that ends with each tenth a retry was allowed in: the retries in it are within its budget. */
    private static void check(String where, double ratio, int minPerSecond, List<Event> calls, List<Event> retries) {
        BigDecimal reserve = BigDecimal.valueOf(minPerSecond).multiply(BigDecimal.valueOf(WINDOW)).movePointLeft(9);
        for (long end : retries.stream().mapToLong(Event::first).distinct().toArray()) {
            long start = end - 9;
            long retried = retries.stream().filter(r -> r.first() >= start && r.first() <= end).count();
            long called = calls.stream().filter(c -> c.last() >= start && c.first() <= end).count();
            BigDecimal allowed = BigDecimal.valueOf(ratio).multiply(BigDecimal.valueOf(called)).add(reserve);
            assertTrue(BigDecimal.valueOf(retried).compareTo(allowed) <= 0,
                    where + ": " + retried + " retries in the window ending with tenth " + end + ", which allows " + allowed
                            + " (" + called + " calls at most)");
        }
    }
}
