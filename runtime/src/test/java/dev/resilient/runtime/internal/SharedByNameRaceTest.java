package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.RateLimitedException;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Breakers, rate limits and retry budgets are shared by name in one context, also when 8 threads
 * declare one name at once: each gets the one object, or, declaring it with other settings than
 * the first, fails with the contract's message; wrappers built at once share their state.
 */
class SharedByNameRaceTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 300;
    private static final String TWICE = "is declared twice in one context with different settings";

    private final Race race = new Race(THREADS);

    @AfterEach
    void stop() throws InterruptedException {
        race.close();
    }

    @Test
    void oneNameDeclaredFromEightThreadsAtOnceIsOneObjectOrFailsNamingBothSettings() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            ResilienceContext context = ResilienceContext.builder().time(new ManualTime()).build();
            ContextCore core = ContextCore.of(context);
            int odd = round % 2 == 0 ? -1 : round % THREADS; // the thread declaring other settings, if any
            AtomicReferenceArray<Object> declared = new AtomicReferenceArray<>(3 * THREADS);
            ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
            race.run(thread -> {
                int differs = thread == odd ? 1 : 0;
                declare(declared, 3 * thread, refused, () -> Breaker.declare(context, "shared",
                        BreakerSpec.builder().failureThreshold(5 + differs).build()));
                declare(declared, 3 * thread + 1, refused, () -> core.limiter("shared",
                        Settings.of("RateLimit").put(Attribute.PERMITS, 10 + differs)));
                declare(declared, 3 * thread + 2, refused, () -> core.budget("shared",
                        Settings.of("RetryBudget").put(Attribute.MIN_PER_SECOND, 10 + differs)));
            });
            String where = "round " + round + ", thread " + odd + " declaring other settings";
            for (int kind = 0; kind < 3; kind++) {
                Set<Object> objects = ConcurrentHashMap.newKeySet();
                int failed = 0;
                for (int thread = 0; thread < THREADS; thread++) {
                    Object got = declared.get(3 * thread + kind);
                    if (got == null) {
                        failed++;
                    } else {
                        objects.add(got);
                    }
                }
                assertEquals(1, objects.size(), where + ": one shared object of kind " + kind);
                assertTrue(failed == (odd < 0 ? 0 : 1) || failed == THREADS - 1,
                        where + ": " + failed + " of kind " + kind + " refused, not the odd one or all others");
            }
            assertTrue(refused.stream().allMatch(message -> message.contains(TWICE)), where + ": " + refused);
            assertEquals(List.of("shared"), context.breakers().stream().map(CircuitBreaker::name).toList(), where);
        }
    }

    /** What one thread's declaration gave, or {@code null} in {@code declared} and its message in {@code refused}. */
    private static void declare(AtomicReferenceArray<Object> declared, int slot, ConcurrentLinkedQueue<String> refused,
            java.util.function.Supplier<Object> declaration) {
        try {
            declared.set(slot, declaration.get());
        } catch (IllegalArgumentException twice) {
            refused.add(twice.getMessage());
        }
    }

    interface Service {
        String call() throws IOException;
    }

    /**
     * Eight wrappers built at once and called at once, each call failing: they share one breaker
     * (opened by exactly the failures of its threshold), one rate limit (whose tokens are exactly the
     * attempts) and one retry budget (whose reserve is one retry among all of them), whatever the
     * interleaving.
     */
    @Test
    void wrappersBuiltAndCalledAtOnceShareTheirBreakerRateLimitAndBudget() throws Exception {
        int attempts = THREADS + 1; // a call each, and the one retry of the budget's reserve
        for (int round = 0; round < ROUNDS; round++) {
            ResilienceContext context = ResilienceContext.builder().time(new ManualTime()).build();
            AtomicInteger reached = new AtomicInteger();
            Service failing = () -> {
                reached.incrementAndGet();
                throw new IOException("down");
            };
            MethodPlan plan = MethodPlan.builder("S.call")
                    .retry(RetrySpec.builder().maxAttempts(3).delay(Duration.ZERO).build())
                    .retryBudget("budget").ratio(0).minPerSecond(1).budgetWindow(Duration.ofSeconds(1))
                    .breaker("shared", BreakerSpec.builder().failureThreshold(attempts).build())
                    .rateLimit("limit").permits(attempts).per(Duration.ofHours(1))
                    .build();
            List<MethodPolicies<Service>> wrappers = new java.util.concurrent.CopyOnWriteArrayList<>();
            race.run(thread -> {
                MethodPolicies<Service> wrapper = plan.over(context, failing);
                wrappers.add(wrapper);
                Throwable failure = assertThrows(Exception.class, () -> wrapper.call(Service::call, null));
                // the call whose failure opened the breaker ends with the open circuit, caused by that failure
                assertInstanceOf(IOException.class, failure instanceof CircuitOpenException open ? open.getCause() : failure);
            });
            String where = "round " + round;
            assertEquals(attempts, reached.get(), where + ": a call each and one retry reach the delegate");
            CircuitBreaker breaker = context.breaker("shared");
            assertEquals(CircuitBreaker.State.OPEN, breaker.state(), where);
            for (MethodPolicies<Service> wrapper : wrappers) {
                assertInstanceOf(CircuitOpenException.class, assertThrows(RuntimeException.class, () -> wrapper.call(Service::call, null)), where);
            }
            breaker.reset();
            assertThrows(RateLimitedException.class, () -> wrappers.get(0).call(Service::call, null), where + ": every token taken");
            assertEquals(attempts, reached.get(), where);
        }
    }
}
