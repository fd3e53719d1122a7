package dev.resilient.processor;

import static dev.resilient.processor.Scripted.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.AttemptTimeoutException;
import dev.resilient.runtime.CircuitBreaker.State;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import dev.resilient.runtime.internal.CapturedLog;
import dev.resilient.runtime.internal.StageKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Asynchronous methods: every policy on stages, with waits and timeouts on ManualTime, each tried
 * with every kind of stage a delegate may return (the stage matrix, {@link StageKind}).
 */
class AsyncTest {
    static final Compiled COMPILED = Compiled.strictly("test.Prices",
            "package test;",
            "",
            "import dev.resilient.annotations.*;",
            "import java.util.concurrent.CompletableFuture;",
            "import java.util.concurrent.CompletionStage;",
            "",
            "public interface Prices {",
            "    @Retryable(maxAttempts = 3, delay = \"100ms\")",
            "    @Breaker(name = \"prices\", failureThreshold = 3, openFor = \"1m\")",
            "    CompletionStage<Integer> price(String sku);",
            "",
            "    @Timeout(\"1s\")",
            "    @Retryable(maxAttempts = 2, delay = \"0\")",
            "    CompletableFuture<Integer> slow(String sku);",
            "",
            "    @Fallback(\"cached\")",
            "    @Bulkhead(maxConcurrent = 1)",
            "    CompletionStage<Integer> limited(String sku);",
            "",
            "    default CompletionStage<Integer> cached(String sku, Throwable failure) {",
            "        return CompletableFuture.completedFuture(-1);",
            "    }",
            "}");

    private final ManualTime time = new ManualTime();
    private final ResilienceContext context = ResilienceContext.builder().time(time).build();

    private Object wrap(Scripted delegate) throws Exception {
        Class<?> iface = COMPILED.load("test.Prices");
        return COMPILED.load("test.ResilientPrices").getConstructor(iface, ResilienceContext.class)
                .newInstance(delegate.proxy(iface), context);
    }

    @SuppressWarnings("unchecked")
    private static CompletableFuture<Integer> future(Object stage) {
        return ((CompletionStage<Integer>) stage).toCompletableFuture();
    }

    private static Throwable causeOf(CompletableFuture<?> future) {
        return assertThrows(ExecutionException.class, future::get).getCause();
    }

    /** A stage of {@code kind} made when the call comes: pending kinds answer 1 ms after it. */
    private Scripted.Later stage(StageKind kind, Object outcome) {
        return () -> kind.answer(time, outcome);
    }

    /** How long a stage of {@code kind} takes to answer. */
    private static Duration answering(StageKind kind) {
        return kind.isDone() ? Duration.ZERO : Duration.ofMillis(1);
    }

    @ParameterizedTest
    @EnumSource(StageKind.class)
    void retriesAreScheduledThroughTheContextAndBlockNoThread(StageKind kind) throws Throwable {
        Scripted delegate = new Scripted().then(stage(kind, new IOException("one")), new IOException("thrown, not returned"),
                stage(kind, 7));
        Object prices = wrap(delegate);

        CompletableFuture<Integer> price = future(call(prices, "price", "apple"));

        assertFalse(price.isDone());
        assertEquals(1, delegate.calls.size());
        time.advance(answering(kind).plusMillis(100));
        assertEquals(2, delegate.calls.size());
        assertFalse(price.isDone());
        time.advance(Duration.ofMillis(200));
        time.advance(answering(kind));
        assertEquals(7, price.getNow(null));
        assertEquals(List.of(), time.sleeps(), "nothing waited by blocking");
    }

    @ParameterizedTest
    @EnumSource(StageKind.class)
    void theCauseSeenByGetIsTheFailureItselfAndTheMethodNeverThrows(StageKind kind) throws Throwable {
        IOException last = new IOException("three");
        Scripted delegate = new Scripted().then(stage(kind, new CompletionException(new IOException("one"))),
                stage(kind, new IOException("two")), stage(kind, new CompletionException(last)));
        Object prices = wrap(delegate);

        CompletableFuture<Integer> price = future(call(prices, "price", "apple"));
        time.advance(Duration.ofSeconds(1));

        assertSame(last, causeOf(price));
        assertEquals(State.OPEN, context.breaker("prices").state(), "every attempt was recorded");
        CompletableFuture<Integer> rejected = future(call(prices, "price", "apple"));
        assertTrue(causeOf(rejected) instanceof CircuitOpenException, "an open circuit fails the stage, not the call");
    }

    @ParameterizedTest
    @EnumSource(StageKind.class)
    void cancellingTheReturnedFutureStopsFurtherAttempts(StageKind kind) throws Throwable {
        Scripted delegate = new Scripted().then(stage(kind, new IOException("one")));
        Object prices = wrap(delegate);

        CompletableFuture<Integer> price = future(call(prices, "price", "apple"));
        time.advance(answering(kind));
        price.cancel(true);
        time.advance(Duration.ofSeconds(1));

        assertEquals(1, delegate.calls.size());
        assertEquals(0, time.pendingTasks(), "the scheduled retry was cancelled");
    }

