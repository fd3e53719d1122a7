package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.RateLimitedException;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final ManualTime time = new ManualTime();
    private final Recorder recorder = new Recorder();
    private final ResilienceContext context = ResilienceContext.builder().time(time).listener(recorder).build();
    private final AtomicInteger calls = new AtomicInteger();

    interface Service {
        String call() throws IOException;
    }

    private final Service counting = () -> "ok " + calls.incrementAndGet();

    private MethodPolicies<Service> limited(MethodPlan.Builder plan) {
        return plan.build().over(context, counting);
    }

    private static String call(MethodPolicies<Service> policies) {
        return policies.<String>call(Service::call, null);
    }

    @Test
    void aFullBucketLetsPermitsThroughAtOnceThenGivesOneTokenBackEveryPerOverPermits() {
        MethodPolicies<Service> policies = limited(MethodPlan.builder("Service.call").rateLimit().permits(4).per(Duration.ofSeconds(1)));
        for (int i = 0; i < 4; i++) {
            call(policies);
        }
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> call(policies));
        assertEquals(Duration.ofMillis(250), refused.nextTokenIn());
        assertTrue(refused.getMessage().contains("'Service.call'") && refused.getMessage().contains("250ms"), refused.getMessage());
        assertEquals(0, refused.getStackTrace().length);
        assertEquals(List.of("ratelimited Service.call next in 250000000ns"), recorder.events("ratelimited"));

        time.advance(Duration.ofMillis(250).minusNanos(1));
        assertEquals(Duration.ofNanos(1), assertThrows(RateLimitedException.class, () -> call(policies)).nextTokenIn());
        time.advance(Duration.ofNanos(1));
        call(policies);
        assertThrows(RateLimitedException.class, () -> call(policies));
        assertEquals(5, calls.get(), "a refused attempt never reaches the delegate");
        assertEquals(List.of(), time.sleeps());
    }

    @Test
    void anIdleBucketRefillsToFullAndNoFurther() {
        MethodPolicies<Service> policies = limited(MethodPlan.builder("Service.call").rateLimit().permits(2).per(Duration.ofSeconds(1)));
        time.advance(Duration.ofHours(1));
        call(policies);
        call(policies);
        assertEquals(Duration.ofMillis(500), assertThrows(RateLimitedException.class, () -> call(policies)).nextTokenIn());
    }

    /**
     * resilience4j#1356 (pending callers let through too soon): with {@code per / permits} rounded
     * down, 3 per 1s refilled one token every 333,333,333ns, so the third refill came 1ns before
     * the second ended and a drained bucket passed 6 attempts in its first second instead of 5.
     */
    @Test
    void aRefillThatDoesNotDivideEvenlyIsNeverAheadOfPer() {
        MethodPolicies<Service> policies = limited(MethodPlan.builder("Service.call").rateLimit().permits(3).per(Duration.ofSeconds(1)));
        long second = Duration.ofSeconds(1).toNanos();
        int passed = 0;
        for (long now = 0; now < second; ) { // take every token as soon as it comes, for one second
            try {
                call(policies);
                passed++;
            } catch (RateLimitedException refused) {
                long next = refused.nextTokenIn().toNanos();
                if (now + next >= second) {
                    break;
                }
                time.advance(Duration.ofNanos(next));
                now += next;
            }
        }
        assertEquals(5, passed, "3 at once, then 1 every third of a second: the sixth not before 1s");
        time.advance(Duration.ofSeconds(1000));
        for (int i = 0; i < 3; i++) {
            call(policies);
        }
        assertThrows(RateLimitedException.class, () -> call(policies), "an idle bucket still refills to permits, no further");
    }

    /**
     * aws/aws-sdk-cpp#3338 and the SPARKC-139 fix of apache/cassandra-spark-connector#655 (token
     * bucket arithmetic overflowing into a full bucket): a caller waiting for a token reserved it
     * by moving the bucket's due time per + maxWait ahead, which for long periods is beyond
     * Long.MAX_VALUE ns; it wrapped into the past, and a caller arriving meanwhile found the
     * bucket idle, so full, and went through at once.
     */
    @Test
    void aReservationBeyondTheEndOfTheClockDoesNotWrapIntoAFullBucket() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        CountDownLatch wake = new CountDownLatch(1);
        dev.resilient.runtime.TimeSource frozen = new dev.resilient.runtime.TimeSource() {
            @Override
            public long nanoTime() {
                return 1_000; // time stands still while the waiter sleeps
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                sleeping.countDown();
                wake.await();
            }
        };
        ResilienceContext longPeriods = ResilienceContext.builder().time(frozen).build();
        Duration twoHundredYears = Duration.ofHours(1_750_000);
        MethodPolicies<Service> policies = MethodPlan.builder("Service.call").rateLimit().permits(1).per(twoHundredYears)
                .rateLimitMaxWait(twoHundredYears).build().over(longPeriods, counting);
        call(policies); // the bucket's one token
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try {
            Future<String> waiting = waiter.submit(() -> call(policies)); // reserves the next, 200 years ahead
            assertTrue(sleeping.await(10, TimeUnit.SECONDS));
            RateLimitedException refused = assertThrows(RateLimitedException.class, () -> call(policies),
                    "the next token after the reserved one is 400 years away, later than maxWait");
            assertTrue(refused.nextTokenIn().compareTo(twoHundredYears) > 0, refused.getMessage());
            assertEquals(1, calls.get());
            wake.countDown();
            waiting.get(10, TimeUnit.SECONDS);
            assertEquals(2, calls.get());
        } finally {
            wake.countDown();
            waiter.shutdownNow();
        }
    }

    /**
     * Found by {@code RateLimiterModelTest}: once the bucket's arrival time lay more than
     * {@code Long.MAX_VALUE} ns ahead of now, it wrapped round into the past, and the bucket looked
     * idle and full: a limit of the longest {@code per} there is passed every attempt after its
     * tokens ran out, and so did one whose {@code maxWait} reached that far.
     */
    @Test
    void anArrivalTimeCenturiesAheadNeverWrapsRoundIntoAFullBucket() {
        Duration longest = Duration.ofNanos(Long.MAX_VALUE);
        MethodPolicies<Service> policies = limited(MethodPlan.builder("Service.call").rateLimit().permits(2).per(longest));
        call(policies);
        call(policies);
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> call(policies), "2 per 292 years");
        assertTrue(refused.nextTokenIn().compareTo(longest.dividedBy(2).minusNanos(1)) >= 0, refused.nextTokenIn().toString());
        time.advance(Duration.ofDays(365));
        assertThrows(RateLimitedException.class, () -> call(policies), "2 per 292 years, a year later");

        // Waiters whose interrupt spends their token reserve them ahead without the clock moving.
        Duration per = Duration.ofNanos(Long.MAX_VALUE / 5 * 2);
        MethodPolicies<Service> waiting = limited(MethodPlan.builder("Service.wait").rateLimit()
                .permits(1).per(per).rateLimitMaxWait(longest.minusDays(1)));
        call(waiting);
        for (int i = 0; i < 2; i++) { // reserve the tokens of 117 and 234 years from now
            Thread.currentThread().interrupt();
            try {
                assertThrows(RateLimitedException.class, () -> call(waiting));
            } finally {
                Thread.interrupted();
            }
        }
        assertEquals(Duration.ofNanos(Long.MAX_VALUE), assertThrows(RateLimitedException.class, () -> call(waiting)).nextTokenIn(),
                "the next free token is 351 years away: past the clock, as far as it reaches");
        assertEquals(3, calls.get());
    }

    @Test
    void aBlockingCallerWaitsExactlyTheWaitThroughTheContextsTimeUpToMaxWait() {
        MethodPolicies<Service> policies = limited(MethodPlan.builder("Service.call").rateLimit()
                .permits(2).per(Duration.ofSeconds(1)).rateLimitMaxWait(Duration.ofMillis(500)));
        call(policies);
        call(policies);
        call(policies); // the next token comes in 500ms: within maxWait
        assertEquals(List.of(Duration.ofMillis(500)), time.sleeps());
        assertEquals(3, calls.get());


        MethodPolicies<Service> shorter = limited(MethodPlan.builder("Service.other").rateLimit()
                .permits(2).per(Duration.ofSeconds(1)).rateLimitMaxWait(Duration.ofMillis(500).minusNanos(1)));
        call(shorter);
        call(shorter);
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> call(shorter));
        assertEquals(Duration.ofMillis(500), refused.nextTokenIn());
        assertTrue(refused.getMessage().contains("later than maxWait"), refused.getMessage());
        assertEquals(List.of(Duration.ofMillis(500)), time.sleeps(), "a refused caller does not sleep first");
        assertEquals(5, calls.get());
    }

    @Test
    void aCallerInterruptedWhileWaitingIsRefusedAndKeepsItsFlag() {
        MethodPolicies<Service> policies = limited(MethodPlan.builder("Service.call").rateLimit()
                .permits(1).rateLimitMaxWait(Duration.ofSeconds(1)));
        call(policies);
        Thread.currentThread().interrupt();
        try {
            RateLimitedException refused = assertThrows(RateLimitedException.class, () -> call(policies));
            assertTrue(Thread.currentThread().isInterrupted());
            assertTrue(refused.getMessage().contains("interrupted"), refused.getMessage());
        } finally {
            Thread.interrupted();
        }
        assertEquals(1, calls.get());
    }

    @Test
    void aLimitOfOneNameIsSharedInAContextAndConflictingSettingsFailNamingBoth() {
        MethodPolicies<Service> first = limited(MethodPlan.builder("Service.call").rateLimit("quota").permits(2));
        MethodPolicies<Service> second = limited(MethodPlan.builder("Service.other").rateLimit("quota").permits(2));
        call(first);
        call(second);
        assertThrows(RateLimitedException.class, () -> call(first));
        assertThrows(RateLimitedException.class, () -> call(second));

        IllegalArgumentException conflict = assertThrows(IllegalArgumentException.class,
                () -> limited(MethodPlan.builder("Service.third").rateLimit("quota").permits(3)));
        assertTrue(conflict.getMessage().contains("'quota'") && conflict.getMessage().contains("permits=2, per=1s, maxWait=0")
                && conflict.getMessage().contains("permits=3, per=1s, maxWait=0"), conflict.getMessage());
    }

    @Test
    void underFailoverAllDelegatesShareTheOneLimitOfTheName() {
        MethodPolicies<Service> policies = MethodPlan.builder("Service.call").rateLimit().permits(1).build()
                .over(context, List.<Service>of(() -> {
                    throw new IOException("primary down");
                }, counting));
        assertThrows(RateLimitedException.class, () -> call(policies),
                "the primary took the one token; the backup finds none, and the pass ends with that last failure");
        assertEquals(0, calls.get());
    }

    @Test
    void aRefusalIsNeverRetried() {
        MethodPolicies<Service> policies = limited(MethodPlan.builder("Service.call")
                .retry(RetrySpec.builder().maxAttempts(5).build()).rateLimit().permits(1));
        call(policies);
        assertThrows(RateLimitedException.class, () -> call(policies));
        assertEquals(List.of(), recorder.events("retry"));
        assertEquals(List.of(), time.sleeps());
    }

    @Test
    void aHalfOpenTrialRefusedByTheLimitReturnsItsPermit() {
        MethodPolicies<Service> policies = limited(MethodPlan.builder("Service.call")
                .breaker("b", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(1)).build())
                .rateLimit().permits(1).per(Duration.ofSeconds(10)));
        CircuitBreaker breaker = context.breaker("b");
        call(policies);
        breaker.forceOpen();
        breaker.reset();
        assertThrows(RateLimitedException.class, () -> call(policies));
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state(), "neither success nor failure: no failure opened it");

        // Open it through a failure, then let the trial find no token: the permit comes back.
        MethodPolicies<Service> failing = MethodPlan.builder("Service.fail")
                .breaker("c", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(1)).build())
                .rateLimit("tight").permits(1).per(Duration.ofSeconds(2)).build()
                .over(context, () -> {
                    throw new IOException("down");
                });
        assertThrows(IOException.class, () -> call(failing));
        time.advance(Duration.ofSeconds(1));
        assertEquals(CircuitBreaker.State.HALF_OPEN, context.breaker("c").state());
        assertThrows(RateLimitedException.class, () -> call(failing), "the trial finds no token");
        assertEquals(CircuitBreaker.State.HALF_OPEN, context.breaker("c").state());
        time.advance(Duration.ofSeconds(1));
        assertThrows(IOException.class, () -> call(failing), "the trial's permit came back: a trial reaches the delegate");
        assertEquals(CircuitBreaker.State.OPEN, context.breaker("c").state());
    }

    @Test
    void anAsynchronousRefusalFailsTheStage() {
        MethodPolicies<Service> policies = limited(MethodPlan.builder("Service.call").rateLimit().permits(1));
        assertEquals("ok 1", policies.<String>callAsync(service -> CompletableFuture.completedFuture(service.call()), null).join());
        CompletableFuture<String> refused = policies.callAsync(service -> CompletableFuture.completedFuture(service.call()), null);
        assertInstanceOf(RateLimitedException.class, refused.handle((value, failure) -> failure).join());
        assertEquals(1, calls.get());
    }

    @Test
    void racingThreadsTakeExactlyPermitsTokensWithTimeFrozen() throws Exception {
        int threads = 8;
        int perThread = 50;
        MethodPolicies<Service> policies = limited(MethodPlan.builder("Service.call").rateLimit().permits(123).per(Duration.ofMinutes(1)));
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> racers = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                racers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        try {
                            call(policies);
                        } catch (RateLimitedException expected) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> racer : racers) {
                racer.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(123, calls.get());
        assertEquals(threads * perThread - 123, refused.get());
    }

    @Test
    void overridesReplaceTheSettingsOfANameAndKeepItsRules() {
        ResilienceContext overridden = ResilienceContext.builder().time(time)
                .overrides(Map.of("resilient.ratelimit.quota.permits", "1", "resilient.ratelimit.quota.maxWait", "2s")).build();
        MethodPolicies<Service> policies = MethodPlan.builder("Service.call").rateLimit("quota").permits(50).build()
                .over(overridden, counting);
        call(policies);
        call(policies);
        assertEquals(List.of(Duration.ofSeconds(1)), time.sleeps());

        ResilienceContext broken = ResilienceContext.builder().time(time)
                .overrides(Map.of("resilient.ratelimit.quota.per", "5ns")).build();
        IllegalArgumentException problem = assertThrows(IllegalArgumentException.class,
                () -> MethodPlan.builder("Service.call").rateLimit("quota").permits(10).build().over(broken, counting));
        assertTrue(problem.getMessage().contains("[RateLimitInterval]"), problem.getMessage());
    }

    @Test
    void theBuilderChecksEachValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MethodPlan.builder("S.m").rateLimit().permits(0))
                .getMessage().contains("[RateLimitPermits]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MethodPlan.builder("S.m").rateLimit().per(Duration.ZERO))
                .getMessage().contains("[RateLimitPer]"));
        assertThrows(IllegalStateException.class, () -> MethodPlan.builder("S.m").permits(3));
        assertSame(IllegalArgumentException.class, assertThrows(IllegalArgumentException.class,
                () -> MethodPlan.builder("S.m").rateLimit().rateLimitMaxWait(Duration.ofSeconds(-1))).getClass());
    }

    @Test
    void aTokenDueExactlyNowIsTakenWithoutAWait() {
        MethodPolicies<Service> policies = limited(MethodPlan.builder("Service.call").rateLimit()
                .permits(1).per(Duration.ofSeconds(1)).rateLimitMaxWait(Duration.ofSeconds(1)));
        call(policies);
        time.advance(Duration.ofSeconds(1));
        call(policies);
        assertEquals(List.of(), time.sleeps(), "the token came at exactly 1s: no wait, not even one of zero");
        assertEquals(2, calls.get());
    }
}
