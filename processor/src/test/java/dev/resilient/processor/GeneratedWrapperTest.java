package dev.resilient.processor;

import static dev.resilient.processor.Scripted.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.CircuitBreaker.State;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Compiles an annotated interface, then runs the generated wrapper against a scripted delegate. */
class GeneratedWrapperTest {
    private static final Compiled COMPILED = Compiled.strictly("test.Inventory",
            "package test;",
            "",
            "import dev.resilient.annotations.Breaker;",
            "import dev.resilient.annotations.Retryable;",
            "import java.io.FileNotFoundException;",
            "import java.io.IOException;",
            "",
            "@Breaker(failureThreshold = 3, openFor = \"10s\")",
            "public interface Inventory {",
            "    @Retryable(maxAttempts = 3, delay = \"100ms\", multiplier = 2.0, abortOn = FileNotFoundException.class)",
            "    int stock(String sku) throws IOException;",
            "",
            "    @Retryable(maxAttempts = 3, delay = \"100ms\")",
            "    @Breaker(name = \"reservations\", failureThreshold = 2, openFor = \"5s\")",
            "    void reserve(String sku, int count) throws IOException;",
            "",
            "    String[] skus();",
            "",
            "    @Retryable(maxAttempts = 2, delay = \"0\")",
            "    default long total() throws IOException { return stock(\"all\"); }",
            "}");

    private final ManualTime time = new ManualTime();
    private final ResilienceContext context = ResilienceContext.builder().time(time).build();
    private final Scripted delegate = new Scripted();
    private Object inventory;

    @BeforeEach
    void wrap() throws Exception {
        Class<?> iface = COMPILED.load("test.Inventory");
        inventory = COMPILED.load("test.ResilientInventory")
                .getConstructor(iface, ResilienceContext.class)
                .newInstance(delegate.proxy(iface), context);
    }

