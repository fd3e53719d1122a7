package dev.resilient.processor;

import static dev.resilient.processor.Scripted.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.AttemptTimeoutException;
import dev.resilient.runtime.BulkheadFullException;
import dev.resilient.runtime.CircuitBreaker.State;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.RateLimitedException;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.ResilienceListener;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT.md, "@Fallback", "@Timeout", "@Bulkhead", "@RetryBudget", "@RateLimit", "Failover",
 * the order of policies, "Asynchronous methods" and the listener parts of "Runtime", through a
 * generated wrapper on {@link ManualTime}.
 */
class ContractPoliciesAuditTest {
    static final Compiled COMPILED = Compiled.strictly("audit.Shop",
            "package audit;",
            "",
            "import dev.resilient.annotations.*;",
            "import java.io.IOException;",
            "import java.util.concurrent.CompletableFuture;",
            "",
            "public interface Shop {",
            "    @Fallback(\"plain\")",
            "    @Breaker(failureThreshold = 1, openFor = \"1m\")",
            "    String fallsBack(String sku) throws IOException;",
            "    String plain(String sku);",
            "",
            "    @Fallback(\"generic\") <T> T pick(Class<T> type, String key) throws IOException;",
            "    <T> T generic(Class<T> type, String key, Exception failure);",
            "",
            "    @Fallback(\"plainAsync\") @Retryable(maxAttempts = 2, delay = \"1s\")",
            "    CompletableFuture<String> asyncFallsBack(String sku);",
            "    CompletableFuture<String> plainAsync(String sku);",
            "",
            "    @Timeout(\"10s\") String threadLocal();",
            "    @Timeout(\"1s\") CompletableFuture<String> timedAsync();",
            "",
            "    @RateLimit(permits = 2, per = \"1s\") String limited();",
            "",
            "    @RateLimit(permits = 1, per = \"1h\")",
            "    @Breaker(failureThreshold = 2, openFor = \"1m\")",
            "    @Retryable(maxAttempts = 2, delay = \"0\")",
            "    String limitedInsideBreakerAndRetry() throws IOException;",
            "",
            "    @Retryable(maxAttempts = 3, delay = \"0\") String plainRetry() throws IOException;",
            "",
            "    @RetryBudget(name = \"half\", ratio = 0.5, minPerSecond = 0, window = \"1s\")",
            "    @Retryable(maxAttempts = 3, delay = \"100ms\")",
            "    String budgeted() throws IOException;",
            "",
            "    @Retryable(maxAttempts = 2, delay = \"1s\")",
            "    @Breaker(failureThreshold = 1, openFor = \"1m\")",
            "    String replicated() throws IOException;",
            "",
            "    @Retryable(maxAttempts = 3, delay = \"1s\") CompletableFuture<String> async();",
            "",
            "    @Retryable(maxAttempts = 2, delay = \"1s\", retryOn = IOException.class)",
            "    CompletableFuture<String> asyncIo();",
            "",
            "    @Breaker(failureThreshold = 5) String unretried();",
            "",
            "    @Timeout(\"1s\") @Breaker(failureThreshold = 1) CompletableFuture<String> timedBreaker();",
            "",
            "    @Bulkhead(maxConcurrent = 1) CompletableFuture<String> bulkhead();",
            "",
            "    @RetryBudget(name = \"none\", ratio = 0, minPerSecond = 0)",
            "    @Retryable(maxAttempts = 3, delay = \"1s\", retryOnResult = \"blank\")",
            "    String judgedOnNoBudget();",
            "    default boolean blank(String value) { return value.isBlank(); }",
            "",
            "    @Hedge(delay = \"100ms\", maxAttempts = 2) CompletableFuture<String> hedged();",
            "}");

