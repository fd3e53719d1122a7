package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.RateLimitedException;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code @RateLimit} against bug reports and design discussions of peer libraries (Resilience4j's
 * {@code RateLimiter}, Guava's {@code RateLimiter}, .NET's {@code System.Threading.RateLimiting}
 * under Polly v8).
 */
class PeerRateLimitTest {
    private final ManualTime time = new ManualTime();
    private final Recorder recorder = new Recorder();
    private final ResilienceContext context = ResilienceContext.builder().time(time).listener(recorder).build();
    private final AtomicInteger calls = new AtomicInteger();

    interface Service {
        String call() throws IOException;
    }

    private final Service counting = () -> "ok " + calls.incrementAndGet();

    private static String call(MethodPolicies<Service> policies) {
        return policies.<String>call(Service::call, null);
    }

    /**
     * A clock that moves only when told and whose waits return at once without moving it: callers
     * that wait for their tokens all stand at one instant, as threads arriving together do. Its
     * readings start at {@code origin}, anywhere a monotonic clock may start.
     */
    static final class StandingTime implements TimeSource {
        private final AtomicLong now;
        final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

        StandingTime(long origin) {
            this.now = new AtomicLong(origin);
        }

        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void sleep(long nanos) {
            sleeps.add(Duration.ofNanos(nanos));
        }

        void advance(Duration by) {
            now.addAndGet(by.toNanos()); // wraps past Long.MAX_VALUE as System.nanoTime may
        }
    }

    /**
     * Resilience4j's resilience4j/resilience4j#1283, #1968 and #2194: {@code AtomicRateLimiter} saw
     * that no permission would come within the timeout and still parked the caller for the whole
     * timeout before refusing. Our contract: an attempt that finds no token within {@code maxWait}
     * is refused at once, without a wait, and reserves nothing, so the next caller's wait is as if
     * the refused one had never asked.
     */
    @Test
    void aCallerThatCannotGetATokenWithinMaxWaitIsRefusedAtOnceAndReservesNothing() {
        MethodPolicies<Service> policies = MethodPlan.builder("Service.call").rateLimit().permits(1).per(Duration.ofSeconds(1))
                .rateLimitMaxWait(Duration.ofMillis(500)).build().over(context, counting);
        call(policies);
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> call(policies));
        assertEquals(Duration.ofSeconds(1), refused.nextTokenIn());
        assertEquals(List.of(), time.sleeps(), "refused without parking first");

