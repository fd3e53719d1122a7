package dev.resilient.processor;

import static dev.resilient.processor.Scripted.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.BulkheadFullException;
import dev.resilient.runtime.CircuitBreaker.State;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT.md's promises about racing callers, through a generated wrapper on real threads:
 * "In HALF_OPEN, exactly halfOpenCalls calls reach the delegate however many threads race for
 * them", and "At most maxConcurrent calls of that method are inside the delegate at once".
 * Latches and a barrier order the threads; the bounds are generous for a loaded machine.
 */
class ContractConcurrencyAuditTest {
    private static final int THREADS = 8;

    static final Compiled COMPILED = Compiled.strictly("audit.Busy",
            "package audit;",
            "",
            "import dev.resilient.annotations.*;",
            "",
            "public interface Busy {",
            "    @Breaker(failureThreshold = 1, openFor = \"10s\", halfOpenCalls = 2) String trial() throws java.io.IOException;",
            "    @Bulkhead(maxConcurrent = 2) String limited();",
            "}");

    private final ManualTime time = new ManualTime();
    private final ResilienceContext context = ResilienceContext.builder().time(time).build();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch twoInside = new CountDownLatch(2);
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean failNext = true;

    private Object wrap() throws Exception {
        Class<?> iface = COMPILED.load("audit.Busy");
        Object delegate = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (proxy, method, args) -> {
            calls.incrementAndGet();
            if (failNext) {
                failNext = false;
                throw new IOException("down");
            }
            int now = inside.incrementAndGet();
            mostInside.accumulateAndGet(now, Math::max);
            twoInside.countDown();
            try {
                assertTrue(release.await(30, TimeUnit.SECONDS), "released");
                return "ok";
            } finally {
                inside.decrementAndGet();
            }
        });
        return COMPILED.load("audit.ResilientBusy").getConstructor(iface, ResilienceContext.class).newInstance(delegate, context);
    }

    /** Runs {@code method} on {@link #THREADS} threads at once; returns each outcome's class name or value. */
    private List<String> race(Object busy, String method) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            CountDownLatch rejected = new CountDownLatch(THREADS - 2);
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    try {
                        return String.valueOf(call(busy, method));
                    } catch (Throwable failure) {
                        rejected.countDown();
                        return failure.getClass().getSimpleName();
                    }
                }));
            }
            assertTrue(twoInside.await(30, TimeUnit.SECONDS), "two calls reached the delegate");
            // the others are rejected without waiting for the two inside, which are held until then
            assertTrue(rejected.await(30, TimeUnit.SECONDS), "the other calls were rejected while two were inside");
            List<String> results = new ArrayList<>();
            release.countDown();
            for (Future<String> outcome : outcomes) {
                results.add(outcome.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void exactlyHalfOpenCallsReachTheDelegateHoweverManyThreadsRace() throws Exception {
        Object busy = wrap();
        try {
            call(busy, "trial");
        } catch (Throwable expected) {
            assertEquals(IOException.class, expected.getClass());
        }
        time.advance(Duration.ofSeconds(10));
        calls.set(0);

        List<String> outcomes = race(busy, "trial");

        assertEquals(2, calls.get(), "trial calls that reached the delegate");
        assertEquals(2, outcomes.stream().filter("ok"::equals).count(), outcomes.toString());
        assertEquals(THREADS - 2, outcomes.stream().filter(CircuitOpenException.class.getSimpleName()::equals).count(),
                outcomes.toString());
        assertEquals(State.CLOSED, context.breaker("Busy.trial").state(), "both trials succeeded");
    }

    @Test
    void atMostMaxConcurrentCallsAreInsideTheDelegateAtOnce() throws Exception {
        failNext = false;
        Object busy = wrap();

        List<String> outcomes = race(busy, "limited");

        assertEquals(2, mostInside.get());
        assertEquals(2, outcomes.stream().filter("ok"::equals).count(), outcomes.toString());
        assertEquals(THREADS - 2, outcomes.stream().filter(BulkheadFullException.class.getSimpleName()::equals).count(),
                outcomes.toString());
    }
}
