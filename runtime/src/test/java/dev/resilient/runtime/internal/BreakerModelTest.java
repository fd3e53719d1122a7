package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.resilient.runtime.CircuitBreaker.State;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.ResilienceListener;
import dev.resilient.runtime.TimeSource;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property: the breaker in each mode (consecutive, count window, time window: ten buckets aligned
 * on the context's clock), with slow calls, {@code maxHalfOpen} with trial calls left hanging, open
 * backoff ({@code openForMultiplier}, {@code maxOpenFor}), outcomes counted, skipped or in neither
 * list, forced opens and resets, against a plain sequential model of the README's rules, on random
 * sequences of calls, outcomes, trial calls in flight and clock moves (bucket boundaries, the last
 * nanosecond before them, the end of {@code openFor} and {@code maxHalfOpen} exactly, attempts of
 * exactly {@code slowCall}, long idle stretches), on clocks that do not start at 0 or whose
 * readings pass {@code Long.MAX_VALUE}. Every admission, rejection (and the time left it names),
 * state, time left open, state change and slow call must agree. A second property drives
 * the time window alone, once reading the clock per call and once ticked (see
 * {@link TimeBuckets}), against the same window model. Each seed is one reproducible sequence
 * (see {@link ModelSeeds}).
 */
class BreakerModelTest {
    private static final int SEQUENCES = 300;
    private static final int STEPS = 250;
    private static final long MS = 1_000_000;

    /**
     * The README's time window: a call counts in the bucket of the tenth of {@code windowDuration}
     * (aligned on the clock) it ended in, and leaves the window with it, ten tenths later. Times are
     * the {@link ManualTime}'s; the tenths are aligned on the clock when the window is made, at the
     * breaker's declaration and each time it closes (see {@link ModelSeeds.Tenths}).
     */
    static final class WindowModel {
        final int size; // > 0: the last size calls; 0: a time window of ten tenths of width
        final long width;
        final double rate;
        final int minimumCalls;
        final double slowRate;
        /** How far the clock is ahead of the model's time. */
        final long offset;
        /** {end, failure, slow}; end only for a time window. */
        final Deque<long[]> calls = new ArrayDeque<>();
        ModelSeeds.Tenths tenths;

        /** A window made at the model's time 0. */
        WindowModel(int size, long width, double rate, int minimumCalls, double slowRate, long offset) {
            this.size = size;
            this.width = width;
            this.rate = rate;
            this.minimumCalls = minimumCalls;
            this.slowRate = slowRate;
            this.offset = offset;
            this.tenths = ModelSeeds.Tenths.of(offset, 0, width);
        }

        /** Records a call that ended at {@code now}; whether the window now calls for opening. */
        boolean record(long now, boolean failure, boolean slow) {
            calls.addLast(new long[] {now, failure ? 1 : 0, slow ? 1 : 0});
            if (size > 0 && calls.size() > size) {
                calls.removeFirst();
            }
            OutcomeWindow.Counts counts = counts(now);
            return counts.calls() >= minimumCalls
                    && (counts.failures() >= rate * counts.calls() || counts.slow() > 0 && counts.slow() >= slowRate * counts.calls());
        }

        OutcomeWindow.Counts counts(long now) {
            long total = 0;
            long failures = 0;
            long slow = 0;
            for (long[] call : calls) {
                if (size > 0 || tenths.tenth(call[0]) > tenths.tenth(now) - 10) {
                    total++;
                    failures += call[1];
                    slow += call[2];
                }
            }
            return new OutcomeWindow.Counts(total, failures, slow);
        }

        /** Empty again, as a window made at {@code now}. */
        void clear(long now) {
            calls.clear();
            tenths = ModelSeeds.Tenths.of(offset, now, width);
        }

        /** When the oldest call still in the time window leaves it: with its bucket, ten tenths on; {@code now} if none. */
        long leaves(long now) {
            counts(now);
            for (long[] call : calls) {
                if (tenths.tenth(call[0]) > tenths.tenth(now) - 10) {
                    return tenths.start(tenths.tenth(call[0]) + 10);
                }
            }
            return now;
        }
    }

    /** The README's breaker, written as plainly as possible. */
    static final class Model {
        final int threshold; // consecutive mode when window == null
        final WindowModel window;
        final long slowCall;
        final long openFor;
        final BigDecimal multiplier;
        final long maxOpenFor;
        final int halfOpenCalls;
        final long maxHalfOpen;
        final List<String> events = new ArrayList<>();

        State state = State.CLOSED;
        int generation;
        boolean forced;
        long openUntil;
        /** How long the current (or last) OPEN lasts. */
        long openedFor;
        long deadline;
        int permits;
        int successes;
        int consecutive;

        Model(int threshold, WindowModel window, long slowCall, long openFor, double multiplier, long maxOpenFor, int halfOpenCalls,
                long maxHalfOpen) {
            this.threshold = threshold;
            this.window = window;
            this.slowCall = slowCall;
            this.openFor = openFor;
            this.multiplier = BigDecimal.valueOf(multiplier);
            this.maxOpenFor = maxOpenFor;
            this.halfOpenCalls = halfOpenCalls;
            this.maxHalfOpen = maxHalfOpen;
        }

        /** Once {@code maxHalfOpen} has elapsed, HALF_OPEN is OPEN again as of its end, whoever notices. */
        void notice(long now) {
            if (state == State.HALF_OPEN && maxHalfOpen > 0 && now >= deadline) {
                open(deadline, true);
            }
        }

        State reported(long now) {
            notice(now);
            return state == State.OPEN && !forced && now >= openUntil ? State.HALF_OPEN : state;
        }

        Optional<Duration> timeLeftOpen(long now) {
            notice(now);
            if (state != State.OPEN) {
                return Optional.of(Duration.ZERO);
            }
            return forced ? Optional.empty() : Optional.of(Duration.ofNanos(Math.max(0, openUntil - now)));
        }

        /** The generation admitted, or -1 when rejected. */
        int acquire(long now) {
            notice(now);
            if (state == State.OPEN && !forced && now >= openUntil) {
                enter(State.HALF_OPEN);
                permits = halfOpenCalls;
                successes = 0;
                deadline = maxHalfOpen > 0 ? now + maxHalfOpen : Long.MAX_VALUE;
            }
            if (state == State.CLOSED) {
                return generation;
            }
            if (state == State.HALF_OPEN && permits > 0) {
                permits--;
                return generation;
            }
            return -1;
        }

        /** What a rejection says is left open: 0 in HALF_OPEN, {@code null} when held open. */
        Duration rejectionRemaining(long now) {
            return state == State.HALF_OPEN ? Duration.ZERO : forced ? null : Duration.ofNanos(openUntil - now);
        }

        void settle(int admitted, String outcome, long start, long now) {
            notice(now);
            if (admitted != generation) {
                return; // a late outcome of an earlier state changes nothing
            }
            boolean skipped = outcome.equals("skip");
            boolean failure = outcome.equals("fail");
            boolean slow = !skipped && slowCall > 0 && now - start >= slowCall;
            if (slow) {
                events.add("slow " + (now - start));
            }
            if (state == State.CLOSED) {
                if (skipped) {
                    return;
                }
                boolean opens;
                if (window == null) {
                    consecutive = failure ? consecutive + 1 : 0;
                    opens = consecutive >= threshold;
                } else {
                    opens = window.record(now, failure, slow);
                }
                if (opens) {
                    open(now, false);
                }
            } else if (state == State.HALF_OPEN) {
                if (failure || slow) {
                    open(now, true);
                } else if (skipped) {
                    permits++;
                } else if (++successes >= halfOpenCalls) {
                    close(now);
                }
            }
        }

        void open(long at, boolean reopening) {
            openedFor = reopening ? next(openedFor) : openFor;
            openUntil = at + openedFor;
            forced = false;
            enter(State.OPEN);
        }

        /** {@code openForMultiplier} times the time before, at most {@code maxOpenFor}. */
        long next(long before) {
            BigDecimal longer = multiplier.multiply(BigDecimal.valueOf(before)).setScale(0, RoundingMode.FLOOR);
            return longer.min(BigDecimal.valueOf(maxOpenFor)).longValueExact();
        }

        void forceOpen() {
            forced = true;
            openedFor = openFor;
            enter(State.OPEN);
        }

        void close(long now) {
            forced = false;
            consecutive = 0;
            if (window != null) {
                window.clear(now);
            }
            enter(State.CLOSED);
        }

        private void enter(State next) {
            if (next != state) {
                events.add("state " + state + " -> " + next);
            }
            state = next;
            generation++;
        }
    }

    /** The state changes and slow calls the breaker tells, exactly. */
    private static final class Told implements ResilienceListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onStateChange(String breaker, State from, State to) {
            events.add("state " + from + " -> " + to);
        }

        @Override
        public void onSlowCall(String breaker, Duration took) {
            events.add("slow " + took.toNanos());
        }
    }

    private record InFlight(Permit permit, int generation, long start) {}

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"time window", "count window", "consecutive"})
    void breakerAgreesWithTheSequentialModel(String mode) {
        ModelSeeds.seeds(SEQUENCES).forEach(seed -> run(mode, seed));
    }

    /** The model and the moves count time as the {@link ManualTime} does; the breaker reads it {@code offset} on. */
    private static void run(String mode, int seed) {
        SplittableRandom random = new SplittableRandom(seed * 31L + mode.length());
        ManualTime manual = new ManualTime();
        long offset = ModelSeeds.randomOffset(random);
        TimeSource time = ModelSeeds.offset(manual, offset);
        Told told = new Told();
        ResilienceContext context = ResilienceContext.builder().time(time).listener(told).build();

        // One unit of time the settings are drawn around: a tenth of the window, or about a second.
        long width = switch (random.nextInt(4)) {
            case 0 -> MS;
            case 1 -> 100 * MS;
            case 2 -> MS + random.nextLong(1000 * MS);
            default -> 1000 * MS;
        };
        long unit = mode.equals("time window") ? width : 100 * MS + random.nextLong(1000 * MS);
        int halfOpenCalls = 1 + random.nextInt(3);
        long openFor = random.nextInt(10) == 0 ? 0 : 1 + random.nextLong(3 * unit);
        double multiplier = switch (random.nextInt(5)) {
            case 0, 1 -> 1.0;
            case 2 -> 2.0;
            case 3 -> 1.5;
            default -> (11 + random.nextInt(30)) / 10.0;
        };
        long maxOpenFor = random.nextBoolean() ? Long.MAX_VALUE : openFor + random.nextLong(10 * unit + 1);
        long maxHalfOpen = random.nextBoolean() ? 0 : 1 + random.nextLong(2 * unit);
        BreakerSpec.Builder spec = BreakerSpec.builder()
                .openFor(Duration.ofNanos(openFor))
                .halfOpenCalls(halfOpenCalls)
                .openForMultiplier(multiplier)
                .failOn(IOException.class)
                .skipOn(IllegalArgumentException.class);
        if (maxOpenFor != Long.MAX_VALUE) {
            spec.maxOpenFor(Duration.ofNanos(maxOpenFor));
        }
        if (maxHalfOpen > 0) {
            spec.maxHalfOpen(Duration.ofNanos(maxHalfOpen));
        }
        long slowCall = 0;
        int threshold = 0;
        WindowModel window = null;
        if (mode.equals("consecutive")) {
            threshold = 1 + random.nextInt(4);
            spec.failureThreshold(threshold);
        } else {
            double rate = (1 + random.nextInt(10)) / 10.0;
            double slowRate = 1.0;
            int size = 0;
            int minimumCalls;
            if (mode.equals("time window")) {
                minimumCalls = 1 + random.nextInt(6);
                spec.windowDuration(Duration.ofNanos(10 * width));
            } else {
                size = 1 + random.nextInt(8);
                minimumCalls = 1 + random.nextInt(size);
                spec.window(size);
            }
            spec.minimumCalls(minimumCalls).failureRate(rate);
            if (random.nextBoolean()) {
                slowCall = 1 + random.nextLong(2 * unit);
                spec.slowCall(Duration.ofNanos(slowCall));
                if (random.nextBoolean()) {
                    slowRate = (1 + random.nextInt(10)) / 10.0;
                    spec.slowCallRate(slowRate);
                }
            }
            window = new WindowModel(size, width, rate, minimumCalls, slowRate, offset);
        }
        int failPercent = new int[] {5, 40, 70}[random.nextInt(3)];
        Model model = new Model(threshold, window, slowCall, openFor, multiplier, maxOpenFor, halfOpenCalls, maxHalfOpen);
        Breaker breaker = Breaker.declare(context, "b", spec.build());
        String settings = "seed " + seed + " (" + mode + ", offset " + offset + "): " + breaker.settings();

        List<InFlight> inFlight = new ArrayList<>();
        List<String> trace = new ArrayList<>();
        for (int step = 0; step < STEPS && manual.nanoTime() < (1L << 61); step++) {
            long now = manual.nanoTime();
            String where = settings + ", step " + step + " at +" + now + ", trace " + trace;
            int action = random.nextInt(100);
            if (action < 35 || action < 60 && inFlight.isEmpty()) {
                int admitted = model.acquire(now);
                Permit permit = null;
                try {
                    permit = breaker.acquire(null);
                } catch (CircuitOpenException rejected) {
                    assertEquals(model.rejectionRemaining(now), rejected.remaining(), "time left at " + where);
                }
                assertEquals(admitted >= 0, permit != null, "admission at " + where);
                trace.add(permit == null ? "rejected" : "admitted");
                if (permit != null) {
                    inFlight.add(new InFlight(permit, admitted, now));
                }
            } else if (action < 60) {
                InFlight call = inFlight.remove(random.nextInt(inFlight.size()));
                String outcome = random.nextInt(100) < failPercent ? "fail" : switch (random.nextInt(4)) {
                    case 0 -> "skip";
                    case 1 -> "uncounted";
                    default -> "succeed";
                };
                model.settle(call.generation(), outcome.equals("uncounted") ? "succeed" : outcome, call.start(), now);
                switch (outcome) {
                    case "fail" -> call.permit().failed(new IOException());
                    case "skip" -> call.permit().failed(new IllegalArgumentException());
                    case "uncounted" -> call.permit().failed(new IllegalStateException("neither list: a success"));
                    default -> call.permit().succeeded();
                }
                trace.add(outcome + "(took " + (now - call.start()) + ")");
            } else if (action < 96) {
                long by = move(random, now, model, width, unit, inFlight);
                manual.advance(Duration.ofNanos(by));
                trace.add("+" + by);
            } else if (action < 98) {
                model.notice(now);
                model.forceOpen();
                breaker.forceOpen();
                trace.add("forceOpen");
            } else {
                model.notice(now);
                model.close(now);
                breaker.reset();
                trace.add("reset");
            }
            if (trace.size() > 16) {
                trace.remove(0);
            }
            long after = manual.nanoTime();
            where = settings + ", step " + step + " at +" + after + ", trace " + trace;
            assertEquals(model.reported(after), breaker.state(), "state at " + where);
            assertEquals(model.timeLeftOpen(after), breaker.timeLeftOpen(), "time left open at " + where);
            assertEquals(model.events, told.events, "events at " + where);
        }
    }

    /** A clock move, often onto an instant where a rule changes its answer, or the nanosecond before. */
    private static long move(SplittableRandom random, long now, Model model, long width, long unit, List<InFlight> inFlight) {
        long exact = random.nextBoolean() ? 0 : 1; // onto the instant, or the nanosecond before it
        long target = switch (random.nextInt(9)) {
            case 0 -> model.window != null && model.window.size == 0 ? model.window.tenths.next(now) : -1; // the next bucket boundary
            case 1 -> model.state == State.OPEN && !model.forced ? model.openUntil : -1;
            case 2 -> model.state == State.HALF_OPEN && model.maxHalfOpen > 0 ? model.deadline : -1;
            case 3 -> model.slowCall > 0 && !inFlight.isEmpty()
                    ? inFlight.get(random.nextInt(inFlight.size())).start() + model.slowCall : -1;
            case 4 -> now + 10 * width + random.nextLong(20 * width); // a long idle stretch
            case 5 -> model.window != null && model.window.size == 0 ? model.window.leaves(now) : -1; // the oldest call leaves
            default -> -1;
        };
        if (target - exact > now) {
            return target - exact - now;
        }
        return random.nextInt(3) == 0 ? 0 : random.nextLong(unit) + 1;
    }

    /**
     * The time window alone, recorded both ways a breaker records (reading the clock, and at a
     * reading taken when the attempt ended), its counts asked at random: reading the clock per
     * call and ticked, it agrees with the model on every decision and every count.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"reading", "ticked"})
    void timeWindowAgreesWithTheModel(String how) {
        ModelSeeds.seeds(SEQUENCES).forEach(seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            ManualTime manual = new ManualTime();
            long offset = ModelSeeds.randomOffset(random);
            TimeSource time = ModelSeeds.offset(manual, offset);
            // ticked: tenths of at least TimeBuckets.MIN_TICK, or it would read the clock anyway
            long width = how.equals("ticked") ? TimeBuckets.MIN_TICK + random.nextLong(1000 * MS) : MS + random.nextLong(1000 * MS);
            int minimumCalls = 1 + random.nextInt(6);
            double rate = (1 + random.nextInt(10)) / 10.0;
            double slowRate = (1 + random.nextInt(10)) / 10.0;
            BreakerSpec spec = BreakerSpec.builder().windowDuration(Duration.ofNanos(10 * width)).minimumCalls(minimumCalls).failureRate(rate)
                    .slowCall(Duration.ofSeconds(1)).slowCallRate(slowRate).build();
            OutcomeWindow window = OutcomeWindow.of(spec, time, how.equals("ticked") ? ModelSeeds.ticks(manual) : null);
            WindowModel model = new WindowModel(0, width, rate, minimumCalls, slowRate, offset);
            int failPercent = new int[] {3, 30, 70}[random.nextInt(3)]; // rare failures: a lone one in the oldest bucket decides
            for (int step = 0; step < STEPS; step++) {
                long now = manual.nanoTime(); // the model's time; the window reads it offset on
                String where = "seed " + seed + " (" + how + ", offset " + offset + ", width " + width + "), step " + step + " at +" + now;
                switch (random.nextInt(5)) {
                    case 0 -> {
                        boolean failure = random.nextInt(100) < failPercent;
                        assertEquals(model.record(now, failure, false), window.record(failure), "record at " + where);
                    }
                    case 1 -> {
                        boolean failure = random.nextInt(100) < failPercent;
                        boolean slow = random.nextInt(100) < failPercent;
                        assertEquals(model.record(now, failure, slow), window.record(time.nanoTime(), failure, slow), "timed record at " + where);
                    }
                    case 2 -> assertEquals(model.counts(now), window.counts(), "counts at " + where);
                    default -> {
                        long by = switch (random.nextInt(6)) {
                            case 0 -> model.tenths.next(now) - now;
                            case 1 -> Math.max(0, model.tenths.next(now) - now - 1);
                            case 4 -> Math.max(0, model.leaves(now) - random.nextInt(2) - now); // the oldest call's leaving, or just before
                            case 2 -> 10 * width + random.nextLong(10 * width);
                            default -> random.nextLong(width);
                        };
                        manual.advance(Duration.ofNanos(by));
                        assertEquals(model.counts(manual.nanoTime()), window.counts(), "counts after +" + by + " at " + where);
                    }
                }
            }
        });
    }
}
