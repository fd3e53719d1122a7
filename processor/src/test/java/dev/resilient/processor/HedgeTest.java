package dev.resilient.processor;

import static dev.resilient.processor.Scripted.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.internal.Recorder;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @Hedge} through generated wrappers, compiled under {@code -Xlint:all -Werror}: attempts
 * raced on the context's executor (synchronous) or without a thread (asynchronous), the delay a
 * timer of {@link ManualTime} that runs inside {@code advance()}.
 */
class HedgeTest {
    static final Compiled COMPILED = Compiled.strictly("test.Mirror",
            "package test;",
            "",
            "import dev.resilient.annotations.*;",
            "import java.io.IOException;",
            "import java.util.concurrent.CompletionStage;",
            "",
            "@Retryable(maxAttempts = 4, delay = \"0\")",
            "public interface Mirror {",
            "    @Hedge(delay = \"50ms\", maxAttempts = 3)",
            "    String fetch(String key) throws IOException;",
            "",
            "    @Hedge(delay = \"50ms\", maxAttempts = 3)",
            "    CompletionStage<String> fetchAsync(String key);",
            "",
            "    @Hedge(delay = \"1h\", maxAttempts = 3)",
            "    @RetryBudget(name = \"hedges\", ratio = 0, minPerSecond = 1, window = \"1s\")",
            "    String budgeted(String key) throws IOException;",
            "",
            "    @Hedge(delay = \"1h\", maxAttempts = 3)",
            "    @Breaker(failureThreshold = 1)",
            "    String guarded(String key) throws IOException;",
            "",
            "    String retried(String key) throws IOException;",
            "}");

    /** What the delegate does when called: returns a value or throws. */
    @FunctionalInterface
    interface Answer {
        Object answer() throws Throwable;
    }

    private final ManualTime time = new ManualTime();
    private final Recorder recorder = new Recorder();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final AtomicInteger executed = new AtomicInteger();
    private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stopThreads() {
        pool.shutdownNow();
    }

