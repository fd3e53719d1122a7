package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.TimeSource;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property: for random {@code ratio}, {@code minPerSecond} and {@code window} and random calls
 * started and retries asked over time (bursts at one instant, bucket boundaries and the nanosecond
 * before them, long idle stretches, clocks that do not start at 0 or pass {@code Long.MAX_VALUE}),
 * the retry budget allows exactly the retries a plain model of the README allows: a retry is
 * allowed when the retries made in the window, this one included, do not exceed {@code ratio} ×
 * the calls started in it plus {@code minPerSecond} × the window in seconds, the window being the
 * ten tenths of {@code window} (aligned on the clock) up to the one of now. Computed exactly, with
 * {@code ratio} as written.
 * Run once reading the clock per event and once ticked (see {@link TimeBuckets}). Each seed is one
 * reproducible sequence (see {@link ModelSeeds}).
 */
class RetryBudgetModelTest {
    private static final int SEQUENCES = 500;
    private static final int STEPS = 250;

    /** The README's budget, in the {@link ManualTime}'s time; made at its 0, on a clock {@code offset} ahead. */
    private static final class Model {
        final BigDecimal ratio;
        final BigDecimal reserve;
        final ModelSeeds.Tenths tenths;
        /** When each call started and each retry was made. */
        final List<Long> calls = new ArrayList<>();
        final List<Long> retries = new ArrayList<>();

        Model(double ratio, int minPerSecond, long windowNanos, long offset) {
            this.ratio = BigDecimal.valueOf(ratio);
            this.reserve = BigDecimal.valueOf(minPerSecond).multiply(BigDecimal.valueOf(windowNanos)).movePointLeft(9);
            this.tenths = ModelSeeds.Tenths.of(offset, 0, windowNanos / 10);
        }

        long inWindow(List<Long> events, long now) {
            long oldest = tenths.tenth(now) - 9;
            events.removeIf(at -> tenths.tenth(at) < oldest); // gone for good: time only moves on
            return events.size();
        }

        boolean tryRetry(long now) {
            BigDecimal allowed = ratio.multiply(BigDecimal.valueOf(inWindow(calls, now))).add(reserve);
            if (BigDecimal.valueOf(inWindow(retries, now) + 1).compareTo(allowed) > 0) {
                return false;
            }
            retries.add(now);
            return true;
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"reading", "ticked"})
    void retryBudgetAgreesWithTheModel(String how) {
        ModelSeeds.seeds(SEQUENCES).forEach(seed -> run(how, seed));
    }

    private static void run(String how, int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ManualTime manual = new ManualTime();
        long offset = ModelSeeds.randomOffset(random);
        TimeSource time = ModelSeeds.offset(manual, offset);
        double ratio = switch (random.nextInt(7)) {
            case 0 -> 0;
            case 6 -> new double[] {0.29, 0.35, 0.57, 0.58, 1.15}[random.nextInt(5)]; // whose double is just under: 0.29 × 100
            case 1 -> random.nextInt(301) / 100.0; // 0.29, 0.57, 1.15...
            case 2 -> random.nextInt(11) / 10.0;
            case 3 -> random.nextDouble() * 3;
            case 4 -> 1000;
            default -> random.nextInt(10_001) / 1000.0;
        };
        int minPerSecond = random.nextInt(4) == 0 ? 0 : random.nextInt(20);
        long second = 1_000_000_000L;
        long window = switch (random.nextInt(4)) {
            case 0 -> (1 + random.nextInt(60)) * second;
            case 1 -> second + 1_000_000L * random.nextInt(59_001);
            case 2 -> second + random.nextLong(59 * second + 1);
            default -> 10 * second;
        };
        Settings settings = Settings.of("RetryBudget").put(Attribute.RATIO, ratio).put(Attribute.MIN_PER_SECOND, minPerSecond)
                .put(Attribute.BUDGET_WINDOW, Duration.ofNanos(window));
        RetryBudget budget = new RetryBudget("budget", settings, time, how.equals("ticked") ? ModelSeeds.ticks(manual) : null);
        Model model = new Model(ratio, minPerSecond, window, offset);
        long width = window / 10;
        String where0 = "seed " + seed + " (" + how + ", offset " + offset + ") " + budget;

        List<String> trace = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            long now = manual.nanoTime(); // the model's time; the budget reads it offset on
            String where = where0 + ", step " + step + " at +" + now + ", trace " + trace;
            switch (random.nextInt(3)) {
                case 0 -> {
                    int burst = switch (random.nextInt(6)) {
                        case 0 -> 1 + random.nextInt(100);
                        case 1 -> 20 * (1 + random.nextInt(5)); // round numbers of calls
                        default -> 1 + random.nextInt(3);
                    };
                    for (int i = 0; i < burst; i++) {
                        budget.started();
                        model.calls.add(now);
                    }
                    trace.add(burst + " calls");
                }
                case 1 -> {
                    int burst = random.nextInt(3) == 0 ? 1 + random.nextInt(40) : 1;
                    for (int i = 0; i < burst; i++) {
                        boolean allowed = model.tryRetry(now);
                        assertEquals(allowed, budget.tryRetry(), "retry " + i + " of " + burst + " at " + where);
                    }
                    trace.add(burst + " retries");
                }
                default -> {
                    long by = switch (random.nextInt(5)) {
                        case 0 -> model.tenths.next(now) - now; // the next bucket boundary
                        case 1 -> Math.max(0, model.tenths.next(now) - now - 1); // the nanosecond before
                        case 2 -> 10 * width + random.nextLong(20 * width); // idle for a window or more
                        default -> random.nextLong(width);
                    };
                    manual.advance(Duration.ofNanos(by));
                    trace.add("+" + by);
                }
            }
            if (trace.size() > 12) {
                trace.remove(0);
            }
        }
    }
}
