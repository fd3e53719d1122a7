package dev.resilient.processor;

import static dev.resilient.processor.Scripted.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.AttemptTimeoutException;
import dev.resilient.runtime.BulkheadFullException;
import dev.resilient.runtime.CircuitBreaker.State;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.ResilienceListener;
import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Fallback, Timeout, Bulkhead and failover on synchronous methods, through generated wrappers. */
class PoliciesTest {
    static final Compiled COMPILED = Compiled.strictly("test.Quotes",
            "package test;",
            "",
            "import dev.resilient.annotations.*;",
            "import java.io.IOException;",
            "",
            "public interface Quotes {",
            "    @Fallback(value = \"cached\", skipOn = IllegalArgumentException.class)",
            "    @Retryable(maxAttempts = 2, delay = \"10ms\")",
            "    @Breaker(name = \"quotes\", failureThreshold = 3, openFor = \"1m\")",
            "    String quote(String symbol) throws IOException;",
            "",
            "    @Retryable(maxAttempts = 2, delay = \"5ms\")",
            "    String cached(String symbol, Exception failure);",
            "",
            "    @Timeout(\"200ms\")",
            "    @Retryable(maxAttempts = 2, delay = \"0\")",
            "    String slow(String symbol) throws IOException;",
            "",
            "    @Bulkhead(maxConcurrent = 1)",
            "    @Breaker(name = \"limited\", failureThreshold = 1)",
            "    String limited(String symbol);",
            "",
            "    @Retryable(maxAttempts = 2, delay = \"10ms\", abortOn = IllegalStateException.class)",
            "    @Breaker(failureThreshold = 2, openFor = \"1m\")",
            "    String replicated(String symbol) throws IOException;",
            "}");

    private final ManualTime time = new ManualTime();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ResilienceContext context = ResilienceContext.builder().time(time).listener(new ResilienceListener() {
        @Override
        public void onFallback(String method, Throwable failure) {
            events.add("fallback " + method + " after " + failure.getMessage());
        }

        @Override
        public void onFailoverAttempt(String method, int attempt, int delegate) {
            events.add("attempt " + attempt + " to delegate " + delegate);
        }

        @Override
        public void onBulkheadFull(String method) {
            events.add("bulkhead full " + method);
        }
    }).build();

    private Object wrap(Object delegate) throws Exception {
        Class<?> iface = COMPILED.load("test.Quotes");
        return COMPILED.load("test.ResilientQuotes").getConstructor(iface, ResilienceContext.class).newInstance(delegate, context);
    }

    private Object failover(Object... delegates) throws Exception {
        Class<?> iface = COMPILED.load("test.Quotes");
        Method factory = COMPILED.load("test.ResilientQuotes").getMethod("failover", ResilienceContext.class, iface,
                iface.arrayType());
        Object backups = java.lang.reflect.Array.newInstance(iface, delegates.length - 1);
        for (int i = 1; i < delegates.length; i++) {
            java.lang.reflect.Array.set(backups, i - 1, delegates[i]);
        }
        return factory.invoke(null, context, delegates[0], backups);
    }

    private Object proxy(Scripted script) {
        return script.proxy(COMPILED.load("test.Quotes"));
    }

