package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OverridesTest {
    private final ManualTime time = new ManualTime();

    private ResilienceContext context(Map<String, String> overrides) {
        return ResilienceContext.builder().time(time).overrides(overrides).build();
    }

    @Test
    void breakerOverridesApplyWhenTheWrapperIsBuiltAndNamePerDelegate() {
        ResilienceContext context = context(Map.of(
                "resilient.breaker.weather.failureThreshold", "2",
                "resilient.breaker.weather.openFor", "5s",
                "resilient.breaker.weather#1.openFor", "PT1M",
                "unrelated.key", "ignored"));
        List<Breaker> breakers = Breaker.declareEach(context, BreakerSpec.builder("weather").failureThreshold(9).build(), 2);

        assertEquals("{failureThreshold=2, openFor=PT5S, halfOpenCalls=1, failOn=[Throwable], skipOn=[]}", breakers.get(0).spec().settings());
        assertEquals("{failureThreshold=2, openFor=PT1M, halfOpenCalls=1, failOn=[Throwable], skipOn=[]}", breakers.get(1).spec().settings());
        assertEquals(Set.of(), context.unclaimedOverrides(), "keys outside resilient. are not ours");
    }

    @Test
    void retryOverridesChangeTheWaitsMade() {
        ResilienceContext context = context(Map.of(
                "resilient.retry.Client.call.maxAttempts", "2",
                "resilient.retry.Client.call.delay", "250ms"));
        Retry retry = Retry.create(context, RetrySpec.builder("Client.call").maxAttempts(5).build());
        int attempts = 1;
        while (retry.retry(new IOException(), attempts, 0)) {
            attempts++;
        }
        assertEquals(2, attempts);
        assertEquals(List.of(Duration.ofMillis(250)), time.sleeps());
    }

    @Test
    void badValuesAndUnknownAttributesFailConstructionNamingTheKey() {
        ResilienceContext unknown = context(Map.of("resilient.breaker.b.openfor", "5s"));
        assertEquals("override resilient.breaker.b.openfor: unknown attribute 'openfor'; known: "
                        + "[failureThreshold, window, failureRate, minimumCalls, openFor, halfOpenCalls]",
                assertThrows(IllegalArgumentException.class, () -> Breaker.declare(unknown, BreakerSpec.builder("b").build())).getMessage());

        ResilienceContext notADuration = context(Map.of("resilient.retry.C.m.delay", "soon"));
        assertEquals("override resilient.retry.C.m.delay = 'soon': not a duration: write \"0\", a whole number with one of"
                        + " ns us ms s m h, or ISO-8601",
                assertThrows(IllegalArgumentException.class, () -> Retry.create(notADuration, RetrySpec.builder("C.m").build())).getMessage());

        ResilienceContext outOfRange = context(Map.of("resilient.retry.C.m.maxAttempts", "0"));
        assertEquals("override resilient.retry.C.m.maxAttempts = '0': maxAttempts must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> Retry.create(outOfRange, RetrySpec.builder("C.m").build())).getMessage());

        ResilienceContext misfit = context(Map.of("resilient.retry.C.m.maxDelay", "10ms"));
        assertEquals("overrides of the retry of C.m do not fit together: maxDelay must be at least delay (PT0.1S), was PT0.01S",
                assertThrows(IllegalArgumentException.class, () -> Retry.create(misfit, RetrySpec.builder("C.m").build())).getMessage());
    }

    @Test
    void unclaimedKeysAreReportedForStartUpChecks() {
        Properties properties = new Properties();
        properties.setProperty("resilient.breaker.wether.openFor", "5s");
        properties.setProperty("resilient.breaker.weather.openFor", "5s");
        ResilienceContext context = ResilienceContext.builder().time(time).overrides(properties).build();
        Breaker.declare(context, BreakerSpec.builder("weather").build());
        assertEquals(Set.of("resilient.breaker.wether.openFor"), context.unclaimedOverrides());
    }

    @Test
    void keysListsEveryAttributeOfEveryBreakerAndRetry() {
        assertEquals(List.of("resilient.breaker.b.failureThreshold", "resilient.breaker.b.window", "resilient.breaker.b.failureRate",
                        "resilient.breaker.b.minimumCalls", "resilient.breaker.b.openFor", "resilient.breaker.b.halfOpenCalls",
                        "resilient.retry.C.m.maxAttempts", "resilient.retry.C.m.delay", "resilient.retry.C.m.multiplier",
                        "resilient.retry.C.m.maxDelay", "resilient.retry.C.m.maxDuration"),
                Overrides.keys(List.of("b"), List.of("C.m")));
    }
}
