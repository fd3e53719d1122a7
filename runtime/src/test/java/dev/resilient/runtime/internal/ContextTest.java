package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class ContextTest {
    private final ResilienceContext context = ResilienceContext.builder().time(new ManualTime()).build();

    @Test
    void oneNameOneBreaker() {
        Breaker first = Breaker.declare(context, BreakerSpec.builder("shared").failureThreshold(2).build());
        Breaker second = Breaker.declare(context, BreakerSpec.builder("shared").failureThreshold(2).build());
        assertSame(first, second);
        assertSame(first, context.breaker("shared"));
    }

    @Test
    void sameNameOtherSettingsFailsNamingBoth() {
        Breaker.declare(context, BreakerSpec.builder("shared").failureThreshold(2).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Breaker.declare(context, BreakerSpec.builder("shared").failureThreshold(3).build()));
        assertTrue(e.getMessage().contains("failureThreshold=2"), e.getMessage());
        assertTrue(e.getMessage().contains("failureThreshold=3"), e.getMessage());
    }

    @Test
    void failureListsCompareAsSets() {
        Breaker first = Breaker.declare(context, BreakerSpec.builder("b").failOn(IOException.class, IllegalStateException.class).build());
        assertSame(first, Breaker.declare(context, BreakerSpec.builder("b").failOn(IllegalStateException.class, IOException.class).build()));
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        Breaker.declare(context, BreakerSpec.builder("b").build());
        Breaker.declare(context, BreakerSpec.builder("a").build());
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
        assertEquals("maxAttempts must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> RetrySpec.builder("m").maxAttempts(0)).getMessage());
        assertEquals("delay must not be negative, was PT-1S",
                assertThrows(IllegalArgumentException.class, () -> RetrySpec.builder("m").delay(Duration.ofSeconds(-1))).getMessage());
        assertEquals("multiplier must be a finite number of at least 1.0, was NaN",
                assertThrows(IllegalArgumentException.class, () -> RetrySpec.builder("m").multiplier(Double.NaN)).getMessage());
        assertEquals("maxDelay must be at least delay (PT0.1S), was PT0.05S",
                assertThrows(IllegalArgumentException.class,
                        () -> RetrySpec.builder("m").maxDelay(Duration.ofMillis(50)).build()).getMessage());
        assertEquals("failureRate must be in (0, 1], was 0.0",
                assertThrows(IllegalArgumentException.class, () -> BreakerSpec.builder("b").failureRate(0)).getMessage());
        assertEquals("minimumCalls must be in 1..window (5), was 6",
                assertThrows(IllegalArgumentException.class, () -> BreakerSpec.builder("b").window(5).minimumCalls(6).build()).getMessage());
        assertEquals("failOn must list Throwable types, was java.lang.String",
                assertThrows(IllegalArgumentException.class, () -> BreakerSpec.builder("b").failOn(String.class)).getMessage());
    }
}