    private final ManualTime time = new ManualTime();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ResilienceContext context = ResilienceContext.builder().time(time).listener(new ResilienceListener() {
        @Override
        public void onFallback(String method, Throwable failure) {
            events.add("fallback " + method + " " + failure.getClass().getSimpleName());
        }

        @Override
        public void onRetry(String method, int attempt, Throwable failure, Duration wait) {
            events.add("retry " + method + " #" + attempt + " " + wait);
        }

        @Override
        public void onRetryBudgetExhausted(String method, String budget) {
            events.add("budget " + budget + " refused " + method);
        }

        @Override
        public void onRateLimited(String limiter, Duration nextTokenIn) {
            events.add("limited " + limiter + " " + nextTokenIn);
        }

        @Override
        public void onFailoverAttempt(String method, int attempt, int delegate) {
            events.add("attempt " + attempt + " to " + delegate);
        }
    }).build();
    private final Scripted delegate = new Scripted();

    private Class<?> iface() {
        return COMPILED.load("audit.Shop");
    }

    private Object wrap(ResilienceContext on, Object target) throws Exception {
        return COMPILED.load("audit.ResilientShop").getConstructor(iface(), ResilienceContext.class).newInstance(target, on);
    }

    private Object shop() throws Exception {
        return wrap(context, delegate.proxy(iface()));
    }

    private Object failover(Object... delegates) throws Exception {
        Method factory = COMPILED.load("audit.ResilientShop").getMethod("failover", ResilienceContext.class, iface(),
                iface().arrayType());
        Object backups = Array.newInstance(iface(), delegates.length - 1);
        for (int i = 1; i < delegates.length; i++) {
            Array.set(backups, i - 1, delegates[i]);
        }
        return factory.invoke(null, context, delegates[0], backups);
    }

    private static Throwable failureOf(Object stage) {
        return assertThrows(ExecutionException.class, () -> ((CompletableFuture<?>) stage).get()).getCause();
    }

    /** Fallback: "once every other policy has failed, open circuit included"; the failure parameter is optional. */
    @Test
    void anOpenCircuitFallsBackToATargetWithoutAFailureParameter() throws Throwable {
        Object shop = shop();
        delegate.then(new IOException("down"), "plain 1", "plain 2");
        assertEquals("plain 1", call(shop, "fallsBack", "a"));
        assertEquals("plain 2", call(shop, "fallsBack", "b"));
        assertEquals(List.of("fallsBack[a]", "plain[a]", "plain[b]"), delegate.calls, "the open breaker calls no delegate");
        assertEquals(List.of("fallback Shop.fallsBack IOException", "fallback Shop.fallsBack CircuitOpenException"), events);
    }

    /** "what it throws reaches the caller"; an Error is not in the default applyOn {Exception.class}. */
    @Test
    void whatTheFallbackThrowsReachesTheCallerAndErrorsDoNotFallBack() throws Throwable {
        Object shop = shop();
        IllegalStateException fromFallback = new IllegalStateException("no cache either");
        delegate.then(new IOException("down"), fromFallback);
        assertSame(fromFallback, assertThrows(IllegalStateException.class, () -> call(shop, "fallsBack", "a")));

        context.breaker("Shop.fallsBack").reset();
        AssertionError error = new AssertionError("an error");
        delegate.then(error);
        assertSame(error, assertThrows(AssertionError.class, () -> call(shop, "fallsBack", "b")));
        assertEquals(3, delegate.calls.size());
    }

    /** "for a generic method, its type parameters in order": the fallback gets the call's arguments and failure. */
    @Test
    void aGenericMethodFallsBackToAGenericTarget() throws Throwable {
        Object shop = shop();
        IOException down = new IOException("down");
        delegate.then(down, 42);
        assertEquals(42, call(shop, "pick", Integer.class, "k"));
        assertEquals(List.of("pick[class java.lang.Integer, k]", "generic[class java.lang.Integer, k, java.io.IOException: down]"),
                delegate.calls);
    }