    /** Not FOREIGN: slow() returns a CompletableFuture, which a foreign stage is not. */
    @ParameterizedTest
    @EnumSource(value = StageKind.class, names = {"FUTURE", "MINIMAL"})
    void aStageThatNeverCompletesTimesOutAtTheDeadlineAndIsRetried(StageKind kind) throws Throwable {
        List<CompletionStage<Integer>> hanging = new java.util.ArrayList<>();
        Scripted.Later never = () -> {
            CompletionStage<Integer> stage = kind.answer(time, StageKind.NEVER);
            hanging.add(stage);
            return stage;
        };
        Scripted delegate = new Scripted().then(never, never);
        Object prices = wrap(delegate);

        CompletableFuture<Integer> slow = future(call(prices, "slow", "apple"));
        time.advance(Duration.ofMillis(999));
        assertEquals(1, delegate.calls.size());
        time.advance(Duration.ofMillis(1));
        if (kind == StageKind.FUTURE) {
            assertTrue(((CompletableFuture<Integer>) hanging.get(0)).isCancelled(), "the timed-out attempt's stage is cancelled");
        }
        assertEquals(2, delegate.calls.size(), "a timeout is a failure for retry");
        assertFalse(slow.isDone());
        time.advance(Duration.ofSeconds(1));
        assertTrue(causeOf(slow) instanceof AttemptTimeoutException);
        assertEquals(0, time.pendingTasks(), "no timer left behind");
    }

    @ParameterizedTest
    @EnumSource(StageKind.class)
    void anAsyncBulkheadHoldsItsSlotUntilTheStageCompletesAndFallsBack(StageKind kind) throws Throwable {
        Scripted delegate = new Scripted().then(stage(kind, 1), stage(kind, 2), stage(kind, 3));
        Object prices = wrap(delegate);

        CompletableFuture<Integer> holding = future(call(prices, "limited", "a"));
        CompletableFuture<Integer> second = future(call(prices, "limited", "b"));
        if (kind.isDone()) {
            assertEquals(2, second.getNow(null), "the first answered before the second came: its slot was free again");
        } else {
            assertEquals(-1, second.getNow(null), "BulkheadFullException fell back to cached()");
            assertEquals(1, delegate.calls.size());
        }
        time.advance(answering(kind));
        assertEquals(1, holding.getNow(null));
        CompletableFuture<Integer> third = future(call(prices, "limited", "c"));
        time.advance(answering(kind));
        assertEquals(kind.isDone() ? 3 : 2, third.getNow(null));
    }

    @ParameterizedTest
    @EnumSource(StageKind.class)
    void asyncFailoverMovesOnToTheBackupWithoutWaiting(StageKind kind) throws Throwable {
        Class<?> iface = COMPILED.load("test.Prices");
        Scripted primary = new Scripted().then(stage(kind, new IOException("primary down")));
        Scripted backup = new Scripted().then(stage(kind, 11));
        Object backups = java.lang.reflect.Array.newInstance(iface, 1);
        java.lang.reflect.Array.set(backups, 0, backup.proxy(iface));
        Object prices = COMPILED.load("test.ResilientPrices").getMethod("failover", ResilienceContext.class, iface, iface.arrayType())
                .invoke(null, context, primary.proxy(iface), backups);

        CompletableFuture<Integer> price = future(call(prices, "price", "apple"));
        time.advance(answering(kind).multipliedBy(2));
        assertEquals(11, price.getNow(null));
        assertEquals(List.of(), time.sleeps());
        assertEquals(State.CLOSED, context.breaker("prices").state());
        assertEquals(State.CLOSED, context.breaker("prices#1").state());
    }

    @ParameterizedTest
    @EnumSource(StageKind.class)
    void aListenerThatThrowsNeverLeavesTheStageIncomplete(StageKind kind) throws Throwable {
        ResilienceContext noisy = ResilienceContext.builder().time(time).listener(new dev.resilient.runtime.ResilienceListener() {
            @Override
            public void onAttempt(String method, int attempt, Throwable failure) {
                throw new IllegalStateException("listener bug");
            }
        }).build();
        Class<?> iface = COMPILED.load("test.Prices");
        Scripted delegate = new Scripted().then(stage(kind, new IOException("one")), stage(kind, 5));
        Object prices = COMPILED.load("test.ResilientPrices").getConstructor(iface, ResilienceContext.class)
                .newInstance(delegate.proxy(iface), noisy);

        try (CapturedLog log = new CapturedLog()) {
            CompletableFuture<Integer> price = future(call(prices, "price", "apple"));
            time.advance(answering(kind).multipliedBy(2).plusMillis(100));
            assertEquals(5, price.getNow(null));
            assertEquals(1, log.records().size(), "logged once: " + log.messages());
        }
    }

    @Test
    void aDelegateThatThrowsBulkheadFullItselfStillReturnsOurSlot() throws Throwable {
        Scripted delegate = new Scripted().then(new dev.resilient.runtime.BulkheadFullException("the delegate's own bulkhead"),
                CompletableFuture.completedFuture(3));
        Object prices = wrap(delegate);

        assertEquals(-1, future(call(prices, "limited", "a")).getNow(null), "the delegate's failure fell back");
        assertEquals(3, future(call(prices, "limited", "b")).getNow(null), "our one slot was returned");
        assertEquals(2, delegate.calls.size());
    }
}
