package dev.resilient.processor;

import static dev.resilient.processor.Scripted.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.CircuitBreaker.State;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.RateLimitedException;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.internal.Recorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** {@code @RateLimit} through generated wrappers, compiled under {@code -Xlint:all -Werror}. */
class RateLimitTest {
    static final Compiled COMPILED = Compiled.strictly("test.Quota",
            "package test;",
            "",
            "import dev.resilient.annotations.*;",
            "import java.util.concurrent.CompletionStage;",
            "",
            "@RateLimit(permits = 2, per = \"1s\")",
            "public interface Quota {",
            "    String byType(String key);",
            "",
            "    @RateLimit(name = \"shared\", permits = 1, per = \"10s\", maxWait = \"10s\")",
            "    @Breaker(failureThreshold = 1)",
            "    @Retryable(maxAttempts = 3, delay = \"0\")",
            "    String waiting(String key);",
            "",
            "    @RateLimit(name = \"shared\", permits = 1, per = \"10s\", maxWait = \"10s\")",
            "    String alsoShared(String key);",
            "",
            "    @RateLimit(permits = 1)",
            "    CompletionStage<String> async(String key);",
            "}");

    private final ManualTime time = new ManualTime();
    private final Recorder recorder = new Recorder();

    private Object wrap(ResilienceContext context) throws Exception {
        Class<?> iface = COMPILED.load("test.Quota");
        Object delegate = java.lang.reflect.Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
                (proxy, method, args) -> method.getReturnType() == CompletionStage.class
                        ? CompletableFuture.completedFuture("ok " + args[0]) : "ok " + args[0]);
        return COMPILED.load("test.ResilientQuota").getConstructor(iface, ResilienceContext.class).newInstance(delegate, context);
    }

    private ResilienceContext context(Map<String, String> overrides) {
        return ResilienceContext.builder().time(time).listener(recorder).overrides(overrides).build();
    }

    @Test
    void theTypesLimitAppliesPerMethodAndRefusesBeyondItsPermits() throws Throwable {
        Object quota = wrap(context(Map.of()));
        call(quota, "byType", "a");
        call(quota, "byType", "b");
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> call(quota, "byType", "c"));
        assertEquals(Duration.ofMillis(500), refused.nextTokenIn());
        assertEquals(List.of("ratelimited Quota.byType next in 500000000ns"), recorder.events("ratelimited"));
        time.advance(Duration.ofMillis(500));
        call(quota, "byType", "d");
    }

    @Test
    void aNamedLimitIsSharedWaitsUpToMaxWaitAndIsNeverRetriedNorCountedByTheBreaker() throws Throwable {
        ResilienceContext context = context(Map.of());
        Object quota = wrap(context);
        call(quota, "waiting", "a");
        call(quota, "alsoShared", "b"); // waits the 10s the next token takes
        assertEquals(List.of(Duration.ofSeconds(10)), time.sleeps());

        ResilienceContext impatient = context(Map.of("resilient.ratelimit.shared.maxWait", "0"));
        Object other = wrap(impatient);
        call(other, "waiting", "c");
        assertThrows(RateLimitedException.class, () -> call(other, "waiting", "d"));
        assertEquals(List.of(), recorder.events("retry"), "never retried");
        assertEquals(State.CLOSED, impatient.breaker("Quota.waiting").state(), "failureThreshold = 1, yet not opened");
    }

    @Test
    void anAsynchronousRefusalFailsTheStage() throws Throwable {
        Object quota = wrap(context(Map.of()));
        ((CompletionStage<?>) call(quota, "async", "a")).toCompletableFuture().join();
        CompletableFuture<?> refused = ((CompletionStage<?>) call(quota, "async", "b")).toCompletableFuture();
        assertInstanceOf(RateLimitedException.class, refused.handle((value, failure) -> failure).join());
    }

    @Test
    void overrideKeysListEachLimitOnceAndTheJavadocStatesIt() throws Throwable {
        List<String> keys = COMPILED.overrideKeys("test.ResilientQuota");
        assertEquals(List.of("resilient.ratelimit.Quota.byType.permits", "resilient.ratelimit.Quota.byType.per",
                "resilient.ratelimit.Quota.byType.maxWait", "resilient.ratelimit.shared.permits", "resilient.ratelimit.shared.per",
                "resilient.ratelimit.shared.maxWait", "resilient.ratelimit.Quota.async.permits", "resilient.ratelimit.Quota.async.per",
                "resilient.ratelimit.Quota.async.maxWait"), keys.stream().filter(key -> key.startsWith("resilient.ratelimit.")).toList());
        String source = COMPILED.source("test.ResilientQuota").replaceAll("\\n\\s*\\* ", " "); // the Javadoc's lines joined
        assertTrue(source.contains("a rate limit of 2 per 1s named <code>\"Quota.byType\"</code>"), source);
        assertTrue(source.contains(".rateLimit(\"shared\")"), source);
    }

    @Test
    void anOverrideBreakingARuleFailsTheWrapperWithTheSameId() {
        Compiled.assertConstructionFails(() -> wrap(context(Map.of("resilient.ratelimit.shared.permits", "0"))),
                "[RateLimitPermits] permits must be at least 1, was 0");
    }

    @Test
    void anOverrideCannotMakeAnAsynchronousMethodWaitForAToken() {
        Compiled.assertConstructionFails(() -> wrap(context(Map.of("resilient.ratelimit.Quota.async.maxWait", "500ms"))),
                "with overrides [resilient.ratelimit.Quota.async.maxWait], method Quota.async: [RateLimitAsyncWait]"
                        + " maxWait must be \"0\" on an asynchronous method, was \"500ms\"");
    }
}
