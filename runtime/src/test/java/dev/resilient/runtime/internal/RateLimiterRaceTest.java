package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.RateLimitedException;
import dev.resilient.runtime.ResilienceContext;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Property, with 8 threads at once: whatever the interleaving of attempts (some waiting for their
 * token through the clock, some interrupted before they wait) and of the clock moved on by the
 * racing threads themselves, no span of time holds more attempt starts than {@code permits} plus
 * the span divided by the interval. An attempt starts at its own reading of the clock plus the
 * wait it made. Each seed is one schedule of operations per thread (see {@link ModelSeeds}).
 */
class RateLimiterRaceTest {
    private static final int THREADS = 8;
    private static final int SEEDS = 150;
    private static final int STEPS = 150;

    private final Race race = new Race(THREADS);

    @AfterEach
    void stop() throws InterruptedException {
        race.close();
    }

    @Test
    void racingAttemptsNeverStartMoreThanPermitsPlusTheSpansRefill() throws Exception {
        for (int seed : ModelSeeds.seeds(SEEDS).toArray()) {
            SplittableRandom setup = new SplittableRandom(seed);
            int permits = 1 + setup.nextInt(8);
            long per = 1_000_000L * (1 + setup.nextInt(1000)) + setup.nextInt(permits); // uneven intervals, rounded up
            long interval = per / permits + (per % permits == 0 ? 0 : 1);
            long maxWait = setup.nextBoolean() ? 0 : setup.nextLong(3 * interval);
            ManualTime manual = new ManualTime();
            Race.Stamped time = new Race.Stamped(manual);
            Settings settings = Settings.of("RateLimit").put(Attribute.PERMITS, permits).put(Attribute.PER, Duration.ofNanos(per))
                    .put(Attribute.RATE_LIMIT_MAX_WAIT, Duration.ofNanos(maxWait));
            RateLimiter limiter = ContextCore.of(ResilienceContext.builder().time(time).build()).limiter("limit", settings);
            ConcurrentLinkedQueue<Long> starts = new ConcurrentLinkedQueue<>();
            race.run(thread -> {
                SplittableRandom random = new SplittableRandom(seed * 31L + thread);
                for (int step = 0; step < STEPS; step++) {
                    int what = random.nextInt(10);
                    if (what < 7) {
                        if (what == 0) {
                            Thread.currentThread().interrupt(); // a wait for its token is interrupted
                        }
                        try {
                            limiter.acquire();
                            starts.add(time.lastReading() + time.lastWait());
                        } catch (RateLimitedException refused) {
                            // no token within maxWait, or interrupted while waiting for it
                        } finally {
                            Thread.interrupted();
                        }
                    } else {
                        manual.advance(Duration.ofNanos(random.nextLong(2 * interval)));
                    }
                }
            });
            check("seed " + seed + " " + limiter, permits, interval, starts.stream().mapToLong(Long::longValue).sorted().toArray());
        }
    }

    /** Starts {@code i..j} lie in a span of {@code starts[j] - starts[i]}, which allows {@code permits} plus its refill. */
    private static void check(String where, int permits, long interval, long[] starts) {
        for (int i = 0; i < starts.length; i++) {
            for (int j = i + permits; j < starts.length; j++) {
                long span = starts[j] - starts[i];
                assertTrue((long) (j - i + 1 - permits) * interval <= span,
                        where + ": " + (j - i + 1) + " attempts started within " + span + " ns, from " + starts[i]);
            }
        }
    }
}
