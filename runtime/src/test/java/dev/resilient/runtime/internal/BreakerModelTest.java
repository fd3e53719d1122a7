package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.resilient.runtime.CircuitBreaker.State;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property: for random sequences of calls, outcomes (counted, skipped, not counted), trial calls
 * left in flight, clock moves, forced opens and resets, the breaker makes the same decisions and
 * reports the same states as a plain sequential model of the rules written down in the README.
 * Each seed is one reproducible sequence (see {@link ModelSeeds}).
 */
class BreakerModelTest {
    private static final int SEQUENCES = 300;
    private static final int STEPS = 200;
    private static final long OPEN_FOR = 1_000;

    /** The rules, written as plainly as possible. */
    private static final class Model {
        final int threshold;
        final int window;
        final double rate;
        final int minimumCalls;
        final int halfOpenCalls;
        State state = State.CLOSED;
        int generation;
        boolean forced;
        long openUntil;
        int consecutive;
        final Deque<Boolean> outcomes = new ArrayDeque<>();
        int permits;
        int successes;

        Model(int threshold, int window, double rate, int minimumCalls, int halfOpenCalls) {
            this.threshold = threshold;
            this.window = window;
            this.rate = rate;
            this.minimumCalls = minimumCalls;
            this.halfOpenCalls = halfOpenCalls;
        }

        State reported(long now) {
            return state == State.OPEN && !forced && now >= openUntil ? State.HALF_OPEN : state;
        }

        /** The generation admitted, or -1 when rejected. */
        int acquire(long now) {
            if (state == State.OPEN && !forced && now >= openUntil) {
                enter(State.HALF_OPEN);
                permits = halfOpenCalls;
                successes = 0;
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

        void settle(int admitted, String outcome, long now) {
            if (admitted != generation) {
                return;
            }
            if (state == State.CLOSED) {
                if (outcome.equals("skip")) {
                    return;
                }
                boolean failure = outcome.equals("fail");
                if (window == 0) {
                    consecutive = failure ? consecutive + 1 : 0;
                    if (consecutive >= threshold) {
                        open(now);
                    }
                } else {
                    outcomes.addLast(failure);
                    if (outcomes.size() > window) {
                        outcomes.removeFirst();
                    }
                    long failures = outcomes.stream().filter(f -> f).count();
                    if (outcomes.size() >= minimumCalls && failures >= rate * outcomes.size()) {
                        open(now);
                    }
                }
            } else if (state == State.HALF_OPEN) {
                switch (outcome) {
                    case "fail" -> open(now);
                    case "skip" -> permits++;
                    default -> {
                        if (++successes >= halfOpenCalls) {
                            close();
                        }
                    }
                }
            }
        }

        void open(long now) {
            enter(State.OPEN);
            forced = false;
            openUntil = now + OPEN_FOR;
        }

        void forceOpen() {
            enter(State.OPEN);
            forced = true;
        }

        void close() {
            enter(State.CLOSED);
            forced = false;
            consecutive = 0;
            outcomes.clear();
        }

        private void enter(State next) {
            state = next;
            generation++;
        }
    }

    private record InFlight(Permit permit, int generation) {}

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"consecutive", "rate"})
    void breakerAgreesWithTheSequentialModel(String mode) {
        for (int seed : ModelSeeds.seeds(SEQUENCES).toArray()) {
            SplittableRandom random = new SplittableRandom(seed);
            int halfOpenCalls = 1 + random.nextInt(3);
            ManualTime time = new ManualTime();
            ResilienceContext context = ResilienceContext.builder().time(time).build();
            BreakerSpec.Builder spec = BreakerSpec.builder()
                    .openFor(Duration.ofNanos(OPEN_FOR))
                    .halfOpenCalls(halfOpenCalls)
                    .failOn(IOException.class)
                    .skipOn(IllegalArgumentException.class);
            Model model;
            if (mode.equals("rate")) {
                int window = 1 + random.nextInt(8);
                int minimumCalls = 1 + random.nextInt(window);
                double rate = (1 + random.nextInt(10)) / 10.0;
                spec.window(window).minimumCalls(minimumCalls).failureRate(rate);
                model = new Model(0, window, rate, minimumCalls, halfOpenCalls);
            } else {
                int threshold = 1 + random.nextInt(4);
                spec.failureThreshold(threshold);
                model = new Model(threshold, 0, 0, 0, halfOpenCalls);
            }
            Breaker breaker = Breaker.declare(context, "b", spec.build());
            List<InFlight> inFlight = new ArrayList<>();
            List<String> trace = new ArrayList<>();

            for (int step = 0; step < STEPS; step++) {
                int action = random.nextInt(100);
                long now = time.nanoTime();
                String where = "seed " + seed + ", step " + step + ", trace " + trace;
                if (action < 45) {
                    int admitted = model.acquire(now);
                    Permit permit = null;
                    try {
                        permit = breaker.acquire(null);
                    } catch (CircuitOpenException rejected) {
                        Duration expected = model.state == State.HALF_OPEN ? Duration.ZERO
                                : model.forced ? null : Duration.ofNanos(model.openUntil - now);
                        assertEquals(expected, rejected.remaining(), "time left at " + where);
                    }
                    assertEquals(admitted >= 0, permit != null, "admission at " + where);
                    trace.add(permit == null ? "rejected" : "admitted");
                    if (permit != null) {
                        inFlight.add(new InFlight(permit, admitted));
                    }
                } else if (action < 85 && !inFlight.isEmpty()) {
                    InFlight call = inFlight.remove(random.nextInt(inFlight.size()));
                    String outcome = switch (random.nextInt(4)) {
                        case 0, 1 -> "fail";
                        case 2 -> "skip";
                        default -> random.nextBoolean() ? "succeed" : "uncounted";
                    };
                    model.settle(call.generation(), outcome.equals("uncounted") ? "succeed" : outcome, now);
                    switch (outcome) {
                        case "fail" -> call.permit().failed(new IOException());
                        case "skip" -> call.permit().failed(new IllegalArgumentException());
                        case "uncounted" -> call.permit().failed(new IllegalStateException("neither list: a success"));
                        default -> call.permit().succeeded();
                    }
                    trace.add(outcome);
                } else if (action < 95) {
                    long by = random.nextLong(OPEN_FOR + OPEN_FOR / 2);
                    time.advance(Duration.ofNanos(by));
                    trace.add("+" + by);
                } else if (action < 97) {
                    model.forceOpen();
                    breaker.forceOpen();
                    trace.add("forceOpen");
                } else {
                    model.close();
                    breaker.reset();
                    trace.add("reset");
                }
                if (trace.size() > 12) {
                    trace.remove(0);
                }
                assertEquals(model.reported(time.nanoTime()), breaker.state(), "state at " + where);
            }
        }
    }
}
