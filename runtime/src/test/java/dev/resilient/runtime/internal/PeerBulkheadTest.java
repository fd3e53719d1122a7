package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.AttemptTimeoutException;
import dev.resilient.runtime.BulkheadFullException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code @Bulkhead} against bug reports of peer libraries (Failsafe, Polly, SmallRye / MicroProfile
 * Fault Tolerance, Spring Retry, Resilience4j).
 */
class PeerBulkheadTest {
    /**
     * Failsafe's failsafe-lib/failsafe#393 (fixed by #400): a waiter that gave up at its
     * {@code maxWait} stayed queued, was handed the next slot freed, and nobody ever gave it back,
     * so the bulkhead lost a slot per waiter that timed out until it let nobody in. Here every
     * waiter gives up while the slots are held; once they are freed, all of them are free.
     */
    @Test
    void waitersThatGiveUpAtMaxWaitTakeNoSlotWithThem() throws Exception {
        ResilienceContext context = ResilienceContext.builder().build();
        Bulkhead bulkhead = Bulkhead.create(ContextCore.of(context), "S.call", 2, Duration.ofMillis(20));
        bulkhead.enter();
        bulkhead.enter();
        ExecutorService waiters = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> gaveUp = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                gaveUp.add(waiters.submit(bulkhead::enter));
            }
            for (Future<?> waiter : gaveUp) {
                Throwable refused = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> waiter.get(30, TimeUnit.SECONDS)).getCause();
                assertInstanceOf(BulkheadFullException.class, refused);
            }
        } finally {
            waiters.shutdownNow();
        }
        bulkhead.exit();
        bulkhead.exit();
        assertEquals(2, bulkhead.available(), "both slots are free again");
        bulkhead.enter();
        bulkhead.enter();
        assertEquals(0, bulkhead.available());
    }

    interface Service {
        CompletionStage<String> call();
    }

    /**
     * Failsafe's failsafe-lib/failsafe#365 (an asynchronous bulkhead's permits miscounted, so a
     * queued call was never run): the slots of attempts that timed out, were cancelled by their
     * caller, or whose stage refused cancellation and completed late, each come back exactly once:
     * afterwards the bulkhead holds exactly {@code maxConcurrent} calls again, no fewer and no more.
     */
    @Test
    void slotsOfTimedOutCancelledAndLateStagesComeBackExactlyOnce() {
        ManualTime time = new ManualTime();
        ResilienceContext context = ResilienceContext.builder().time(time).build();
        List<CompletableFuture<String>> stages = new ArrayList<>();
        Service service = () -> {
            CompletableFuture<String> stage = new CompletableFuture<>();
            stages.add(stage);
            return stages.size() == 1 ? stage.minimalCompletionStage() : stage; // the first refuses cancel()
        };
        MethodPolicies<Service> policies = MethodPlan.builder("S.call").timeout(Duration.ofSeconds(1)).bulkhead().maxConcurrent(2)
                .build().over(context, service);
        CompletableFuture<String> timedOut = policies.callAsync(Service::call, null);
        CompletableFuture<String> cancelled = policies.callAsync(Service::call, null);
        assertInstanceOf(BulkheadFullException.class, failureOf(policies.callAsync(Service::call, null)), "two calls inside");
        assertTrue(cancelled.cancel(true));
        time.advance(Duration.ofSeconds(1));
        assertInstanceOf(dev.resilient.runtime.AttemptTimeoutException.class, failureOf(timedOut));
        assertFalse(stages.get(0).isDone(), "a minimal stage cannot be cancelled: it keeps its slot until it completes");
        CompletableFuture<String> third = policies.callAsync(Service::call, null);
        assertInstanceOf(BulkheadFullException.class, failureOf(policies.callAsync(Service::call, null)));
        stages.get(0).complete("late");
        stages.get(0).complete("again"); // completing twice gives nothing back twice
        CompletableFuture<String> fourth = policies.callAsync(Service::call, null);
        assertInstanceOf(BulkheadFullException.class, failureOf(policies.callAsync(Service::call, null)),
                "two calls inside again, and room for no third");
        stages.get(2).complete("third");
        stages.get(3).complete("fourth");
        assertEquals("third", third.join());
        assertEquals("fourth", fourth.join());
        CompletableFuture<String> fifth = policies.callAsync(Service::call, null);
        CompletableFuture<String> sixth = policies.callAsync(Service::call, null);
        assertInstanceOf(BulkheadFullException.class, failureOf(policies.callAsync(Service::call, null)), "exactly two slots, not more");
        assertFalse(fifth.isDone() || sixth.isDone());
    }

    interface Blocking {
        String call();
    }

    /**
     * spring-cloud/spring-cloud-circuitbreaker#163 (Resilience4j's semaphore bulkhead under its
     * time limiter): a timed-out call gave its bulkhead permit back while the work it started went
     * on, so more calls than {@code maxConcurrentCalls} ran at once. Here the timed-out attempt
     * ignores its interrupt and keeps running: it keeps its slot, and the next call is refused
     * until it has really ended.
     */
    @Test
    void aSynchronousAttemptThatTimedOutButKeepsRunningKeepsItsSlot() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            CountDownLatch firstTaskEnded = new CountDownLatch(1);
            AtomicInteger tasks = new AtomicInteger();
            Executor tellingWhenTheFirstTaskEnds = task -> {
                boolean first = tasks.incrementAndGet() == 1;
                pool.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        if (first) {
                            firstTaskEnded.countDown();
                        }
                    }
                });
            };
            ResilienceContext context = ResilienceContext.builder().executor(tellingWhenTheFirstTaskEnds).build();
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger calls = new AtomicInteger();
            Blocking ignoresInterrupts = () -> {
                calls.incrementAndGet();
                while (true) {
                    try {
                        release.await();
                        return "done";
                    } catch (InterruptedException ignored) {
                        // keeps running, as code that swallows interrupts does
                    }
                }
            };
            MethodPolicies<Blocking> policies = MethodPlan.builder("B.call").timeout(Duration.ofMillis(50)).bulkhead().maxConcurrent(1)
                    .build().over(context, ignoresInterrupts);
            assertThrows(AttemptTimeoutException.class, () -> policies.<String>call(Blocking::call, null));
            assertThrows(BulkheadFullException.class, () -> policies.<String>call(Blocking::call, null),
                    "the abandoned attempt still holds the only slot");
            assertEquals(1, calls.get(), "the second call never reached the delegate");
            release.countDown();
            assertTrue(firstTaskEnded.await(30, TimeUnit.SECONDS));
            assertEquals("done", policies.<String>call(Blocking::call, null), "its slot came back when it ended");
        } finally {
            pool.shutdownNow();
        }
    }

    private static Throwable failureOf(CompletableFuture<?> call) {
        assertTrue(call.isDone(), "the call has ended");
        return call.handle((value, failure) -> failure).join();
    }
}