    /** "Once the returned future is cancelled nothing more starts: no retry is announced or scheduled, no fallback is called". */
    @Test
    void aCancelledAsynchronousCallNeitherRetriesNorFallsBack() throws Throwable {
        Object shop = shop();
        CompletableFuture<String> first = new CompletableFuture<>();
        delegate.then(first);
        CompletableFuture<?> returned = (CompletableFuture<?>) call(shop, "asyncFallsBack", "a");
        assertTrue(returned.cancel(true));
        assertTrue(first.isCancelled(), "the attempt in flight is cancelled");
        first.completeExceptionally(new IOException("late failure"));
        time.advance(Duration.ofMinutes(1));
        assertEquals(List.of("asyncFallsBack[a]"), delegate.calls);
        assertEquals(List.of(), events);
        assertEquals(0, time.pendingTasks());
    }

    /** "Thread-locals of the caller are not seen by the attempt"; the attempt runs on the context's executor. */
    @Test
    void aTimedAttemptRunsOnAnotherThreadWithoutTheCallersThreadLocals() throws Throwable {
        ThreadLocal<String> local = new ThreadLocal<>();
        AtomicReference<String> seen = new AtomicReference<>("not called");
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        delegate.then((Scripted.Later) () -> {
            seen.set(local.get());
            ranOn.set(Thread.currentThread());
            return "ok";
        });
        local.set("caller's");
        try {
            Object shop = wrap(ResilienceContext.builder().build(), delegate.proxy(iface()));
            assertEquals("ok", call(shop, "threadLocal"));
        } finally {
            local.remove();
        }
        assertNull(seen.get());
        assertFalse(ranOn.get() == Thread.currentThread());
        assertTrue(ranOn.get().isDaemon(), "the default executor's threads are daemons");
    }

    /** Async timeout: "the returned stage fails with AttemptTimeoutException at the deadline"; an attempt in time "leaves no timer behind". */
    @Test
    void anAsynchronousTimeoutFiresAtTheDeadlineAndOneInTimeLeavesNoTimer() throws Throwable {
        Object shop = shop();
        CompletableFuture<String> quick = new CompletableFuture<>();
        delegate.then(quick, new CompletableFuture<String>());
        CompletableFuture<?> first = (CompletableFuture<?>) call(shop, "timedAsync");
        quick.complete("in time");
        assertEquals("in time", first.get());
        assertEquals(0, time.pendingTasks(), "no timer left behind");

        CompletableFuture<?> second = (CompletableFuture<?>) call(shop, "timedAsync");
        time.advance(Duration.ofSeconds(1).minusNanos(1));
        assertFalse(second.isDone());
        time.advance(Duration.ofNanos(1));
        assertInstanceOf(AttemptTimeoutException.class, failureOf(second));
    }

