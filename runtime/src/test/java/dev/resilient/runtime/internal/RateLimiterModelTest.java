package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.RateLimitedException;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.ResilienceListener;
import dev.resilient.runtime.TimeSource;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property: for random {@code permits}, {@code per} and {@code maxWait} (1ns refills, uneven
 * divisions, periods of centuries included) and random call times (bursts at one instant, the
 * instant a token comes and the nanosecond before, long idle gaps, interrupted waits, clocks whose
 * readings pass {@code Long.MAX_VALUE}), the rate limiter admits, refuses and waits exactly as a
 * plain token bucket written from the README's words, and names the same next-token wait. The
 * model counts tokens, not a theoretical arrival time: {@code permits} tokens, full at first;
 * while not full, one more every {@code ceil(per / permits)} counted from the first token taken
 * from a full bucket; an attempt takes one, or reserves the one it waits for when that comes
 * within {@code maxWait}. Each seed is one reproducible sequence (see {@link ModelSeeds}).
 */
class RateLimiterModelTest {
    private static final int SEQUENCES = 1_200;
    private static final int STEPS = 200;

    /**
     * The README's token bucket. Times are nanoseconds since its creation; the next token's is a
     * {@link BigInteger}, as it may lie up to {@code Long.MAX_VALUE} past the latest of them.
     */
    private static final class Model {
        final int permits;
        final long interval;
        /** May go below 0: tokens reserved by waiting callers before they come. */
        long tokens;
        /** When the next token comes; meaningless while full. */
        BigInteger nextAt = BigInteger.ZERO;

        Model(int permits, long per) {
            this.permits = permits;
            this.interval = per / permits + (per % permits == 0 ? 0 : 1); // rounded up: never early
            this.tokens = permits;
        }

        void refill(long at) {
            BigInteger now = BigInteger.valueOf(at);
            if (tokens >= permits || now.compareTo(nextAt) < 0) {
                return;
            }
            long came = Math.min(permits - tokens, now.subtract(nextAt).longValueExact() / interval + 1);
            tokens += came;
            nextAt = nextAt.add(BigInteger.valueOf(came).multiply(BigInteger.valueOf(interval)));
        }

        /** How long an attempt at {@code at} waits for its token: 0, or until those reserved before it have come, and its own. */
        long waitAt(long at) {
            refill(at);
            if (tokens >= 1) {
                return 0;
            }
            return nextAt.add(BigInteger.valueOf(-tokens).multiply(BigInteger.valueOf(interval))).subtract(BigInteger.valueOf(at))
                    .longValueExact();
        }

        /** When the next token comes after {@code at}, if the bucket is not full. */
        long nextIn(long at) {
            refill(at);
            return tokens >= permits ? -1 : nextAt.subtract(BigInteger.valueOf(at)).min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
        }

        /** Takes (or reserves) the token of an attempt at {@code at}. */
        void take(long at) {
            if (tokens == permits) {
                nextAt = BigInteger.valueOf(at).add(BigInteger.valueOf(interval)); // a full bucket refills from its first token taken
            }
            tokens--;
        }
    }