        time.advance(Duration.ofMillis(600));
        call(policies);
        assertEquals(List.of(Duration.ofMillis(400)), time.sleeps(), "the token of 1s, not one behind a reservation the refusal made");
        assertEquals(2, calls.get());
    }

    /**
     * Resilience4j's resilience4j/resilience4j#822 (fixed by #824): threads reserving permissions at
     * once had the full cycles they had to wait rounded down, so with 3 per 10s and a timeout of
     * 12s up to {@code permits - 1} extra callers got through in one cycle. Our contract: at most
     * {@code permits} attempts start per {@code per}, refilled one token every {@code per / permits}:
     * eight threads arriving together at a standing clock get the 3 tokens of the bucket and the
     * next 3, each a distinct interval later, and the two whose token lies past {@code maxWait} are
     * refused.
     */
    @Test
    void racingThreadsReservingTokensEachWaitForADistinctTokenAndNoneBeyondMaxWait() throws Exception {
        StandingTime standing = new StandingTime(0);
        ResilienceContext together = ResilienceContext.builder().time(standing).build();
        MethodPolicies<Service> policies = MethodPlan.builder("Service.call").rateLimit().permits(3).per(Duration.ofSeconds(10))
                .rateLimitMaxWait(Duration.ofSeconds(12)).build().over(together, counting);
        AtomicInteger refused = new AtomicInteger();
        Race race = new Race(8);
        try {
            race.run(thread -> {
                try {
                    call(policies);
                } catch (RateLimitedException expected) {
                    refused.incrementAndGet();
                }
            });
        } finally {
            race.close();
        }
        assertEquals(6, calls.get(), "3 from the bucket, 3 reserved within 12s");
        assertEquals(2, refused.get());
        List<Duration> waits = new ArrayList<>(standing.sleeps);
        Collections.sort(waits);
        long interval = 3_333_333_334L; // 10s / 3, rounded up
        assertEquals(List.of(Duration.ofNanos(interval), Duration.ofNanos(2 * interval), Duration.ofNanos(3 * interval)), waits,
                "one token each, an interval apart: none shares a token, none waits past maxWait");
    }

    /**
     * Resilience4j's resilience4j/resilience4j#2336: with 5 permits per second and a timeout of 3s,
     * of 200 threads asking at once many waited far longer than the timeout, until a permission
     * came. Our contract: a caller whose token does not come within {@code maxWait} gets
     * {@code RateLimitedException}; no caller ever waits longer, however many are queued ahead.
     */
    @Test
    void aQueueOfCallersNeverWaitsLongerThanMaxWait() {
        StandingTime standing = new StandingTime(0);
        ResilienceContext crowded = ResilienceContext.builder().time(standing).build();
        MethodPolicies<Service> policies = MethodPlan.builder("Service.call").rateLimit().permits(5).per(Duration.ofSeconds(1))
                .rateLimitMaxWait(Duration.ofSeconds(3)).build().over(crowded, counting);
        int refused = 0;
        for (int caller = 0; caller < 200; caller++) {
            try {
                call(policies);
            } catch (RateLimitedException expected) {
                refused++;
                assertTrue(expected.nextTokenIn().compareTo(Duration.ofSeconds(3)) > 0, expected.nextTokenIn().toString());
            }
        }
        assertEquals(5 + 15, calls.get(), "the bucket's 5 and the 15 tokens of the next 3s");
        assertEquals(180, refused);
        assertEquals(Duration.ofSeconds(3), Collections.max(standing.sleeps), "the last admitted caller waits exactly maxWait");
        assertEquals(15, standing.sleeps.size());
    }

    /**
     * Resilience4j's resilience4j/resilience4j#2064 (5 per 3s let more calls through earlier than
     * the refresh period: its permissions come back all at once at each cycle boundary, cycles
     * counted from the limiter's creation, so a bucket drained just before a boundary is full again
     * just after it). Our contract: a token bucket refilled evenly, one token every
     * {@code per / permits}; no boundary refills it at once.
     */
    @Test
    void aBucketDrainedJustBeforeWhereACycleWouldEndGetsNoFreshBatchAfterIt() {
        MethodPolicies<Service> policies = MethodPlan.builder("Service.call").rateLimit().permits(5).per(Duration.ofSeconds(3)).build()
                .over(context, counting);
        time.advance(Duration.ofMillis(2900));
        for (int i = 0; i < 5; i++) {
            call(policies);
        }
        time.advance(Duration.ofMillis(100)); // 3s after the limit was declared
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> call(policies));
        assertEquals(Duration.ofMillis(500), refused.nextTokenIn(), "one token per 600ms, counted from the drain");
        time.advance(Duration.ofMillis(500));
        call(policies);
        assertThrows(RateLimitedException.class, () -> call(policies));
        assertEquals(6, calls.get());
    }

    /**
     * .NET's dotnet/runtime#92557 (a fixed-window limiter's {@code RetryAfter} was the whole window,
     * not the time left) and #77991 (the token bucket's {@code RetryAfter} counted the queued
     * requests whether or not they would be served first). Our contract: a refusal says when the next token comes, counting tokens already
     * reserved by callers waiting ahead; a caller that waits exactly {@code nextTokenIn()} gets one
     * without waiting, and one that comes a nanosecond earlier is refused again.
     */
    @Test
    void nextTokenInIsExactlyWhenTheNextFreeTokenComesPastTheWaitersAhead() {
        for (Duration early : List.of(Duration.ZERO, Duration.ofNanos(1))) {
            StandingTime standing = new StandingTime(0);
            ResilienceContext queued = ResilienceContext.builder().time(standing).build();
            MethodPolicies<Service> policies = MethodPlan.builder("Service.call").rateLimit().permits(4).per(Duration.ofSeconds(20))
                    .rateLimitMaxWait(Duration.ofSeconds(12)).build().over(queued, counting);
            for (int i = 0; i < 6; i++) {
                call(policies); // 4 from the bucket, then the tokens of 5s and 10s, reserved by waiters
            }
            assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(10)), standing.sleeps);
            RateLimitedException refused = assertThrows(RateLimitedException.class, () -> call(policies));
            assertEquals(Duration.ofSeconds(15), refused.nextTokenIn(), "the token of 15s, past the two reserved: not per, nor one interval");
            standing.advance(refused.nextTokenIn().minus(early));
            call(policies);
            assertEquals(early.isZero() ? List.of(Duration.ofSeconds(5), Duration.ofSeconds(10))
                    : List.of(Duration.ofSeconds(5), Duration.ofSeconds(10), early), standing.sleeps,
                    "coming back after nextTokenIn there is a token at once; " + early + " earlier, a wait of " + early);
        }
        assertEquals(14, calls.get());
    }

    /**
     * Resilience4j's resilience4j/resilience4j#1565 (asked how to rate-limit retries so that they
     * cannot storm a dependency) and #2030 (rate-limited requests were retried). Our contract: each
     * attempt of a retry takes a token of its own, and an attempt the limit refuses fails with
     * {@code RateLimitedException}, which is never retried: the call ends there, without a wait.
     */
    @Test
    void everyRetryTakesATokenAndTheRefusalEndsTheCallUnretried() {
        AtomicInteger attempts = new AtomicInteger();
        MethodPolicies<Service> policies = MethodPlan.builder("Service.call")
                .retry(RetrySpec.builder().maxAttempts(5).delay(Duration.ofMillis(100)).multiplier(1.0).build())
                .rateLimit().permits(2).per(Duration.ofSeconds(1)).build()
                .over(context, () -> {
                    attempts.incrementAndGet();
                    throw new IOException("down");
                });
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> call(policies));
        assertEquals(2, attempts.get(), "the bucket's two tokens went to the first attempt and the first retry");
        assertEquals(Duration.ofMillis(300), refused.nextTokenIn(), "the third attempt, at 200ms, finds the next token 300ms away");
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(100)), time.sleeps(), "no wait after the refusal");
        assertEquals(List.of("ratelimited Service.call next in 300000000ns"), recorder.events("ratelimited"));
    }

    /**
     * Resilience4j's resilience4j/resilience4j#66 ({@code AtomicRateLimiter}'s arithmetic broke on
     * negative {@code System.nanoTime()} readings) and the SlidingTimeWindowReservoir fix
     * dropwizard/metrics#623 (readings compared with {@code >} instead of by their difference, which
     * breaks where the long overflows). Our {@code TimeSource}: readings comparable only with each
     * other, from any origin. A bucket on a clock that starts at {@code Long.MIN_VALUE}, below zero,
     * or a second before {@code Long.MAX_VALUE} is full when declared, refills evenly, and refills
     * to full and no further across the overflow.
     */
    @Test
    void aBucketCountsTheSameOnAClockOfAnyOriginAcrossTheOverflowOfTheLong() {
        for (long origin : new long[] {Long.MIN_VALUE, -1_000_000_000L, Long.MAX_VALUE - 1_000_000_000L}) {
            StandingTime clock = new StandingTime(origin);
            ResilienceContext anywhere = ResilienceContext.builder().time(clock).build();
            AtomicInteger passed = new AtomicInteger();
            MethodPolicies<Service> policies = MethodPlan.builder("Service.call").rateLimit().permits(2).per(Duration.ofSeconds(1))
                    .build().over(anywhere, () -> "ok " + passed.incrementAndGet());
            call(policies);
            call(policies);
            assertEquals(Duration.ofMillis(500), assertThrows(RateLimitedException.class, () -> call(policies)).nextTokenIn(),
                    "origin " + origin);
            clock.advance(Duration.ofMillis(500));
            call(policies);
            assertThrows(RateLimitedException.class, () -> call(policies), "origin " + origin);
            clock.advance(Duration.ofSeconds(2)); // past Long.MAX_VALUE for the last origin
            call(policies);
            call(policies);
            assertEquals(Duration.ofMillis(500), assertThrows(RateLimitedException.class, () -> call(policies)).nextTokenIn(),
                    "origin " + origin + ": refilled to full, no further");
            assertEquals(5, passed.get(), "origin " + origin);
        }
    }

    /**
     * Resilience4j's resilience4j/resilience4j#1244 (fixed by #1243: every {@code AtomicRateLimiter}
     * counted its cycles from one start time shared by all instances, so a limiter made later
     * began part-way through a cycle) and Guava's google/guava#8420 (a freshly made
     * {@code RateLimiter} has no stored permits and cannot take a burst). Our contract: the bucket
     * is full when the first wrapper declares it, however late, and a second wrapper declaring the
     * same name shares that bucket rather than refilling it.
     */
    @Test
    void aBucketIsFullWhenFirstDeclaredHoweverLateAndALaterDeclarationSharesItUnrefilled() {
        time.advance(Duration.ofMinutes(59).plusMillis(7));
        MethodPolicies<Service> first = MethodPlan.builder("Service.call").rateLimit("quota").permits(3).per(Duration.ofSeconds(10))
                .build().over(context, counting);
        for (int i = 0; i < 3; i++) {
            call(first);
        }
        assertEquals(Duration.ofNanos(3_333_333_334L), assertThrows(RateLimitedException.class, () -> call(first)).nextTokenIn());
        time.advance(Duration.ofSeconds(1));
        MethodPolicies<Service> second = MethodPlan.builder("Service.other").rateLimit("quota").permits(3).per(Duration.ofSeconds(10))
                .build().over(context, counting);
        assertEquals(Duration.ofNanos(2_333_333_334L), assertThrows(RateLimitedException.class, () -> call(second)).nextTokenIn(),
                "the second declaration found the bucket the first drained");
        assertEquals(3, calls.get());
    }
}