    /**
     * RateLimit: "a token bucket of permits tokens, full when the first wrapper declares it",
     * "refilled evenly"; RateLimitedException "says when the next token comes".
     */
    @Test
    void aFullBucketRefillsEvenlyAndARefusalSaysWhenTheNextTokenComes() throws Throwable {
        Object shop = shop();
        delegate.then("1", "2", "3");
        assertEquals("1", call(shop, "limited"));
        assertEquals("2", call(shop, "limited"));
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> call(shop, "limited"));
        assertEquals(Duration.ofMillis(500), refused.nextTokenIn(), "2 per second: one every 500 ms");
        assertTrue(refused.getMessage().contains("500") || refused.getMessage().contains("0.5"), refused.getMessage());
        assertEquals(List.of("limited Shop.limited PT0.5S"), events);
        time.advance(Duration.ofMillis(500));
        assertEquals("3", call(shop, "limited"));
    }

    /**
     * Order "Retry → Failover → Breaker → RateLimit": every attempt of a retry draws a token, a
     * refused one is not retried and not counted by the breaker, and an open breaker draws none.
     */
    @Test
    void theRateLimitSitsInsideTheRetryAndTheBreaker() throws Throwable {
        Object shop = shop();
        delegate.then(new IOException("down"));
        RateLimitedException refused = assertThrows(RateLimitedException.class,
                () -> call(shop, "limitedInsideBreakerAndRetry"));
        assertNull(refused.getCause());
        assertEquals(1, delegate.calls.size(), "the retry's second attempt found no token and was not retried");
        assertEquals(State.CLOSED, context.breaker("Shop.limitedInsideBreakerAndRetry").state(),
                "threshold 2: the IOException counted, the refusal did not");

        time.advance(Duration.ofHours(1));
        context.breaker("Shop.limitedInsideBreakerAndRetry").forceOpen();
        assertThrows(CircuitOpenException.class, () -> call(shop, "limitedInsideBreakerAndRetry"));
        context.breaker("Shop.limitedInsideBreakerAndRetry").reset();
        delegate.then("ok");
        assertEquals("ok", call(shop, "limitedInsideBreakerAndRetry"), "the rejected call took no token");
    }

    /**
     * RetryBudget: "allowed when the retries made in the last window (this one included) do not
     * exceed ratio × the calls started in the last window (this one included) plus minPerSecond ×
     * window"; a refused retry "is not made, and no wait precedes the refusal".
     */
    @Test
    void theBudgetAllowsRetriesUpToRatioTimesCallsAndRefusesWithoutWaiting() throws Throwable {
        Object shop = shop();
        IOException first = new IOException("call 1");
        delegate.then(first);
        assertSame(first, assertThrows(IOException.class, () -> call(shop, "budgeted")),
                "1 retry > 0.5 × 1 call: refused");
        assertEquals(List.of(), time.sleeps(), "no wait precedes the refusal");

        IOException third = new IOException("call 2, attempt 2");
        delegate.then(new IOException("call 2, attempt 1"), third);
        assertSame(third, assertThrows(IOException.class, () -> call(shop, "budgeted")),
                "1 retry <= 0.5 × 2 calls, then 2 > 1: refused");
        assertEquals(List.of(Duration.ofMillis(100)), time.sleeps());
        assertEquals(List.of("budget half refused Shop.budgeted", "retry Shop.budgeted #1 PT0.1S",
                "budget half refused Shop.budgeted"), events);

        time.advance(Duration.ofSeconds(2));
        delegate.then(new IOException("call 3"));
        assertThrows(IOException.class, () -> call(shop, "budgeted"), "the window forgot the old calls and retries");
    }

    /**
     * Hedge: "when an attempt has not answered within delay, another starts without stopping the
     * first (under failover, on the next delegate) ... The first answer that is not a failure
     * wins; the attempts still running are cancelled (asynchronous)".
     */
    @Test
    void aSlowAttemptIsHedgedOnTheNextDelegateAndTheLoserCancelled() throws Throwable {
        CompletableFuture<String> slow = new CompletableFuture<>();
        CompletableFuture<String> quick = new CompletableFuture<>();
        Scripted primary = new Scripted().then(slow);
        Scripted backup = new Scripted().then(quick);
        Object shop = failover(primary.proxy(iface()), backup.proxy(iface()));
        CompletableFuture<?> returned = (CompletableFuture<?>) call(shop, "hedged");
        time.advance(Duration.ofMillis(100).minusNanos(1));
        assertEquals(List.of(), backup.calls, "no hedge before the delay");
        time.advance(Duration.ofNanos(1));
        assertEquals(List.of("hedged[]"), backup.calls);
        assertFalse(slow.isDone(), "the first attempt keeps running");
        quick.complete("backup's");
        assertEquals("backup's", returned.get());
        assertTrue(slow.isCancelled(), "the loser is cancelled");
    }

    /** A refused retry leaves the caller "the last failure (or result)": a rejected value is returned. */
    @Test
    void aRefusedRetryOfARejectedValueReturnsThatValue() throws Throwable {
        delegate.then(" ");
        assertEquals(" ", call(shop(), "judgedOnNoBudget"));
        assertEquals(List.of("budget none refused Shop.judgedOnNoBudget"), events);
        assertEquals(List.of(), time.sleeps());
    }

    /**
     * Failover: delegate i > 0's breakers append "#" + i; a retried failure moves on at once; retries
     * repeat whole passes, so at most maxAttempts × delegates calls; listeners hear the delegate.
     */
    @Test
    void failoverPassesOverTheDelegatesAndRetriesWholePasses() throws Throwable {
        failover(new Scripted().proxy(iface()), new Scripted().proxy(iface()), new Scripted().proxy(iface()));
        assertEquals(State.CLOSED, context.breaker("Shop.replicated").state());
        assertEquals(State.CLOSED, context.breaker("Shop.replicated#1").state());
        assertEquals(State.CLOSED, context.breaker("Shop.replicated#2").state());

        Scripted p = new Scripted().then(new IOException("p1"));
        Scripted b = new Scripted().then(new IOException("b1"));
        ResilienceContext own = ResilienceContext.builder().time(time).listener(new ResilienceListener() {
            @Override
            public void onFailoverAttempt(String method, int attempt, int delegate) {
                events.add(method + " attempt " + attempt + " to " + delegate);
            }
        }).build();
        Method factory = COMPILED.load("audit.ResilientShop").getMethod("failover", ResilienceContext.class, iface(),
                iface().arrayType());
        Object backups = Array.newInstance(iface(), 1);
        Array.set(backups, 0, b.proxy(iface()));
        Object replicated = factory.invoke(null, own, p.proxy(iface()), backups);
        events.clear();
        CircuitOpenException ended = assertThrows(CircuitOpenException.class, () -> call(replicated, "replicated"));
        assertEquals("b1", ended.getCause().getMessage(), "its cause the last failure");
        assertEquals(List.of("Shop.replicated attempt 1 to 0", "Shop.replicated attempt 1 to 1"), events,
                "threshold 1: both breakers opened in the first pass, so no second pass after a 1 s wait");
        assertEquals(List.of(), time.sleeps(), "no wait that cannot lead to an attempt: every delegate's breaker is open");
        assertEquals(State.OPEN, own.breaker("Shop.replicated").state());
        assertEquals(State.OPEN, own.breaker("Shop.replicated#1").state());
        CircuitOpenException allOpen = assertThrows(CircuitOpenException.class, () -> call(replicated, "replicated"));
        assertTrue(allOpen.breakerName().startsWith("Shop.replicated"), allOpen.breakerName());
    }

    /** "A delegate that throws instead of returning a failed stage is treated the same"; "one that returns null is a failure (NullPointerException)". */
    @Test
    void anAsynchronousMethodTurnsThrowsAndNullsIntoFailedStagesAndNeverThrows() throws Throwable {
        IllegalStateException thrown = new IllegalStateException("thrown, not returned");
        Scripted script = new Scripted().then(null, thrown, CompletableFuture.completedFuture("ok"));
        Object async = wrap(context, script.proxy(iface()));
        CompletableFuture<?> stage = (CompletableFuture<?>) call(async, "async");
        time.advance(Duration.ofSeconds(1));
        time.advance(Duration.ofSeconds(2));
        assertEquals("ok", stage.get());
        assertEquals(List.of("retry Shop.async #1 PT1S", "retry Shop.async #2 PT2S"), events);

        Scripted failing = new Scripted().then(null, null, thrown);
        Object failingShop = wrap(context, failing.proxy(iface()));
        CompletableFuture<?> failed = (CompletableFuture<?>) call(failingShop, "async");
        time.advance(Duration.ofSeconds(3));
        assertSame(thrown, failureOf(failed), "the failure itself is the cause seen by get()");
    }

    /**
     * Failover: "a failure that the method's @Retryable would retry (any Exception where it has
     * none) moves on to the next delegate at once; a failure it would not retry ends the call".
     */
    @Test
    void withoutARetryAnyExceptionMovesOnAndAnErrorEndsTheCall() throws Throwable {
        Scripted primary = new Scripted().then(new IllegalStateException("primary down"), new AssertionError("bug"));
        Scripted backup = new Scripted().then("from backup");
        Object shop = failover(primary.proxy(iface()), backup.proxy(iface()));
        assertEquals("from backup", call(shop, "unretried"));
        assertThrows(AssertionError.class, () -> call(shop, "unretried"));
        assertEquals(List.of("unretried[]", "unretried[]"), primary.calls);
        assertEquals(List.of("unretried[]"), backup.calls, "the Error did not move on");
        assertEquals(List.of(), time.sleeps());
    }

    /** "failures are classified unwrapped from CompletionException", and the caller's get() sees the failure itself. */
    @Test
    void anAsynchronousFailureWrappedInACompletionExceptionIsClassifiedUnwrapped() throws Throwable {
        IOException first = new IOException("first");
        IOException second = new IOException("second");
        Scripted script = new Scripted().then(
                CompletableFuture.failedFuture(new java.util.concurrent.CompletionException(first)),
                CompletableFuture.supplyAsync(() -> {
                    throw new java.util.concurrent.CompletionException(second);
                }, Runnable::run));
        Object shop = wrap(context, script.proxy(iface()));
        CompletableFuture<?> stage = (CompletableFuture<?>) call(shop, "asyncIo");
        time.advance(Duration.ofSeconds(1));
        assertSame(second, failureOf(stage));
        assertEquals(2, script.calls.size(), "the wrapped IOException was retried as an IOException");
    }

    /**
     * RetryBudget: "one budget per name per context ("" = the interface's name within its
     * package)"; RateLimit: "shared by name per context ("" = the method's name as in listener
     * events)".
     */
    @Test
    void defaultBudgetAndLimitNamesAreTheInterfacesAndTheMethodsWithinThePackage() throws Throwable {
        Compiled compiled = Compiled.strictly("audit.Outer",
                "package audit;",
                "import dev.resilient.annotations.*;",
                "public class Outer {",
                "    @RetryBudget(ratio = 0, minPerSecond = 0)",
                "    public interface Api {",
                "        @Retryable(delay = \"0\") String first() throws java.io.IOException;",
                "        @Retryable(delay = \"0\") @RateLimit(permits = 1, per = \"1h\") String second() throws java.io.IOException;",
                "    }",
                "}");
        Class<?> api = compiled.load("audit.Outer$Api");
        Scripted script = new Scripted().then(new IOException("1"), new IOException("2"));
        Object wrapper = compiled.load("audit.ResilientOuter_Api").getConstructor(api, ResilienceContext.class)
                .newInstance(script.proxy(api), context);
        assertThrows(IOException.class, () -> call(wrapper, "first"));
        assertThrows(IOException.class, () -> call(wrapper, "second"));
        assertThrows(RateLimitedException.class, () -> call(wrapper, "second"), "its one token per hour is taken");
        assertEquals(List.of("budget Outer.Api refused Outer.Api.first", "budget Outer.Api refused Outer.Api.second"),
                events.subList(0, 2));
        assertEquals(List.of("limited Outer.Api.second PT1H"), events.subList(2, events.size()));
    }

    /** "A timeout is a failure for retry and breaker." */
    @Test
    void aTimeoutCountsAgainstTheBreaker() throws Throwable {
        delegate.then(new CompletableFuture<String>());
        CompletableFuture<?> stage = (CompletableFuture<?>) call(shop(), "timedBreaker");
        time.advance(Duration.ofSeconds(1));
        assertInstanceOf(AttemptTimeoutException.class, failureOf(stage));
        assertEquals(State.OPEN, context.breaker("Shop.timedBreaker").state());
    }

    /**
     * Bulkhead: "At most maxConcurrent calls of that method are inside the delegate at once, per
     * wrapper (and per delegate under failover); asynchronous calls hold their slot until the stage
     * completes."
     */
    @Test
    void aBulkheadIsPerWrapperAndPerDelegate() throws Throwable {
        CompletableFuture<String> held = new CompletableFuture<>();
        Scripted one = new Scripted().then(held, CompletableFuture.completedFuture("one again"));
        Scripted two = new Scripted().then(CompletableFuture.completedFuture("two"));
        Object first = wrap(context, one.proxy(iface()));
        Object second = wrap(context, two.proxy(iface()));
        CompletableFuture<?> holding = (CompletableFuture<?>) call(first, "bulkhead");
        assertInstanceOf(BulkheadFullException.class, failureOf(call(first, "bulkhead")));
        assertEquals("two", ((CompletableFuture<?>) call(second, "bulkhead")).get(), "another wrapper, another bulkhead");
        held.complete("one");
        assertEquals("one", holding.get());
        assertEquals("one again", ((CompletableFuture<?>) call(first, "bulkhead")).get(), "the slot came back");

        // Under failover each delegate has its own bulkhead, but a full one ends the call: failover
        // moves on only after a failure the method would retry, and BulkheadFullException never is.
        CompletableFuture<String> primaryHeld = new CompletableFuture<>();
        Scripted primary = new Scripted().then(primaryHeld);
        Scripted backup = new Scripted().then(new IllegalStateException("backup down"));
        Object replicated = failover(primary.proxy(iface()), backup.proxy(iface()));
        CompletableFuture<?> onPrimary = (CompletableFuture<?>) call(replicated, "bulkhead");
        assertInstanceOf(BulkheadFullException.class, failureOf(call(replicated, "bulkhead")));
        assertEquals(List.of(), backup.calls, "not moved on to the backup");
        primaryHeld.completeExceptionally(new IllegalStateException("primary down"));
        assertInstanceOf(IllegalStateException.class, failureOf(onPrimary));
        assertEquals(List.of("bulkhead[]"), backup.calls, "the backup's own bulkhead let the moved-on call in");
    }

    /** "giving such a context a scheduler as well is an error". */
    @Test
    void aManualTimeContextRefusesAScheduler() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            assertThrows(IllegalArgumentException.class,
                    () -> ResilienceContext.builder().time(new ManualTime()).scheduler(scheduler).build());
        } finally {
            scheduler.shutdownNow();
        }
    }

    /**
     * "listener(...) may be given several times (all are told, in order)"; "whatever one throws ...
     * is caught, logged once, and dropped. So is a failure whose getMessage() or toString() throws:
     * it still reaches the caller itself."
     */
    @Test
    void listenersAreAllToldInOrderAndNeitherTheirFailuresNorHostileFailuresChangeACall() throws Throwable {
        List<String> told = new CopyOnWriteArrayList<>();
        ResilienceContext observed = ResilienceContext.builder().time(time)
                .listener(new ResilienceListener() {
                    @Override
                    public void onRetry(String method, int attempt, Throwable failure, Duration wait) {
                        told.add("first");
                        throw new IllegalStateException("listener bug");
                    }
                })
                .listener(new ResilienceListener() {
                    @Override
                    public void onRetry(String method, int attempt, Throwable failure, Duration wait) {
                        told.add("second");
                        throw new AssertionError("an Error other than VirtualMachineError");
                    }
                })
                .listener(new ResilienceListener() {
                    @Override
                    public void onRetry(String method, int attempt, Throwable failure, Duration wait) {
                        told.add("third " + failure.getClass().getSimpleName());
                    }
                })
                .build();
        IOException hostile = new IOException() {
            private static final long serialVersionUID = 1L;

            @Override
            public String getMessage() {
                throw new UnsupportedOperationException("no message");
            }

            @Override
            public String toString() {
                throw new UnsupportedOperationException("no string");
            }
        };
        Scripted script = new Scripted().then(hostile, hostile, hostile);
        Object shop = wrap(observed, script.proxy(iface()));
        assertSame(hostile, assertThrows(IOException.class, () -> call(shop, "plainRetry")));
        assertEquals(3, script.calls.size());
        assertEquals(List.of("first", "second", "third ", "first", "second", "third "), told);
    }

    /** "Exceptions, all unchecked". */
    @Test
    void theRuntimesExceptionsAreUnchecked() {
        for (Class<?> type : List.of(CircuitOpenException.class, BulkheadFullException.class, AttemptTimeoutException.class,
                RateLimitedException.class)) {
            assertTrue(RuntimeException.class.isAssignableFrom(type), type.getName());
        }
    }
}