    @Test
    void fallbackRunsOnTheWrapperOnceRetriesAreUsedUpAndGetsTheFailureItself() throws Throwable {
        IOException last = new IOException("down again");
        Scripted delegate = new Scripted().then(new IOException("down"), last, new IllegalStateException("cache cold"), "cached 42");
        Object quotes = wrap(proxy(delegate));

        assertEquals("cached 42", call(quotes, "quote", "ACME"));

        assertEquals(List.of("quote[ACME]", "quote[ACME]", "cached[ACME, java.io.IOException: down again]",
                "cached[ACME, java.io.IOException: down again]"), delegate.calls, "the fallback's own retry applies");
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(5)), time.sleeps());
        assertEquals(List.of("fallback Quotes.quote after down again"), events);
    }

    @Test
    void skipOnFailuresReachTheCallerUnchanged() throws Throwable {
        IllegalArgumentException wrongSymbol = new IllegalArgumentException("no such symbol");
        Scripted delegate = new Scripted().then(wrongSymbol, wrongSymbol);
        Object quotes = wrap(proxy(delegate));

        assertSame(wrongSymbol, assertThrows(IllegalArgumentException.class, () -> call(quotes, "quote", "???")));
        assertEquals(List.of(), events);
    }

    @Test
    void anOpenCircuitFallsBackToo() throws Throwable {
        Scripted delegate = new Scripted().then("cached 1");
        Object quotes = wrap(proxy(delegate));
        context.breaker("quotes").forceOpen();

        assertEquals("cached 1", call(quotes, "quote", "ACME"));
        assertTrue(delegate.calls.get(0).startsWith("cached[ACME, dev.resilient.runtime.CircuitOpenException"), delegate.calls.toString());
    }

    @Test
    void aTimedOutAttemptIsInterruptedFailsByTheDeadlineAndIsRetried() throws Throwable {
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Object stubborn = java.lang.reflect.Proxy.newProxyInstance(COMPILED.load("test.Quotes").getClassLoader(),
                new Class<?>[] {COMPILED.load("test.Quotes")}, (proxy, method, args) -> {
                    if (calls.getAndIncrement() > 0) {
                        return "second attempt in time";
                    }
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        interrupted.countDown(); // noted, and ignored, as badly behaved clients do
                        release.await(10, TimeUnit.SECONDS);
                    }
                    return "too late";
                });
        Object quotes = wrap(stubborn);
        try {
            assertEquals("second attempt in time", call(quotes, "slow", "ACME"));
            assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the timed-out attempt's thread was interrupted");
            assertFalse(Thread.currentThread().isInterrupted(), "the caller's flag is as it was");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aTimeoutReachesTheCallerWhenAttemptsRunOut() throws Throwable {
        CountDownLatch release = new CountDownLatch(1);
        Scripted never = new Scripted();
        Object hanging = java.lang.reflect.Proxy.newProxyInstance(COMPILED.load("test.Quotes").getClassLoader(),
                new Class<?>[] {COMPILED.load("test.Quotes")}, (proxy, method, args) -> {
                    never.calls.add(method.getName());
                    release.await(10, TimeUnit.SECONDS);
                    return "never";
                });
        Object quotes = wrap(hanging);
        try {
            long started = System.nanoTime();
            AttemptTimeoutException timeout = assertThrows(AttemptTimeoutException.class, () -> call(quotes, "slow", "ACME"));
            assertTrue(timeout.getMessage().contains("Quotes.slow took longer than its timeout of PT0.2S"), timeout.getMessage());
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "by the deadline, with room for a loaded machine");
            assertEquals(List.of("slow", "slow"), never.calls);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aFullBulkheadRejectsAtOnceAndTheBreakerCountsItAsNeither() throws Throwable {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Object blocking = java.lang.reflect.Proxy.newProxyInstance(COMPILED.load("test.Quotes").getClassLoader(),
                new Class<?>[] {COMPILED.load("test.Quotes")}, (proxy, method, args) -> {
                    if (args[0].equals("hold")) {
                        inside.countDown();
                        release.await(10, TimeUnit.SECONDS);
                    }
                    return "ok " + args[0];
                });
        Object quotes = wrap(blocking);
        CompletableFuture<Object> holder = CompletableFuture.supplyAsync(() -> {
            try {
                return call(quotes, "limited", "hold");
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(inside.await(10, TimeUnit.SECONDS));

        assertThrows(BulkheadFullException.class, () -> call(quotes, "limited", "second"));
        assertEquals(State.CLOSED, context.breaker("limited").state(), "failureThreshold = 1, yet not opened");
        assertEquals(List.of("bulkhead full Quotes.limited"), events);

        release.countDown();
        assertEquals("ok hold", holder.get(10, TimeUnit.SECONDS));
        assertEquals("ok third", call(quotes, "limited", "third"));
    }

    @Test
    void failoverMovesOnAtOncePerPassAndRetriesWholePasses() throws Throwable {
        Scripted primary = new Scripted().then(new IOException("primary down"), new IOException("primary down"));
        Scripted backup = new Scripted().then(new IOException("backup busy"), "from backup");
        Object quotes = failover(proxy(primary), proxy(backup));

        assertEquals("from backup", call(quotes, "replicated", "ACME"));

        assertEquals(2, primary.calls.size());
        assertEquals(2, backup.calls.size());
        assertEquals(List.of(Duration.ofMillis(10)), time.sleeps(), "the wait comes between passes only");
        assertEquals(List.of("attempt 1 to delegate 0", "attempt 1 to delegate 1", "attempt 2 to delegate 0",
                "attempt 2 to delegate 1"), events);
        assertEquals(State.OPEN, context.breaker("Quotes.replicated").state(), "each delegate has its own breaker");
        assertEquals(State.CLOSED, context.breaker("Quotes.replicated#1").state());
    }

    @Test
    void failoverSkipsOpenBreakersAndANonRetriedFailureEndsTheCall() throws Throwable {
        Scripted primary = new Scripted();
        IllegalStateException fatal = new IllegalStateException("bad request");
        Scripted backup = new Scripted().then("from backup", fatal);
        Object quotes = failover(proxy(primary), proxy(backup));
        context.breaker("Quotes.replicated").forceOpen();

        assertEquals("from backup", call(quotes, "replicated", "ACME"));
        assertSame(fatal, assertThrows(IllegalStateException.class, () -> call(quotes, "replicated", "ACME")));
        assertEquals(List.of(), primary.calls);

        context.breaker("Quotes.replicated#1").forceOpen();
        CircuitOpenException allOpen = assertThrows(CircuitOpenException.class, () -> call(quotes, "replicated", "ACME"));
        assertEquals("Quotes.replicated#1", allOpen.breakerName());
    }

    @Test
    void failoverArgumentsAreChecked() {
        var missing = assertThrows(java.lang.reflect.InvocationTargetException.class, () -> failover(proxy(new Scripted()), null));
        assertEquals("backups must not contain null", missing.getCause().getMessage());
    }

    @Test
    void aFailureThroughTheTimeoutThreadReachesTheCallerUnchanged() throws Throwable {
        IOException failure = new IOException("slow and broken");
        Scripted delegate = new Scripted().then(failure, failure);
        Object quotes = wrap(proxy(delegate));
        assertSame(failure, assertThrows(IOException.class, () -> call(quotes, "slow", "ACME")));
    }
}