    @Test
    void retriesUntilTheDelegateAnswers() throws Throwable {
        delegate.then(new IOException("one"), new IOException("two"), 7);

        assertEquals(7, call(inventory, "stock", "apple"));

        assertEquals(List.of("stock[apple]", "stock[apple]", "stock[apple]"), delegate.calls);
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), time.sleeps());
        assertEquals(State.CLOSED, context.breaker("Inventory.stock").state());
    }

    @Test
    void throwsTheLastFailureItselfWhenAttemptsRunOut() throws Throwable {
        IOException last = new IOException("three");
        delegate.then(new IOException("one"), new IOException("two"), last);

        IOException thrown = assertThrows(IOException.class, () -> call(inventory, "stock", "apple"));

        assertSame(last, thrown);
        assertEquals(0, thrown.getSuppressed().length);
        assertNull(thrown.getCause());
        assertEquals(3, delegate.calls.size());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), time.sleeps());
    }

    @Test
    void abortOnEndsTheCallAtOnce() {
        FileNotFoundException missing = new FileNotFoundException("no such sku");
        delegate.then(missing);

        assertSame(missing, assertThrows(FileNotFoundException.class, () -> call(inventory, "stock", "pear")));

        assertEquals(1, delegate.calls.size());
        assertEquals(List.of(), time.sleeps());
    }

    @Test
    void interfaceLevelBreakerOpensRejectsAndClosesAgain() throws Throwable {
        IllegalStateException failure = new IllegalStateException("down");
        delegate.then(failure, failure, failure);
        for (int i = 0; i < 3; i++) {
            assertSame(failure, assertThrows(IllegalStateException.class, () -> call(inventory, "skus")));
        }
        assertEquals(State.OPEN, context.breaker("Inventory.skus").state());

        CircuitOpenException rejected = assertThrows(CircuitOpenException.class, () -> call(inventory, "skus"));
        assertEquals("Inventory.skus", rejected.breakerName());
        assertEquals(Duration.ofSeconds(10), rejected.remaining());
        assertEquals(3, delegate.calls.size(), "an open breaker does not call the delegate");

        time.advance(Duration.ofSeconds(10));
        assertEquals(State.HALF_OPEN, context.breaker("Inventory.skus").state());
        delegate.then((Object) new String[] {"apple"});
        assertEquals(List.of("apple"), List.of((String[]) call(inventory, "skus")));
        assertEquals(State.CLOSED, context.breaker("Inventory.skus").state());
    }

    @Test
    void everyAttemptPassesTheBreakerAndARejectionCarriesTheLastFailure() throws Throwable {
        IOException first = new IOException("first");
        IOException second = new IOException("second");
        delegate.then(first, second);

        CircuitOpenException rejected = assertThrows(CircuitOpenException.class, () -> call(inventory, "reserve", "fig", 2));

        assertSame(second, rejected.getCause());
        assertEquals(List.of("reserve[fig, 2]", "reserve[fig, 2]"), delegate.calls);
        assertEquals(State.OPEN, context.breaker("reservations").state());
        assertEquals(List.of(Duration.ofMillis(100)), time.sleeps(),
                "no hopeless wait: the second attempt opened the breaker for longer than the next wait, so the call ended at once");
    }

    @Test
    void defaultMethodWithAPolicyWrapsTheDelegatesDefault() throws Throwable {
        // The delegate is a proxy, so its "default" total() is scripted like any other method.
        IOException failure = new IOException("busy");
        delegate.then(failure, 40L);

        assertEquals(40L, call(inventory, "total"));

        assertEquals(List.of("total[]", "total[]"), delegate.calls);
        assertEquals(List.of(Duration.ZERO), time.sleeps(), "a zero wait still goes through the context's time");
    }

    @Test
    void interruptedWhileWaitingStopsRetryingAndKeepsTheFlag() {
        IOException failure = new IOException("slow");
        delegate.then(failure);
        Thread.currentThread().interrupt();
        try {
            assertSame(failure, assertThrows(IOException.class, () -> call(inventory, "stock", "kiwi")));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals(1, delegate.calls.size());
    }

    @Test
    void constructorsNameTheirNullArguments() throws Exception {
        Class<?> iface = COMPILED.load("test.Inventory");
        Class<?> wrapper = COMPILED.load("test.ResilientInventory");
        Object proxy = delegate.proxy(iface);

        var delegateMissing = assertThrows(java.lang.reflect.InvocationTargetException.class,
                () -> wrapper.getConstructor(iface).newInstance((Object) null));
        assertEquals("delegate", delegateMissing.getCause().getMessage());
        var contextMissing = assertThrows(java.lang.reflect.InvocationTargetException.class,
                () -> wrapper.getConstructor(iface, ResilienceContext.class).newInstance(proxy, null));
        assertEquals("context", contextMissing.getCause().getMessage());
    }

    @Test
    void overrideKeysListWhatTheWrapperReadsAndOverridesApplyAtConstruction() throws Throwable {
        Class<?> wrapper = COMPILED.load("test.ResilientInventory");
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) wrapper.getMethod("overrideKeys").invoke(null);
        assertTrue(keys.contains("resilient.breaker.reservations.openFor"), keys.toString());
        assertTrue(keys.contains("resilient.retry.Inventory.stock.maxAttempts"), keys.toString());
        assertTrue(keys.contains("resilient.breaker.Inventory.skus.failureThreshold"), keys.toString());

        ResilienceContext configured = ResilienceContext.builder().time(time)
                .overrides(java.util.Map.of("resilient.retry.Inventory.stock.maxAttempts", "1")).build();
        Class<?> iface = COMPILED.load("test.Inventory");
        Object overridden = wrapper.getConstructor(iface, ResilienceContext.class).newInstance(delegate.proxy(iface), configured);
        IOException failure = new IOException("once is enough");
        delegate.then(failure);
        assertSame(failure, assertThrows(IOException.class, () -> call(overridden, "stock", "apple")));
        assertEquals(1, delegate.calls.size(), "maxAttempts = 1 from configuration");
        assertEquals(java.util.Set.of(), configured.unclaimedOverrides());
    }

    @Test
    void everyAttemptIsReportedToTheListener() throws Throwable {
        List<String> attempts = new java.util.ArrayList<>();
        ResilienceContext observed = ResilienceContext.builder().time(time).listener(new dev.resilient.runtime.ResilienceListener() {
            @Override
            public void onAttempt(String method, int attempt, Throwable failure) {
                attempts.add(method + " #" + attempt + (failure == null ? " ok" : " " + failure.getMessage()));
            }
        }).build();
        Class<?> iface = COMPILED.load("test.Inventory");
        Object wrapped = COMPILED.load("test.ResilientInventory").getConstructor(iface, ResilienceContext.class)
                .newInstance(delegate.proxy(iface), observed);
        delegate.then(new IOException("busy"), 3, new String[0]);

        call(wrapped, "stock", "fig");
        call(wrapped, "skus");

        assertEquals(List.of("Inventory.stock #1 busy", "Inventory.stock #2 ok", "Inventory.skus #1 ok"), attempts);
    }

    @Test
    void wrapperIsFinalPublicAndGenerated() {
        Class<?> wrapper = COMPILED.load("test.ResilientInventory");
        assertTrue(java.lang.reflect.Modifier.isFinal(wrapper.getModifiers()));
        assertTrue(java.lang.reflect.Modifier.isPublic(wrapper.getModifiers()));
        assertTrue(COMPILED.source("test.ResilientInventory")
                .contains("@Generated(\"dev.resilient.processor.ResilientProcessor\")"));
    }
}