    /** The refusals the limiter tells. */
    private static final class Told implements ResilienceListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onRateLimited(String limiter, Duration nextTokenIn) {
            events.add("limited " + nextTokenIn.toNanos());
        }
    }

    @Test
    void rateLimiterAgreesWithTheTokenBucketModel() {
        ModelSeeds.seeds(SEQUENCES).forEach(RateLimiterModelTest::run);
    }

    private static void run(int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ManualTime manual = new ManualTime();
        long offset = ModelSeeds.randomOffset(random);
        TimeSource time = ModelSeeds.offset(manual, offset);
        Told told = new Told();
        ResilienceContext context = ResilienceContext.builder().time(time).listener(told).build();

        int permits = switch (random.nextInt(4)) {
            case 0 -> 1;
            case 1 -> 1 + random.nextInt(5);
            case 2 -> 1 + random.nextInt(100);
            default -> 2 + random.nextInt(3);
        };
        long per = switch (random.nextInt(6)) {
            case 0 -> permits + random.nextInt(3 * permits); // refills of 1ns to 4ns, uneven divisions
            case 1 -> 1_000_000_000L;
            case 2 -> 1_000_000L * (1 + random.nextInt(5000));
            case 3 -> permits + random.nextLong(10_000_000_000L);
            case 4 -> Long.MAX_VALUE - permits - random.nextLong(1L << 40); // about 292 years: the longest duration there is
            default -> 1_000_000_000L + random.nextInt(permits); // 1s and a few ns: rounded up
        };
        long maxWait = switch (random.nextInt(4)) {
            case 0, 1 -> 0;
            case 2 -> random.nextLong(2 * Math.min(per / permits, Long.MAX_VALUE / 4) + 2);
            default -> random.nextLong(Math.min(per, Long.MAX_VALUE / 2) + 1);
        };
        // The model counts exactly; the limiter keeps no token further ahead than the clock reaches
        // (Long.MAX_VALUE ns), which only a reservation beyond maxWait + permits × (per / permits) could need.
        long interval = per / permits + (per % permits == 0 ? 0 : 1);
        maxWait = Math.min(maxWait, Long.MAX_VALUE - permits * interval);
        Settings settings = Settings.of("RateLimit").put(Attribute.PERMITS, permits).put(Attribute.PER, Duration.ofNanos(per))
                .put(Attribute.RATE_LIMIT_MAX_WAIT, Duration.ofNanos(maxWait));
        RateLimiter limiter = ContextCore.of(context).limiter("limit", settings);
        long origin = time.nanoTime();
        Model model = new Model(permits, per);
        List<String> expected = new ArrayList<>();
        String where0 = "seed " + seed + " (offset " + offset + ") " + limiter;

        List<String> trace = new ArrayList<>();
        for (int step = 0; step < STEPS && manual.nanoTime() < (1L << 62); step++) {
            long at = time.nanoTime() - origin;
            String where = where0 + ", step " + step + " at +" + at + ", trace " + trace;
            int action = random.nextInt(10);
            if (action < 6) {
                int burst = random.nextInt(4) == 0 ? 1 + random.nextInt(permits + 2) : 1;
                for (int i = 0; i < burst; i++) {
                    at = time.nanoTime() - origin;
                    boolean interrupt = random.nextInt(8) == 0;
                    long wait = model.waitAt(at);
                    boolean admits = wait <= maxWait;
                    if (admits) {
                        model.take(at);
                    } else {
                        expected.add("limited " + wait);
                    }
                    if (interrupt) {
                        Thread.currentThread().interrupt();
                    }
                    String got;
                    long waitedBefore = manual.sleeps().size();
                    try {
                        got = limiter.acquire() ? "waited" : "admitted";
                    } catch (RateLimitedException refused) {
                        got = (refused.getMessage().contains("interrupted") ? "interrupted " : "refused ") + refused.nextTokenIn().toNanos();
                        if (got.startsWith("interrupted")) {
                            assertTrue(Thread.currentThread().isInterrupted(), "an interrupted waiter keeps its flag, at " + where);
                        }
                    } finally {
                        Thread.interrupted();
                    }
                    String want = !admits ? "refused " + wait : wait == 0 ? "admitted" : interrupt ? "interrupted " + wait : "waited";
                    trace.add(want);
                    assertEquals(want, got, "attempt at " + where);
                    if (want.equals("waited")) {
                        assertEquals(List.of(Duration.ofNanos(wait)), manual.sleeps().subList((int) waitedBefore, manual.sleeps().size()),
                                "the wait made at " + where);
                    } else {
                        assertEquals(waitedBefore, manual.sleeps().size(), "no wait at " + where);
                    }
                    assertEquals(expected.size(), told.events.size(), "refusals told at " + where);
                    assertEquals(expected.isEmpty() ? null : expected.get(expected.size() - 1),
                            told.events.isEmpty() ? null : told.events.get(told.events.size() - 1), "the refusal told at " + where);
                }
            } else {
                long next = model.nextIn(at); // the next token, or -1 when full
                long reserved = model.waitAt(at); // the token of the next attempt, 0 when one is there
                long by = switch (random.nextInt(5)) {
                    case 0 -> Math.max(0, random.nextBoolean() ? next : reserved); // the instant a token comes
                    case 1 -> Math.max(0, (random.nextBoolean() ? next : reserved) - 1); // the nanosecond before
                    case 2 -> (1 + random.nextInt(3)) * Math.min(per, 1L << 58); // idle for a while
                    default -> random.nextLong(per / permits + 1);
                };
                manual.advance(Duration.ofNanos(by));
                trace.add("+" + by);
            }
            if (trace.size() > 16) {
                trace.subList(0, trace.size() - 16).clear();
            }
        }
        assertTrue(manual.sleeps().stream().noneMatch(Duration::isNegative));
    }
}
