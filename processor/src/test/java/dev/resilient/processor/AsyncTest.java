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
import org.junit.jupiter.api.Test;

/** Asynchronous methods: every policy on stages, with waits and timeouts on ManualTime. */
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

    @Test
    void retriesAreScheduledThroughTheContextAndBlockNoThread() throws Throwable {
        Scripted delegate = new Scripted().then(CompletableFuture.failedFuture(new IOException("one")),
                new IOException("thrown, not returned"), CompletableFuture.completedFuture(7));
        Object prices = wrap(delegate);

        CompletableFuture<Integer> price = future(call(prices, "price", "apple"));

        assertFalse(price.isDone());
        assertEquals(1, delegate.calls.size());
        time.advance(Duration.ofMillis(100));
        assertEquals(2, delegate.calls.size());
        assertFalse(price.isDone());
        time.advance(Duration.ofMillis(200));
        assertEquals(7, price.getNow(null));
        assertEquals(List.of(), time.sleeps(), "nothing waited by blocking");
    }

    @Test
    void theCauseSeenByGetIsTheFailureItselfAndTheMethodNeverThrows() throws Throwable {
        IOException last = new IOException("three");
        Scripted delegate = new Scripted().then(CompletableFuture.failedFuture(new CompletionException(new IOException("one"))),
                CompletableFuture.failedFuture(new IOException("two")), CompletableFuture.failedFuture(new CompletionException(last)));
        Object prices = wrap(delegate);

        CompletableFuture<Integer> price = future(call(prices, "price", "apple"));
        time.advance(Duration.ofSeconds(1));

        assertSame(last, causeOf(price));
        assertEquals(State.OPEN, context.breaker("prices").state(), "every attempt was recorded");
        CompletableFuture<Integer> rejected = future(call(prices, "price", "apple"));
        assertTrue(causeOf(rejected) instanceof CircuitOpenException, "an open circuit fails the stage, not the call");
    }

    @Test
    void cancellingTheReturnedFutureStopsFurtherAttempts() throws Throwable {
        Scripted delegate = new Scripted().then(CompletableFuture.failedFuture(new IOException("one")));
        Object prices = wrap(delegate);

        CompletableFuture<Integer> price = future(call(prices, "price", "apple"));
        price.cancel(true);
        time.advance(Duration.ofSeconds(1));

        assertEquals(1, delegate.calls.size());
        assertEquals(0, time.pendingTasks(), "the scheduled retry was cancelled");
    }

    @Test
    void aStageThatNeverCompletesTimesOutAtTheDeadlineAndIsRetried() throws Throwable {
        CompletableFuture<Integer> hanging = new CompletableFuture<>();
        Scripted delegate = new Scripted().then(hanging, new CompletableFuture<Integer>());
        Object prices = wrap(delegate);

        CompletableFuture<Integer> slow = future(call(prices, "slow", "apple"));
        time.advance(Duration.ofMillis(999));
        assertEquals(1, delegate.calls.size());
        time.advance(Duration.ofMillis(1));
        assertTrue(hanging.isCancelled(), "the timed-out attempt's stage is cancelled");
        assertEquals(2, delegate.calls.size(), "a timeout is a failure for retry");
        assertFalse(slow.isDone());
        time.advance(Duration.ofSeconds(1));
        assertTrue(causeOf(slow) instanceof AttemptTimeoutException);
    }

    @Test
    void anAsyncBulkheadHoldsItsSlotUntilTheStageCompletesAndFallsBack() throws Throwable {
        CompletableFuture<Integer> first = new CompletableFuture<>();
        Scripted delegate = new Scripted().then(first, CompletableFuture.completedFuture(3));
        Object prices = wrap(delegate);

        CompletableFuture<Integer> holding = future(call(prices, "limited", "a"));
        CompletableFuture<Integer> full = future(call(prices, "limited", "b"));
        assertEquals(-1, full.getNow(null), "BulkheadFullException fell back to cached()");
        assertEquals(1, delegate.calls.size());

        first.complete(1);
        assertEquals(1, holding.getNow(null));
        assertEquals(3, future(call(prices, "limited", "c")).getNow(null));
    }

    @Test
    void asyncFailoverMovesOnToTheBackupWithoutWaiting() throws Throwable {
        Class<?> iface = COMPILED.load("test.Prices");
        Scripted primary = new Scripted().then(CompletableFuture.failedFuture(new IOException("primary down")));
        Scripted backup = new Scripted().then(CompletableFuture.completedFuture(11));
        Object backups = java.lang.reflect.Array.newInstance(iface, 1);
        java.lang.reflect.Array.set(backups, 0, backup.proxy(iface));
        Object prices = COMPILED.load("test.ResilientPrices").getMethod("failover", ResilienceContext.class, iface, iface.arrayType())
                .invoke(null, context, primary.proxy(iface), backups);

        assertEquals(11, future(call(prices, "price", "apple")).getNow(null));
        assertEquals(List.of(), time.sleeps());
        assertEquals(State.CLOSED, context.breaker("prices").state());
        assertEquals(State.CLOSED, context.breaker("prices#1").state());
    }

    @Test
    void aListenerThatThrowsNeverLeavesTheStageIncomplete() throws Throwable {
        ResilienceContext noisy = ResilienceContext.builder().time(time).listener(new dev.resilient.runtime.ResilienceListener() {
            @Override
            public void onAttempt(String method, int attempt, Throwable failure) {
                throw new IllegalStateException("listener bug");
            }
        }).build();
        Class<?> iface = COMPILED.load("test.Prices");
        Scripted delegate = new Scripted().then(CompletableFuture.failedFuture(new IOException("one")), CompletableFuture.completedFuture(5));
        Object prices = COMPILED.load("test.ResilientPrices").getConstructor(iface, ResilienceContext.class)
                .newInstance(delegate.proxy(iface), noisy);

        CompletableFuture<Integer> price = future(call(prices, "price", "apple"));
        time.advance(Duration.ofMillis(100));
        assertEquals(5, price.getNow(null));
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
