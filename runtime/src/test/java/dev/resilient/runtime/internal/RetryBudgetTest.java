package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private final ManualTime time = new ManualTime();
    private final Recorder recorder = new Recorder();
    private final ResilienceContext context = ResilienceContext.builder().time(time).listener(recorder).build();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicBoolean failing = new AtomicBoolean(true);
    private final List<IOException> thrown = new ArrayList<>();

    interface Service {
        String call() throws IOException;
    }

    /** The remote: counts every request it sees, and fails each while {@link #failing}. */
    private final Service remote = () -> {
        int request = requests.incrementAndGet();
        if (failing.get()) {
            IOException failure = new IOException("failure " + request);
            synchronized (thrown) {
                thrown.add(failure);
            }
            throw failure;
        }
        return "ok " + request;
    };

    private static RetrySpec retry(int maxAttempts, Duration delay) {
        return RetrySpec.builder().maxAttempts(maxAttempts).delay(delay).build();
    }

    private MethodPolicies<Service> policies(String method, RetrySpec retry, double ratio, int minPerSecond, Duration window) {
        return MethodPlan.builder(method).retry(retry).retryBudget("Service")
                .ratio(ratio).minPerSecond(minPerSecond).budgetWindow(window).build().over(context, remote);
    }

    private static void call(MethodPolicies<Service> policies) {
        try {
            policies.<String>call(Service::call, null);
        } catch (Exception expected) {
            assertInstanceOf(IOException.class, expected, "the remote's failure");
        }
    }

    /** The loop the processor writes out inline for a method with only a retry. */
    private String inline(Retry retry) throws IOException {
        long start = retry.start();
        for (int attempt = 1; ; attempt++) {
            String result;
            try {
                result = remote.call();
            } catch (IOException failure) {
                if (!retry.retry(failure, attempt, start)) {
                    throw failure;
                }
                continue;
            }
            retry.succeeded(attempt);
            return result;
        }
    }

    private RetryBudget budget(double ratio, int minPerSecond, Duration window) {
        Settings settings = Settings.of("RetryBudget").put(Attribute.RATIO, ratio).put(Attribute.MIN_PER_SECOND, minPerSecond)
                .put(Attribute.BUDGET_WINDOW, window);
        return ContextCore.of(context).budget("Budget", settings);
    }

    @Test
    void theReserveAloneAllowsMinPerSecondTimesTheWindowsSecondsOfRetriesPerWindow() throws Exception {
        Retry retry = MethodPlan.builder("Service.call").retry(retry(1000, Duration.ZERO))
                .retryBudget("Service").ratio(0).minPerSecond(1).budgetWindow(Duration.ofSeconds(10)).build().retry(context);
        IOException last = assertThrows(IOException.class, () -> inline(retry));
        assertEquals(11, requests.get(), "the first attempt and exactly 10 retries");
        assertSame(thrown.get(thrown.size() - 1), last, "the caller gets the last failure itself");
        assertEquals(List.of("budget exhausted Service.call Service"), recorder.events("budget"));

        assertThrows(IOException.class, () -> inline(retry));
        assertEquals(12, requests.get(), "no retry is left in this window");

        time.advance(Duration.ofSeconds(10));
        assertThrows(IOException.class, () -> inline(retry));
        assertEquals(23, requests.get(), "the next window has its 10 again");
    }

    @Test
    void theRatioAllowsItsShareOfTheCallsStartedInTheWindowAboveTheReserve() {
        MethodPolicies<Service> policies = policies("Service.call", retry(1000, Duration.ZERO), 0.2, 1, Duration.ofSeconds(10));
        failing.set(false);
        for (int i = 0; i < 99; i++) {
            call(policies);
        }
        failing.set(true);
        call(policies); // the 100th call
        assertEquals(99 + 1 + 20 + 10, requests.get(), "100 calls × 0.2 + the reserve of 1/s × 10s");
    }

    @Test
    void aRefusedRetryMakesNoWaitAndTheCallerGetsTheLastFailure() {
        MethodPolicies<Service> policies = policies("Service.call", retry(5, Duration.ofMillis(100)), 0, 1, Duration.ofSeconds(1));
        IOException last = assertThrows(IOException.class, () -> policies.<String>call(Service::call, null));
        assertEquals(2, requests.get(), "one retry: the reserve of 1/s × 1s");
        assertEquals(List.of(Duration.ofMillis(100)), time.sleeps(), "only the allowed retry waited");
        assertEquals("failure 2", last.getMessage());
        assertSame(thrown.get(1), last);
        assertEquals(List.of("budget exhausted Service.call Service"), recorder.events("budget"));
        assertEquals(List.of(), recorder.events("exhausted"), "retries were refused, not exhausted");
    }

    @Test
    void anAsynchronousCallIsRefusedAlikeWithoutSchedulingAWait() {
        MethodPolicies<Service> policies = policies("Service.call", retry(5, Duration.ofMillis(100)), 0, 1, Duration.ofSeconds(1));
        CompletableFuture<String> call = policies.callAsync(service -> {
            try {
                return CompletableFuture.completedFuture(service.call());
            } catch (IOException failure) {
                return CompletableFuture.failedFuture(failure);
            }
        }, null);
        assertEquals(1, time.pendingTasks(), "the one allowed retry's wait");
        time.advance(Duration.ofMillis(100));
        assertEquals(0, time.pendingTasks(), "the refused retry scheduled no wait");
        assertSame(thrown.get(1), call.handle((value, failure) -> failure).join());
        assertEquals(2, requests.get());
        assertEquals(List.of("budget exhausted Service.call Service"), recorder.events("budget"));
    }

    @Test
    void retriesLeaveTheWindowWhenTheirBucketDoes_09To10WindowsAfter() {
        RetryBudget budget = budget(0, 1, Duration.ofSeconds(10)); // 10 retries, buckets of 1s
        for (int i = 0; i < 5; i++) {
            assertTrue(budget.tryRetry());
        }
        time.advance(Duration.ofSeconds(1).minusNanos(1));
        for (int i = 0; i < 5; i++) {
            assertTrue(budget.tryRetry());
        }
        assertFalse(budget.tryRetry());
        time.advance(Duration.ofSeconds(9)); // 10s - 1ns: both still count
        assertFalse(budget.tryRetry());
        time.advance(Duration.ofNanos(1)); // 10s: 1.0 window after the first five, 0.9 window + 1ns after the others
        for (int i = 0; i < 10; i++) {
            assertTrue(budget.tryRetry(), "retry " + i);
        }
        assertFalse(budget.tryRetry());
    }

    /**
     * Found by {@code RetryBudgetModelTest}: the allowance was computed in floating point, where
     * 0.29 × 100 is 28.999999999999996, so 100 calls at {@code ratio = 0.29} allowed 28 retries, not
     * the 29 the README's rule gives; the reserve was added the same way (0.35 × 180 + 10).
     */
    @Test
    void theRatioCountsAsWrittenSo100CallsAtPoint29Allow29Retries() {
        RetryBudget budget = budget(0.29, 0, Duration.ofSeconds(10));
        for (int i = 0; i < 100; i++) {
            budget.started();
        }
        for (int i = 0; i < 29; i++) {
            assertTrue(budget.tryRetry(), "retry " + (i + 1) + " of 0.29 × 100");
        }
        assertFalse(budget.tryRetry());

        RetryBudget withReserve = ContextCore.of(context).budget("Other", Settings.of("RetryBudget").put(Attribute.RATIO, 0.35)
                .put(Attribute.MIN_PER_SECOND, 1).put(Attribute.BUDGET_WINDOW, Duration.ofSeconds(10)));
        for (int i = 0; i < 180; i++) {
            withReserve.started();
        }
        for (int i = 0; i < 73; i++) {
            assertTrue(withReserve.tryRetry(), "retry " + (i + 1) + " of 0.35 × 180 + 1/s × 10s");
        }
        assertFalse(withReserve.tryRetry());

        RetryBudget fractionalReserve = ContextCore.of(context).budget("Reserved", Settings.of("RetryBudget")
                .put(Attribute.RATIO, 0.1).put(Attribute.MIN_PER_SECOND, 3).put(Attribute.BUDGET_WINDOW, Duration.ofMillis(1100)));
        for (int i = 0; i < 7; i++) {
            fractionalReserve.started();
        }
        for (int i = 0; i < 4; i++) {
            assertTrue(fractionalReserve.tryRetry(), "retry " + (i + 1) + " of 0.1 × 7 + 3/s × 1.1s, which is 4 exactly");
        }
        assertFalse(fractionalReserve.tryRetry());
    }

    @Test
    void callsLeaveTheWindowAsRetriesDo() {
        RetryBudget budget = budget(1, 0, Duration.ofSeconds(1));
        budget.started();
        budget.started();
        time.advance(Duration.ofMillis(999));
        assertTrue(budget.tryRetry());
        time.advance(Duration.ofMillis(1)); // the calls' bucket has left; the retry's too
        assertFalse(budget.tryRetry());
    }

    @Test
    void methodsNamingOneBudgetShareIt() {
        MethodPolicies<Service> first = policies("Service.first", retry(10, Duration.ZERO), 0, 3, Duration.ofSeconds(1));
        MethodPolicies<Service> second = policies("Service.second", retry(10, Duration.ZERO), 0, 3, Duration.ofSeconds(1));
        call(first);
        assertEquals(4, requests.get());
        call(second);
        assertEquals(5, requests.get(), "the first method spent the shared reserve");
        assertEquals(List.of("budget exhausted Service.first Service", "budget exhausted Service.second Service"),
                recorder.events("budget"));
    }

    @Test
    void oneNameDeclaredWithOtherSettingsFailsNamingBoth() {
        policies("Service.first", retry(3, Duration.ZERO), 0.2, 10, Duration.ofSeconds(10));
        IllegalArgumentException conflict = assertThrows(IllegalArgumentException.class,
                () -> policies("Service.second", retry(3, Duration.ZERO), 0.5, 10, Duration.ofSeconds(10)));
        assertTrue(conflict.getMessage().contains("retry budget 'Service'")
                && conflict.getMessage().contains("ratio=0.2, minPerSecond=10, window=10s")
                && conflict.getMessage().contains("ratio=0.5, minPerSecond=10, window=10s"), conflict.getMessage());
    }

    @Test
    void aMethodWithoutARetryIgnoresItsBudget() {
        MethodPolicies<Service> policies = MethodPlan.builder("Service.call").timeout(Duration.ofSeconds(1))
                .retryBudget("Service").ratio(0.5).build().over(context, remote);
        call(policies);
        assertEquals(1, requests.get());
        policies("Service.other", retry(3, Duration.ZERO), 0.2, 10, Duration.ofSeconds(10)); // the name was not taken
    }

    @Test
    void racingRetriesTakeExactlyTheBudget() throws Exception {
        MethodPolicies<Service> policies = policies("Service.call", retry(10, Duration.ZERO), 0, 4, Duration.ofSeconds(5));
        int threads = 8;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                done.add(pool.submit(() -> {
                    barrier.await();
                    call(policies);
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads + 20, requests.get(), "8 first attempts and exactly the 4/s × 5s retries, time frozen");
        assertEquals(List.of(), time.sleeps().stream().filter(wait -> !wait.isZero()).toList());
    }

    /**
     * The load a remote failing every call sees from N calls of at most 3 attempts, made 10ms
     * apart (4s in all, within one window): 3N without a budget, at most (1 + ratio) × N plus the
     * reserve with one.
     */
    @Test
    void loadSimulationABudgetKeepsAFailingRemotesLoadNearTheCallsInsteadOfMaxAttemptsTimesThem() {
        int n = 400;
        MethodPolicies<Service> unbudgeted = MethodPlan.builder("Service.unbudgeted").retry(retry(3, Duration.ZERO)).build()
                .over(context, remote);
        for (int i = 0; i < n; i++) {
            call(unbudgeted);
            time.advance(Duration.ofMillis(10));
        }
        assertEquals(3 * n, requests.get());

        requests.set(0);
        MethodPolicies<Service> budgeted = policies("Service.budgeted", retry(3, Duration.ZERO), 0.2, 1, Duration.ofSeconds(10));
        for (int i = 0; i < n; i++) {
            call(budgeted);
            time.advance(Duration.ofMillis(10));
        }
        int bound = n + n / 5 + 10;
        assertTrue(requests.get() <= bound, requests.get() + " requests, more than " + bound);
        assertEquals(bound, requests.get(), "the budget is spent to the last retry it allows");
    }

    /** Decided exactly near the edge: a budget a millionth short of the next retry does not round up to it. */
    @Test
    void aRetryTheBudgetMissesByAMillionthIsRefused() {
        RetryBudget budget = budget(0.2999999, 0, Duration.ofSeconds(10));
        for (int i = 0; i < 10; i++) {
            budget.started();
        }
        assertTrue(budget.tryRetry(), "1 of 2.999999");
        assertTrue(budget.tryRetry(), "2 of 2.999999");
        assertFalse(budget.tryRetry(), "3 would exceed 10 × 0.2999999");
    }

    /** At 115,000 retries the error of 1.15 × 100,000 in floating point is larger than a millionth of a retry over the sum. */
    @Test
    void aLargeBudgetIsExactToTheLastRetryToo() {
        RetryBudget budget = budget(1.15, 0, Duration.ofSeconds(10));
        for (int i = 0; i < 100_000; i++) {
            budget.started();
        }
        int allowed = 0;
        while (allowed <= 200_000 && budget.tryRetry()) {
            allowed++;
        }
        assertEquals(115_000, allowed, "1.15 × 100,000 calls, which floating point makes 114999.99999999999");
    }

    /** The README: ticks stop after a whole window without a call or retry, so nothing stays scheduled for a budget no longer used. */
    @Test
    void aBudgetTicksWhileACallOrARetryIsInTheWindowAndStopsAWholeWindowAfterTheLast() {
        Settings settings = Settings.of("RetryBudget").put(Attribute.RATIO, 0.0).put(Attribute.MIN_PER_SECOND, 1)
                .put(Attribute.BUDGET_WINDOW, Duration.ofSeconds(10));
        RetryBudget budget = new RetryBudget("b", settings, time, (task, delay) -> time.schedule(task, Duration.ofNanos(delay)));
        budget.started();
        assertTrue(budget.ticking(), "a call starts the ticks");
        time.advance(Duration.ofSeconds(5));
        assertTrue(budget.ticking(), "the call is in the window");
        assertTrue(budget.tryRetry());
        time.advance(Duration.ofSeconds(6));
        assertTrue(budget.ticking(), "at 11s the call has left, the retry of 5s is in the window");
        assertEquals(1, time.pendingTasks());
        time.advance(Duration.ofSeconds(5));
        assertFalse(budget.ticking(), "at 16s, a whole window without a call or retry");
        assertEquals(0, time.pendingTasks(), "nothing left scheduled");
    }
}
