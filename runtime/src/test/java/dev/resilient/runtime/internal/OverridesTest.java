package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        BreakerSpec spec = BreakerSpec.builder().failureThreshold(9).build();
        List<Breaker> breakers = List.of(Breaker.declare(context, "weather", spec), Breaker.declare(context, "weather#1", spec));

        assertEquals("{failureThreshold=2, openFor=PT5S, halfOpenCalls=1, failOn=[Throwable], skipOn=[]}", breakers.get(0).spec().settings());
        assertEquals("{failureThreshold=2, openFor=PT1M, halfOpenCalls=1, failOn=[Throwable], skipOn=[]}", breakers.get(1).spec().settings());
        assertEquals(Set.of(), context.unclaimedOverrides(), "keys outside resilient. are not ours");
    }

    @Test
    void aContextTellsTheSettingsItWasBuiltWithUnderResilientStrippedAndSorted() {
        ResilienceContext context = context(Map.of(
                "resilient.retry.Weather.forecast.maxAttempts", " 3 ",
                "resilient.breaker.weather.openFor", "5s",
                "unrelated.key", "ignored"));

        assertEquals(List.of("resilient.breaker.weather.openFor", "resilient.retry.Weather.forecast.maxAttempts"),
                List.copyOf(context.overrides().keySet()));
        assertEquals("3", context.overrides().get("resilient.retry.Weather.forecast.maxAttempts"));
        assertThrows(UnsupportedOperationException.class, () -> context.overrides().clear());
    }

    @Test
    void retryOverridesChangeTheWaitsMade() {
        ResilienceContext context = context(Map.of(
                "resilient.retry.Client.call.maxAttempts", "2",
                "resilient.retry.Client.call.delay", "250ms"));
        Retry retry = Retry.create(context, "Client.call", RetrySpec.builder().maxAttempts(5).build());
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
                        + "[failureThreshold, window, failureRate, minimumCalls, openFor, halfOpenCalls, windowDuration, slowCall,"
                        + " slowCallRate, maxHalfOpen, openForMultiplier, maxOpenFor]",
                assertThrows(IllegalArgumentException.class, () -> Breaker.declare(unknown, "b", BreakerSpec.builder().build())).getMessage());

        ResilienceContext notADuration = context(Map.of("resilient.retry.C.m.delay", "soon"));
        assertEquals("override resilient.retry.C.m.delay = 'soon': [ResilientDuration] delay = \"soon\" is not a duration (hint: write"
                        + " \"0\", a whole number with one of ns us ms s m h (\"250ms\", \"10s\"), or ISO-8601 (\"PT0.25S\"))",
                assertThrows(IllegalArgumentException.class, () -> Retry.create(notADuration, "C.m", RetrySpec.builder().build())).getMessage());

        ResilienceContext notANumber = context(Map.of("resilient.breaker.b.failureRate", "half"));
        assertEquals("override resilient.breaker.b.failureRate = 'half': [ResilientNumber] failureRate = \"half\" is not a number"
                        + " (hint: write a decimal number, as in 0.5)",
                assertThrows(IllegalArgumentException.class, () -> Breaker.declare(notANumber, "b", BreakerSpec.builder().build()))
                        .getMessage());

        ResilienceContext outOfRange = context(Map.of("resilient.retry.C.m.maxAttempts", "0"));
        assertEquals("override resilient.retry.C.m.maxAttempts = '0': [RetryableMaxAttempts] maxAttempts must be at least 1, was 0"
                        + " (hint: maxAttempts counts every attempt, the first included; 1 means no retry)",
                assertThrows(IllegalArgumentException.class, () -> Retry.create(outOfRange, "C.m", RetrySpec.builder().build())).getMessage());

        ResilienceContext misfit = context(Map.of("resilient.retry.C.m.maxDelay", "10ms"));
        assertEquals("with overrides [resilient.retry.C.m.maxDelay], retry of C.m: [RetryableMaxDelay] maxDelay (10ms) must be at"
                        + " least delay (100ms) (hint: raise maxDelay, lower delay, or remove maxDelay for no cap)",
                assertThrows(IllegalArgumentException.class, () -> Retry.create(misfit, "C.m", RetrySpec.builder().build())).getMessage());
    }

    /** Issue #11, case 24: overrides obey the compile-time rules, with the same ids, on the merged settings. */
    @Test
    void overridesKeepTheRulesOfTheAnnotationsOnTheMergedSettings() {
        String mixed = "[BreakerMixedModes] ";
        assertEquals("with overrides [resilient.breaker.b.failureRate], breaker 'b': " + mixed
                        + "failureRate needs window > 0 or windowDuration: without a window the breaker counts consecutive failures"
                        + " (hint: failureThreshold belongs to consecutive mode; failureRate, minimumCalls and slowCall to the rate modes"
                        + " (window > 0 or windowDuration))",
                declareFailure(Map.of("resilient.breaker.b.failureRate", "0.2"), BreakerSpec.builder()),
                "failureRate without a window used to be ignored without a word");
        assertTrue(declareFailure(Map.of("resilient.breaker.b.window", "4"), BreakerSpec.builder().failureThreshold(3))
                .contains(mixed + "failureThreshold counts consecutive failures and cannot be set together with window = 4"),
                "window used to drop the annotation's failureThreshold without a word");
        assertTrue(declareFailure(Map.of("resilient.breaker.b.failureThreshold", "3"), BreakerSpec.builder().window(10))
                .contains(mixed + "failureThreshold counts consecutive failures and cannot be set together with window = 10"),
                "failureThreshold on a rate breaker used to be claimed and have no effect");
        assertTrue(declareFailure(Map.of("resilient.breaker.b.minimumCalls", "11"), BreakerSpec.builder().window(10))
                .contains("[BreakerMinimumCalls] minimumCalls must be in 1..window (10), was 11"));

        ResilienceContext switched = context(Map.of("resilient.breaker.b.window", "4", "resilient.breaker.b.failureThreshold", ""));
        assertEquals("{window=4, failureRate=0.5, minimumCalls=4, openFor=PT30S, halfOpenCalls=1, failOn=[Throwable], skipOn=[]}",
                Breaker.declare(switched, "b", BreakerSpec.builder().failureThreshold(3).build()).spec().settings(),
                "an empty value takes the annotation's value back, so a breaker can be switched to rate mode");
    }

    /** Issue #13: the time window, slow calls, bounded half-open and open backoff keep the same rules, with the same ids. */
    @Test
    void overridesOfTheTimedAttributesKeepTheirRules() {
        assertTrue(declareFailure(Map.of("resilient.breaker.b.windowDuration", "10s"), BreakerSpec.builder().window(10))
                .contains("[BreakerTwoWindows] windowDuration (10s) cannot be set together with window = 10"));
        assertTrue(declareFailure(Map.of("resilient.breaker.b.slowCall", "2s"), BreakerSpec.builder())
                .contains("[BreakerMixedModes] slowCall needs window > 0 or windowDuration"));
        assertTrue(declareFailure(Map.of("resilient.breaker.b.slowCallRate", "0.5"), BreakerSpec.builder().window(10))
                .contains("[BreakerSlowCallMissing] slowCallRate needs slowCall"));
        assertTrue(declareFailure(Map.of("resilient.breaker.b.openFor", "1m"), BreakerSpec.builder().maxOpenFor(Duration.ofSeconds(40)))
                .contains("[BreakerMaxOpenFor] maxOpenFor (40s) must be at least openFor (1m)"));
        assertTrue(declareFailure(Map.of("resilient.breaker.b.failureThreshold", "3"),
                BreakerSpec.builder().windowDuration(Duration.ofSeconds(10)))
                .contains("[BreakerMixedModes] failureThreshold counts consecutive failures and cannot be set together with"
                        + " windowDuration = 10s"));
        assertTrue(declareFailure(Map.of("resilient.breaker.b.minimumCalls", "0"),
                BreakerSpec.builder().windowDuration(Duration.ofSeconds(10)))
                .contains("[BreakerMinimumCalls] minimumCalls must be at least 1, was 0"));
        Map<String, String> ranges = Map.of(
                "windowDuration", "[BreakerWindowDuration] windowDuration must be at least 10ms, was \"9ms\"",
                "slowCall", "[BreakerSlowCall] slowCall must be longer than 0, was \"0\"",
                "slowCallRate", "[BreakerSlowCallRate] slowCallRate must be in (0, 1], was 0",
                "maxHalfOpen", "[BreakerMaxHalfOpen] maxHalfOpen must be longer than 0, was \"0\"",
                "openForMultiplier", "[BreakerOpenForMultiplier] openForMultiplier must be a finite number of at least 1.0, was 0.5");
        Map<String, String> values = Map.of("windowDuration", "9ms", "slowCall", "0", "slowCallRate", "0", "maxHalfOpen", "0",
                "openForMultiplier", "0.5");
        ranges.forEach((attribute, expected) -> {
            String key = "resilient.breaker.b." + attribute;
            assertEquals("override " + key + " = '" + values.get(attribute) + "': " + expected,
                    declareFailure(Map.of(key, values.get(attribute)), BreakerSpec.builder().window(10)).replaceAll(" \\(hint: .*", ""));
        });

        ResilienceContext timed = context(Map.of("resilient.breaker.b.windowDuration", "1m", "resilient.breaker.b.window", "",
                "resilient.breaker.b.slowCall", "2s", "resilient.breaker.b.slowCallRate", "0.25", "resilient.breaker.b.maxHalfOpen", "5s",
                "resilient.breaker.b.openForMultiplier", "2", "resilient.breaker.b.maxOpenFor", "5m"));
        assertEquals("{windowDuration=PT1M, failureRate=0.5, minimumCalls=10, slowCall=PT2S, slowCallRate=0.25, openFor=PT30S,"
                        + " openForMultiplier=2.0, maxOpenFor=PT5M, halfOpenCalls=1, maxHalfOpen=PT5S, failOn=[Throwable], skipOn=[]}",
                Breaker.declare(timed, "b", BreakerSpec.builder().window(10).build()).settings());
    }

    private String declareFailure(Map<String, String> overrides, BreakerSpec.Builder spec) {
        ResilienceContext context = context(overrides);
        return assertThrows(IllegalArgumentException.class, () -> Breaker.declare(context, "b", spec.build())).getMessage();
    }

    /** Issue #14: rate limits are overridden by name, with the rules and ids of {@code @RateLimit}. */
    @Test
    void rateLimitOverridesKeepTheirRulesWithTheSameIds() {
        assertEquals("override resilient.ratelimit.q.permits = '0': [RateLimitPermits] permits must be at least 1, was 0"
                        + " (hint: it is the number of attempts allowed per period, and the tokens the bucket holds)",
                limitFailure(Map.of("resilient.ratelimit.q.permits", "0"), Settings.of("RateLimit")));
        assertEquals("override resilient.ratelimit.q.per = '0': [RateLimitPer] per must be longer than 0, was \"0\""
                        + " (hint: give the period the permits are refilled in, as in \"1s\")",
                limitFailure(Map.of("resilient.ratelimit.q.per", "0"), Settings.of("RateLimit")));
        assertTrue(limitFailure(Map.of("resilient.ratelimit.q.maxWait", "soon"), Settings.of("RateLimit"))
                .startsWith("override resilient.ratelimit.q.maxWait = 'soon': [ResilientDuration] maxWait = \"soon\" is not a duration"));
        assertEquals("with overrides [resilient.ratelimit.q.per], rate limit 'q': [RateLimitInterval] per (50ns) must be at least 1ns"
                        + " for each of the 100 permits, so that tokens come back at a measurable pace (hint: lower permits or raise per)",
                limitFailure(Map.of("resilient.ratelimit.q.per", "50ns"), Settings.of("RateLimit")));
        assertEquals("override resilient.ratelimit.q.rate: unknown attribute 'rate'; known: [permits, per, maxWait]",
                limitFailure(Map.of("resilient.ratelimit.q.rate", "5"), Settings.of("RateLimit")));

        ResilienceContext back = context(Map.of("resilient.ratelimit.q.permits", "", "resilient.ratelimit.q.per", "1m"));
        RateLimiter limiter = ContextCore.of(back).limiter("q", Settings.of("RateLimit").put(Attribute.PERMITS, 7));
        assertEquals("permits=100, per=1m, maxWait=0", limiter.settings(), "an empty value takes the annotation's value back");
        assertEquals(Set.of(), back.unclaimedOverrides());
    }

    /** Issue #14: retry budgets are overridden by name, with the rules and ids of {@code @RetryBudget}. */
    @Test
    void budgetOverridesKeepTheirRulesWithTheSameIds() {
        assertEquals("override resilient.budget.b.ratio = '1001': [RetryBudgetRatio] ratio must be in [0, 1000], was 1001"
                        + " (hint: it is the retries allowed per call started in the window; 0.2 allows one retry per five calls)",
                budgetFailure(Map.of("resilient.budget.b.ratio", "1001")));
        assertTrue(budgetFailure(Map.of("resilient.budget.b.minPerSecond", "-1"))
                .startsWith("override resilient.budget.b.minPerSecond = '-1': [RetryBudgetMinPerSecond] minPerSecond must not be negative, was -1"));
        assertTrue(budgetFailure(Map.of("resilient.budget.b.window", "61s"))
                .startsWith("override resilient.budget.b.window = '61s': [RetryBudgetWindow] window must be between 1s and 60s, was \"61s\""));
        assertTrue(budgetFailure(Map.of("resilient.budget.b.window", "999ms")).contains("[RetryBudgetWindow]"));
        assertEquals("override resilient.budget.b.max: unknown attribute 'max'; known: [ratio, minPerSecond, window]",
                budgetFailure(Map.of("resilient.budget.b.max", "5")));

        ResilienceContext overridden = context(Map.of("resilient.budget.b.ratio", "0.5", "resilient.budget.b.window", "1m"));
        RetryBudget budget = ContextCore.of(overridden).budget("b", Settings.of("RetryBudget").put(Attribute.MIN_PER_SECOND, 3));
        assertEquals("ratio=0.5, minPerSecond=3, window=1m", budget.settings());
        assertEquals(Set.of(), overridden.unclaimedOverrides());
        assertEquals(List.of("resilient.budget.b.ratio", "resilient.budget.b.minPerSecond", "resilient.budget.b.window"),
                Overrides.keys(List.of(), List.of(), List.of(), List.of("b"), List.of()));
    }

    private String budgetFailure(Map<String, String> overrides) {
        ContextCore core = ContextCore.of(context(overrides));
        return assertThrows(IllegalArgumentException.class, () -> core.budget("b", Settings.of("RetryBudget"))).getMessage();
    }

    private String limitFailure(Map<String, String> overrides, Settings declared) {
        ContextCore core = ContextCore.of(context(overrides));
        return assertThrows(IllegalArgumentException.class, () -> core.limiter("q", declared)).getMessage();
    }

    @Test
    void unclaimedKeysAreReportedForStartUpChecks() {
        Properties properties = new Properties();
        properties.setProperty("resilient.breaker.wether.openFor", "5s");
        properties.setProperty("resilient.breaker.weather.openFor", "5s");
        ResilienceContext context = ResilienceContext.builder().time(time).overrides(properties).build();
        Breaker.declare(context, "weather", BreakerSpec.builder().build());
        assertEquals(Set.of("resilient.breaker.wether.openFor"), context.unclaimedOverrides());
    }

    @Test
    void keysListsEveryAttributeOfEveryBreakerAndRetry() {
        assertEquals(List.of("resilient.breaker.b.failureThreshold", "resilient.breaker.b.window", "resilient.breaker.b.failureRate",
                        "resilient.breaker.b.minimumCalls", "resilient.breaker.b.openFor", "resilient.breaker.b.halfOpenCalls",
                        "resilient.breaker.b.windowDuration", "resilient.breaker.b.slowCall", "resilient.breaker.b.slowCallRate",
                        "resilient.breaker.b.maxHalfOpen", "resilient.breaker.b.openForMultiplier", "resilient.breaker.b.maxOpenFor",
                        "resilient.retry.C.m.maxAttempts", "resilient.retry.C.m.delay", "resilient.retry.C.m.multiplier",
                        "resilient.retry.C.m.maxDelay", "resilient.retry.C.m.maxDuration"),
                Overrides.keys(List.of("b"), List.of("C.m"), List.of(), List.of(), List.of()));
        assertEquals(List.of("resilient.ratelimit.q.permits", "resilient.ratelimit.q.per", "resilient.ratelimit.q.maxWait"),
                Overrides.keys(List.of(), List.of(), List.of("q"), List.of(), List.of()));
    }
}
