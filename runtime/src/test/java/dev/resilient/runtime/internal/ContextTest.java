package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ContextTest {
    private final ResilienceContext context = ResilienceContext.builder().time(new ManualTime()).build();

    /** Under the system clock a budget's buckets tick on the context's scheduler; under ManualTime every event reads the clock. */
    @Test
    void timeBucketsTickOnTheContextsSchedulerUnderTheSystemClockOnly() {
        Settings budget = Settings.of("RetryBudget");
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        try {
            RetryBudget ticked = ContextCore.of(ResilienceContext.builder().scheduler(scheduler).build()).budget("b", budget);
            assertEquals(0, scheduler.getQueue().size());
            ticked.started();
            assertTrue(ticked.ticking());
            assertEquals(1, scheduler.getQueue().size(), "the next tick");
            assertTrue(((ScheduledFuture<?>) scheduler.getQueue().peek()).getDelay(TimeUnit.NANOSECONDS) <= Duration.ofSeconds(1).toNanos(),
                    "at the start of the next tenth of the 10s window");
        } finally {
            scheduler.shutdownNow();
        }
        RetryBudget manual = ContextCore.of(context).budget("b", budget);
        manual.started();
        assertFalse(manual.ticking());
    }

    @Test
    void oneNameOneBreaker() {
        Breaker first = Breaker.declare(context, "shared", BreakerSpec.builder().failureThreshold(2).build());
        Breaker second = Breaker.declare(context, "shared", BreakerSpec.builder().failureThreshold(2).build());
        assertSame(first, second);
        assertSame(first, context.breaker("shared"));
    }

    @Test
    void sameNameOtherSettingsFailsNamingBoth() {
        Breaker.declare(context, "shared", BreakerSpec.builder().failureThreshold(2).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Breaker.declare(context, "shared", BreakerSpec.builder().failureThreshold(3).build()));
        assertTrue(e.getMessage().contains("failureThreshold=2"), e.getMessage());
        assertTrue(e.getMessage().contains("failureThreshold=3"), e.getMessage());
    }

    @Test
    void failureListsCompareAsSets() {
        Breaker first = Breaker.declare(context, "b", BreakerSpec.builder().failOn(IOException.class, IllegalStateException.class).build());
        assertSame(first, Breaker.declare(context, "b", BreakerSpec.builder().failOn(IllegalStateException.class, IOException.class).build()));
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        Breaker.declare(context, "b", BreakerSpec.builder().build());
        Breaker.declare(context, "a", BreakerSpec.builder().build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> context.breaker("c"));
        assertEquals("no circuit breaker named 'c' was declared in this context; known: [a, b]", e.getMessage());
    }

    @Test
    void schedulerWithManualTimeIsRefused() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            ResilienceContext.Builder builder = ResilienceContext.builder().time(new ManualTime()).scheduler(scheduler);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
            assertTrue(e.getMessage().startsWith("scheduler must not be set together with time ManualTime"), e.getMessage());
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("time", assertThrows(NullPointerException.class, () -> ResilienceContext.builder().time(null)).getMessage());
        assertEquals("[RetryableMaxAttempts] maxAttempts must be at least 1, was 0 (hint: maxAttempts counts every attempt, the first"
                        + " included; 1 means no retry)",
                assertThrows(IllegalArgumentException.class, () -> RetrySpec.builder().maxAttempts(0)).getMessage());
        assertEquals("[ResilientDuration] delay = \"-1s\" is negative (hint: durations are never negative)",
                assertThrows(IllegalArgumentException.class, () -> RetrySpec.builder().delay(Duration.ofSeconds(-1))).getMessage());
        assertEquals("[RetryableMultiplier] multiplier must be a finite number of at least 1.0, was NaN (hint: use 1.0 for a constant wait)",
                assertThrows(IllegalArgumentException.class, () -> RetrySpec.builder().multiplier(Double.NaN)).getMessage());
        assertEquals("@Retryable: [RetryableMaxDelay] maxDelay (50ms) must be at least delay (100ms) (hint: raise maxDelay, lower delay,"
                        + " or remove maxDelay for no cap)",
                assertThrows(IllegalArgumentException.class,
                        () -> RetrySpec.builder().maxDelay(Duration.ofMillis(50)).build()).getMessage());
        assertEquals("[BreakerFailureRate] failureRate must be in (0, 1], was 0.0 (hint: 0.5 opens the breaker when half the calls in the"
                        + " window failed)",
                assertThrows(IllegalArgumentException.class, () -> BreakerSpec.builder().failureRate(0)).getMessage());
        assertEquals("@Breaker: [BreakerMinimumCalls] minimumCalls must be in 1..window (5), was 6 (hint: lower minimumCalls or widen"
                        + " the window)",
                assertThrows(IllegalArgumentException.class, () -> BreakerSpec.builder().window(5).minimumCalls(6).build()).getMessage());
        assertEquals("[TimeoutValue] the timeout must be longer than 0, was \"0\" (hint: give the longest time one attempt may take, as"
                        + " in @Timeout(\"2s\"))",
                assertThrows(IllegalArgumentException.class, () -> MethodPlan.builder("m").timeout(Duration.ZERO))
                        .getMessage());
        assertEquals("failOn must list Throwable types, was java.lang.String",
                assertThrows(IllegalArgumentException.class, () -> BreakerSpec.builder().failOn(String.class)).getMessage());
    }
}
