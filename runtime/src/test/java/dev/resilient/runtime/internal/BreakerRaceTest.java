package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.CircuitBreaker.State;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.ResilienceListener;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Property, with 8 threads at once on one breaker: whatever the interleaving of acquisitions, of
 * trial calls ending with a value, a failure, a skipped failure, an {@code Error} or a
 * cancellation, of resets, of a listener that throws, and of the clock moved on by the racing
 * threads themselves (past {@code openFor}, {@code maxHalfOpen} and {@code slowCall}), a half-open state never has
 * more than {@code halfOpenCalls} trial calls in flight, and once every permit is settled the
 * breaker never sticks: after its {@code maxHalfOpen} and {@code openFor}, the next call is let through. Each seed is
 * one breaker and one schedule of operations per thread (see {@link ModelSeeds}).
 */
class BreakerRaceTest {
    private static final int THREADS = 8;
    private static final int SEEDS = 150;
    private static final int STEPS = 200;
    private static final Duration OPEN_FOR = Duration.ofSeconds(1);
    private static final Duration MAX_HALF_OPEN = Duration.ofMillis(500);

    private final Race race = new Race(THREADS);

    @AfterEach
    void stop() throws InterruptedException {
        race.close();
    }

    /** Throws from every event it hears: listeners never change a call. */
    private static final class Throwing implements ResilienceListener {
        @Override
        public void onStateChange(String breaker, State from, State to) {
            throw new IllegalStateException("listener of " + breaker);
        }

        @Override
        public void onRejected(String breaker, CircuitOpenException rejection) {
            throw new AssertionError("listener of " + breaker);
        }
    }

    @Test
    void halfOpenNeverAdmitsMoreThanItsTrialsAndNeverSticks() throws Exception {
        for (int seed : ModelSeeds.seeds(SEEDS).toArray()) {
            SplittableRandom setup = new SplittableRandom(seed);
            int halfOpenCalls = 1 + setup.nextInt(3);
            BreakerSpec.Builder builder = BreakerSpec.builder().openFor(OPEN_FOR).halfOpenCalls(halfOpenCalls)
                    .skipOn(IllegalArgumentException.class);
            switch (setup.nextInt(3)) {
                case 0 -> builder.failureThreshold(1 + setup.nextInt(3));
                case 1 -> builder.window(4).minimumCalls(2);
                default -> builder.windowDuration(Duration.ofSeconds(2)).minimumCalls(2);
            }
            boolean rateMode = builder.build().rateMode();
            if (rateMode && setup.nextBoolean()) {
                builder.slowCall(Duration.ofMillis(300)); // attempts become slow while other threads move the clock on
            }
            if (setup.nextBoolean()) {
                builder.maxHalfOpen(MAX_HALF_OPEN);
            }
            ManualTime time = new ManualTime();
            ResilienceContext context = ResilienceContext.builder().time(time).listener(new Throwing()).build();
            Breaker breaker = Breaker.declare(context, "race", builder.build());
            String where = "seed " + seed + " " + breaker.spec().settings();
            // Per half-open state (each is the permit of its trial calls): trials in flight, as a lower bound. */
            Map<Permit, AtomicInteger> inFlight = new ConcurrentHashMap<>();
            try (CapturedLog quiet = new CapturedLog()) { // the listener's throws, logged once
                race.run(thread -> {
                    SplittableRandom random = new SplittableRandom(seed * 31L + thread);
                    for (int step = 0; step < STEPS; step++) {
                        int what = random.nextInt(20);
                        if (what == 0) {
                            breaker.reset();
                        } else if (what < 5) {
                            time.advance(Duration.ofMillis(random.nextInt(400)));
                        } else {
                            attempt(breaker, time, random, inFlight, halfOpenCalls, where);
                        }
                    }
                });
                assertTrue(quiet.records().size() <= 2, where + ": each event a listener throws from is logged once, not " + quiet.messages());
            }
            // Every permit is settled: whatever state it is in, past a half-open deadline and the time open after it, it lets a call through.
            time.advance(MAX_HALF_OPEN.plus(OPEN_FOR));
            assertDoesNotThrow(() -> breaker.acquire(null).succeeded(), where + ", stuck " + breaker.state());
        }
    }

    private static void attempt(Breaker breaker, ManualTime time, SplittableRandom random, Map<Permit, AtomicInteger> inFlight, int halfOpenCalls,
            String where) {
        Permit permit;
        try {
            permit = breaker.acquire(null);
        } catch (CircuitOpenException rejected) {
            return;
        }
        AtomicInteger trials = permit.getClass().getSimpleName().equals("HalfOpen") // a timed permit is its own object: not counted
                ? inFlight.computeIfAbsent(permit, p -> new AtomicInteger())
                : null;
        if (trials != null) {
            int now = trials.incrementAndGet();
            assertTrue(now <= halfOpenCalls, where + ": " + now + " trial calls in flight at once");
        }
        if (random.nextInt(4) == 0) {
            time.advance(Duration.ofMillis(random.nextInt(400))); // during the attempt
        }
        int ending = random.nextInt(6);
        if (trials != null) {
            trials.decrementAndGet(); // before it settles, which may hand its permit to another trial
        }
        switch (ending) {
            case 0, 1 -> permit.succeeded();
            case 2 -> permit.failed(new IOException("failed"));
            case 3 -> permit.failed(new IllegalArgumentException("skipped"));
            case 4 -> permit.failed(new StackOverflowError("an Error"));
            default -> permit.failed(new CancellationException("cancelled"));
        }
    }
}