    private Object wrap(Map<String, String> overrides) throws Exception {
        ResilienceContext context = ResilienceContext.builder().time(time).listener(recorder).overrides(overrides)
                .executor(task -> {
                    executed.incrementAndGet();
                    pool.execute(task);
                })
                .build();
        Class<?> iface = COMPILED.load("test.Mirror");
        Object delegate = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (proxy, method, args) -> {
            calls.add(method.getName() + " " + args[0]);
            Answer answer = answers.poll();
            if (answer == null) {
                throw new AssertionError("unexpected call " + method.getName());
            }
            return answer.answer();
        });
        return COMPILED.load("test.ResilientMirror").getConstructor(iface, ResilienceContext.class).newInstance(delegate, context);
    }

    private void then(Answer... next) {
        answers.addAll(List.of(next));
    }

    private static Answer fails(Throwable failure) {
        return () -> {
            throw failure;
        };
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(10, TimeUnit.SECONDS), what);
    }

    /** Waits, up to 10 s, for {@code condition}, which another thread makes true. */
    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.onSpinWait();
        }
    }

    @Test
    void aSlowSynchronousAttemptIsHedgedAfterTheDelayOnTheExecutorAndTheLoserIsInterrupted() throws Exception {
        Object mirror = wrap(Map.of());
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch firstInterrupted = new CountDownLatch(1);
        then(() -> {
            firstRunning.countDown();
            try {
                new CountDownLatch(1).await(10, TimeUnit.SECONDS); // an answer that does not come
                return "too late";
            } catch (InterruptedException lost) {
                firstInterrupted.countDown();
                throw lost;
            }
        }, () -> "second");

        Future<Object> caller = pool.submit(() -> {
            try {
                return call(mirror, "fetch", "k");
            } catch (Throwable failure) {
                throw new AssertionError("the call failed", failure);
            }
        });
        await(firstRunning, "the first attempt runs");
        awaitTrue(() -> time.pendingTasks() == 1, "the hedge's delay is armed");
        time.advance(Duration.ofMillis(49));
        assertEquals(List.of("fetch k"), calls, "not hedged before the delay");
        time.advance(Duration.ofMillis(1)); // the timer runs here, on this thread, and starts the second attempt

        assertEquals("second", caller.get(10, TimeUnit.SECONDS));
        await(firstInterrupted, "the loser is interrupted");
        assertEquals(List.of("fetch k", "fetch k"), calls);
        assertEquals(2, executed.get(), "both attempts ran on the context's executor");
        assertEquals(List.of("hedge Mirror.fetch #2"), recorder.events("hedge"));
        awaitTrue(() -> time.pendingTasks() == 0, "the third attempt's delay is cancelled");
        assertEquals(List.of(), recorder.events("retry"), "the method's @Hedge replaces the interface's @Retryable");
    }

    @Test
    void aSlowAsynchronousAttemptIsHedgedAfterTheDelayAndTheLoserIsCancelled() throws Throwable {
        Object mirror = wrap(Map.of());
        CompletableFuture<String> first = new CompletableFuture<>();
        then(() -> first, () -> CompletableFuture.completedFuture("second"));

        CompletableFuture<?> answered = ((CompletionStage<?>) call(mirror, "fetchAsync", "k")).toCompletableFuture();
        assertFalse(answered.isDone());
        time.advance(Duration.ofMillis(50));

        assertEquals("second", answered.get(10, TimeUnit.SECONDS));
        assertTrue(first.isCancelled(), "the first attempt's stage is cancelled");
        assertEquals(0, executed.get(), "an asynchronous attempt takes no thread");
        assertEquals(List.of("hedge Mirror.fetchAsync #2"), recorder.events("hedge"));
        assertEquals(0, time.pendingTasks(), "the third attempt's delay is cancelled");
    }

    @Test
    void aFailureStartsTheNextAttemptAtOnceAndWhenAllFailTheCallerGetsTheLast() throws Throwable {
        Object mirror = wrap(Map.of());
        IOException last = new IOException("third");
        then(fails(new IOException("first")), fails(new IOException("second")), fails(last));
        assertSame(last, assertThrows(IOException.class, () -> call(mirror, "fetch", "k")));
        assertEquals(3, calls.size());
        assertEquals(Duration.ZERO, time.elapsed(), "no attempt waited for the delay");
        assertEquals(List.of("hedge Mirror.fetch #2", "hedge Mirror.fetch #3"), recorder.events("hedge"));

        IOException lastAsync = new IOException("third");
        then(() -> CompletableFuture.failedFuture(new IOException("first")), () -> CompletableFuture.failedFuture(new IOException("second")),
                () -> CompletableFuture.failedFuture(lastAsync));
        CompletableFuture<?> failed = ((CompletionStage<?>) call(mirror, "fetchAsync", "k")).toCompletableFuture();
        assertSame(lastAsync, failed.handle((value, failure) -> failure).get(10, TimeUnit.SECONDS));
    }

    @Test
    void hedgedAttemptsAfterTheFirstDrawOnTheMethodsRetryBudget() throws Throwable {
        Object mirror = wrap(Map.of());
        IOException second = new IOException("second");
        then(fails(new IOException("first")), fails(second));
        assertSame(second, assertThrows(IOException.class, () -> call(mirror, "budgeted", "k")));
        assertEquals(2, calls.size(), "1/s over 1s allows one hedged attempt");
        assertEquals(List.of("budget exhausted Mirror.budgeted hedges"), recorder.events("budget"));
    }

    @Test
    void anOpenBreakerStartsNoFurtherAttempt() throws Throwable {
        Object mirror = wrap(Map.of());
        IOException failure = new IOException("down");
        then(fails(failure));
        assertThrows(CircuitOpenException.class, () -> call(mirror, "guarded", "k"), "the second attempt would find it open");
        assertEquals(1, calls.size());
        assertEquals(List.of(), recorder.events("hedge"), "so it is not started, nor announced, nor any after it");
    }

    @Test
    void aBreakerThatRejectsAHedgedAttemptAfterAFailureGivesThatFailureAsItsCause() throws Throwable {
        Object mirror = wrap(Map.of());
        IOException failure = new IOException("down");
        then(fails(failure));
        CircuitOpenException rejected = assertThrows(CircuitOpenException.class, () -> call(mirror, "guarded", "k"));
        assertSame(failure, rejected.getCause(), "as a retry's rejection has the last failure as its cause (CONTRACT, @Breaker)");
    }

    @Test
    void theInterfacesRetryStillAppliesToTheMethodsWithoutAHedge() throws Throwable {
        Object mirror = wrap(Map.of());
        then(fails(new IOException("first")), () -> "second");
        assertEquals("second", call(mirror, "retried", "k"));
        assertEquals(List.of("retry Mirror.retried #1 IOException in 0ms"), recorder.events("retry"));
        assertEquals(0, executed.get(), "a retry runs on the caller's thread");
    }

    @Test
    void overridesChangeAHedgeByMethodWithTheSameRules() throws Throwable {
        Object mirror = wrap(Map.of("resilient.hedge.Mirror.fetch.maxAttempts", "2"));
        IOException second = new IOException("second");
        then(fails(new IOException("first")), fails(second));
        assertSame(second, assertThrows(IOException.class, () -> call(mirror, "fetch", "k")));
        assertEquals(2, calls.size());

        Compiled.assertConstructionFails(() -> wrap(Map.of("resilient.hedge.Mirror.fetchAsync.maxAttempts", "1")),
                "[HedgeMaxAttempts] maxAttempts must be at least 2, was 1");
    }

    @Test
    void overrideKeysListEachHedgedMethodAndTheJavadocStatesTheHedge() throws Throwable {
        List<String> keys = COMPILED.overrideKeys("test.ResilientMirror");
        assertEquals(List.of("resilient.hedge.Mirror.fetch.delay", "resilient.hedge.Mirror.fetch.maxAttempts",
                "resilient.hedge.Mirror.fetchAsync.delay", "resilient.hedge.Mirror.fetchAsync.maxAttempts",
                "resilient.hedge.Mirror.budgeted.delay", "resilient.hedge.Mirror.budgeted.maxAttempts",
                "resilient.hedge.Mirror.guarded.delay", "resilient.hedge.Mirror.guarded.maxAttempts"),
                keys.stream().filter(key -> key.startsWith("resilient.hedge.")).toList());
        assertEquals(List.of("resilient.retry.Mirror.retried."), keys.stream().filter(key -> key.startsWith("resilient.retry."))
                .map(key -> key.substring(0, key.lastIndexOf('.') + 1)).distinct().toList(), "hedged methods have no retry");
        assertTrue(keys.contains("resilient.budget.hedges.ratio"), "a hedged method's budget is used, so it is overridable");

        String source = COMPILED.source("test.ResilientMirror");
        String prose = source.replaceAll("\\n\\s*\\*", " ").replaceAll("\\s+", " "); // the Javadoc's lines joined
        assertTrue(prose.contains("hedge: 3 attempts in all, the next after 50ms without an answer or at once after a failure"
                + " (under failover, on the next delegate), the first value winning, each attempt running on the context's"
                + " executor. At most 3 delegate calls per call (under failover, 3 to each delegate)"), source);
        assertEquals(3, prose.split("running on the context's executor", -1).length - 1,
                "said of the three synchronous hedged methods, not of the asynchronous one, which takes no thread");
        assertTrue(prose.contains("drawing on retry budget <code>\"hedges\"</code>"), source);
        assertTrue(source.contains(".hedge()"), source);
        assertTrue(source.contains(".hedgeDelay(Duration.ofMillis(50))"), source);
        assertTrue(source.contains(".hedgeMaxAttempts(3)"), source);
    }
}
