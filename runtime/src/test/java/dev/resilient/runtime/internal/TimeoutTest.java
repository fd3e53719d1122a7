package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.AttemptTimeoutException;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.ResilienceListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Timeouts under real threads and real time: bounds are generous, waits are latches. */
class TimeoutTest {
    interface Service {
        String call();

        CompletionStage<String> callAsync();
    }

    /** Issue #11, case 21: a user's scheduler keeps cancelled tasks queued unless told to remove them. */
    @Test
    void timersOfCallsThatEndInTimeLeaveNothingQueuedOnAUsersScheduler() throws Exception {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        try {
            assertTrue(!scheduler.getRemoveOnCancelPolicy(), "the JDK's default: cancelled tasks stay queued");
            ResilienceContext context = ResilienceContext.builder().scheduler(scheduler).build();
            List<CompletableFuture<String>> answers = new CopyOnWriteArrayList<>();
            Service service = new Service() {
                @Override
                public String call() {
                    return "unused";
                }

                @Override
                public CompletionStage<String> callAsync() {
                    CompletableFuture<String> answer = new CompletableFuture<>();
                    answers.add(answer);
                    return answer;
                }
            };
            MethodPolicies<Service> policies = MethodPlan.builder("S.call").timeout(Duration.ofHours(1)).build().over(context, service);
            for (int i = 0; i < 100; i++) {
                CompletableFuture<String> result = policies.callAsync(Service::callAsync, null);
                answers.get(i).complete("in time");
                assertEquals("in time", result.get(10, TimeUnit.SECONDS));
            }
            assertEquals(0, scheduler.getQueue().size(), "every cancelled one-hour timer was removed");
        } finally {
            scheduler.shutdownNow();
        }
    }

    /**
     * Issue #11, case 22: a delegate that ignores interrupts keeps its thread after its attempt timed
     * out. Such abandoned attempts are reported, and bounded: past the bound an attempt fails at
     * once instead of taking one more thread.
     */
    @Test
    void abandonedAttemptsAreReportedAndBoundedSoTheyCannotHoldAThreadEach() throws Exception {
        AtomicInteger threads = new AtomicInteger();
        Executor executor = task -> {
            threads.incrementAndGet();
            Thread thread = new Thread(task, "test-attempt");
            thread.setDaemon(true);
            thread.start();
        };
        List<Integer> abandoned = new CopyOnWriteArrayList<>();
        ResilienceContext context = ResilienceContext.builder()
                .executor(executor)
                .listener(new ResilienceListener() {
                    @Override
                    public void onAttemptAbandoned(String method, int stillRunning) {
                        abandoned.add(stillRunning);
                    }
                })
                .build();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        Service stubborn = new Service() {
            @Override
            public String call() {
                entered.incrementAndGet();
                boolean interrupted = false;
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException ignored) {
                        interrupted = true; // ignores it, as some clients do
                    }
                }
                finished.incrementAndGet();
                return interrupted ? "late" : "on time";
            }

            @Override
            public CompletionStage<String> callAsync() {
                return CompletableFuture.completedFuture("unused");
            }
        };
        MethodPolicies<Service> policies = MethodPlan.builder("S.call").timeout(Duration.ofMillis(5)).build().over(context, stubborn);

        int calls = 10_000;
        for (int i = 0; i < calls; i++) {
            assertThrows(AttemptTimeoutException.class, () -> policies.call(Service::call, null));
        }
        assertEquals(Timeout.MAX_ABANDONED, entered.get(), "attempts holding a thread stop at the bound, whatever the calls");
        // An attempt whose thread had not even started by its deadline is given up without running: such threads
        // end at once and are not abandoned, so a loaded machine may start a few more threads than the bound.
        assertTrue(threads.get() <= 2 * Timeout.MAX_ABANDONED, threads.get() + " threads for " + calls + " calls");
        assertEquals(Timeout.MAX_ABANDONED, abandoned.size());
        assertEquals(Timeout.MAX_ABANDONED, (int) abandoned.get(abandoned.size() - 1));

        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (finished.get() < Timeout.MAX_ABANDONED && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Timeout.MAX_ABANDONED, finished.get());
        long retryUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String answer = null;
        while (answer == null && System.nanoTime() < retryUntil) {
            try {
                answer = policies.call(Service::call, null);
            } catch (AttemptTimeoutException stillCounting) {
                Thread.onSpinWait(); // the last abandoned attempts are being counted out
            }
        }
        assertEquals("on time", answer, "once they end, attempts start again");
    }

    /**
     * Polly's fallback lets cancellation through by default (see thomhurst/Kevlar#20 for the
     * case): a caller interrupted while it waited for its attempt had its fallback called, on the
     * interrupted thread, and got the fallback's value instead of the CancellationException it
     * is promised, as an asynchronous caller that cancels gets no fallback.
     */
    @Test
    void aCallerInterruptedWhileItWaitsGetsItsCancellationNotTheFallback() {
        Recorder recorder = new Recorder();
        ResilienceContext context = ResilienceContext.builder().listener(recorder).build();
        Service service = new Service() {
            @Override
            public String call() {
                return "unreached";
            }

            @Override
            public CompletionStage<String> callAsync() {
                return CompletableFuture.completedFuture("unused");
            }
        };
        MethodPolicies<Service> policies = MethodPlan.builder("S.call").timeout(Duration.ofHours(1)).fallback().build()
                .over(context, service);
        Thread.currentThread().interrupt(); // its wait for the attempt is interrupted at once
        try {
            assertThrows(java.util.concurrent.CancellationException.class,
                    () -> policies.<String>call(Service::call, failure -> "fallback"));
            assertTrue(Thread.currentThread().isInterrupted(), "the caller keeps its interrupt flag");
        } finally {
            Thread.interrupted();
        }
        assertEquals(List.of(), recorder.events("fallback"));
    }

    /**
     * Failsafe's discussion in failsafe-lib/failsafe#226 (pending executions must not proceed
     * once a call is over): an asynchronous attempt whose caller cancelled while it armed its
     * deadline went on to call the delegate, and left its one-hour timer queued on the user's
     * scheduler, since the cancellation had looked for the timer before it was stored.
     */
    @Test
    void anAttemptCancelledWhileItArmsItsDeadlineNeitherStartsNorLeavesItsTimerQueued() throws Exception {
        AtomicReference<CompletableFuture<String>> result = new AtomicReference<>();
        CountDownLatch returned = new CountDownLatch(1);
        AtomicInteger hourTimers = new AtomicInteger();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1) {
            @Override
            public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
                ScheduledFuture<?> scheduled = super.schedule(task, delay, unit);
                if (unit.toNanos(delay) == Duration.ofHours(1).toNanos() && hourTimers.incrementAndGet() == 2) {
                    try {
                        assertTrue(returned.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    result.get().cancel(true); // the caller cancels just as attempt 2 arms its deadline
                }
                return scheduled;
            }
        };
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            ResilienceContext context = ResilienceContext.builder().scheduler(scheduler).executor(executor).build();
            AtomicInteger calls = new AtomicInteger();
            Service service = new Service() {
                @Override
                public String call() {
                    return "unused";
                }

                @Override
                public CompletionStage<String> callAsync() {
                    return calls.incrementAndGet() == 1 ? CompletableFuture.failedFuture(new IllegalStateException("first"))
                            : new CompletableFuture<>();
                }
            };
            MethodPolicies<Service> policies = MethodPlan.builder("S.call").retry(RetrySpec.builder().delay(Duration.ZERO).build())
                    .timeout(Duration.ofHours(1)).bulkhead().maxConcurrent(1).build().over(context, service);
            result.set(policies.callAsync(Service::callAsync, null));
            returned.countDown();
            executor.submit(() -> {}).get(10, TimeUnit.SECONDS); // the retry ran on this one thread: attempt 2 has begun
            executor.submit(() -> {}).get(10, TimeUnit.SECONDS);

            assertTrue(result.get().isCancelled());
            assertEquals(1, calls.get(), "nothing starts once the caller has cancelled");
            assertEquals(0, scheduler.getQueue().size(), "no deadline of the cancelled attempt is left queued");
            CompletableFuture<String> next = policies.callAsync(Service::callAsync, null);
            assertEquals(2, calls.get(), "the bulkhead's one slot is free again");
            next.cancel(true);
        } finally {
            scheduler.shutdownNow();
            executor.shutdownNow();
        }
    }

    /**
     * svroonland/rezilience#521 and resilience4j#903 (a breaker stuck in HALF_OPEN after its trial
     * was interrupted): a trial whose caller is interrupted while it waits settles its permit as
     * neither success nor failure, so the next call is the trial.
     */
    @Test
    void aTrialWhoseCallerIsInterruptedGivesItsPermitBack() {
        ResilienceContext context = ResilienceContext.builder().build();
        AtomicInteger calls = new AtomicInteger();
        Service service = new Service() {
            @Override
            public String call() {
                return "answer " + calls.incrementAndGet();
            }

            @Override
            public CompletionStage<String> callAsync() {
                return CompletableFuture.completedFuture("unused");
            }
        };
        MethodPolicies<Service> policies = MethodPlan.builder("S.call").timeout(Duration.ofHours(1))
                .breaker("trial", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ZERO).build()).build()
                .over(context, service);
        Breaker breaker = (Breaker) context.breaker("trial");
        breaker.acquire(null).failed(new IllegalStateException("opens it; openFor 0: the next call is a trial"));
        Thread.currentThread().interrupt();
        try {
            assertThrows(java.util.concurrent.CancellationException.class, () -> policies.<String>call(Service::call, null));
        } finally {
            Thread.interrupted();
        }
        assertEquals(dev.resilient.runtime.CircuitBreaker.State.HALF_OPEN, breaker.state());
        assertTrue(policies.<String>call(Service::call, null).startsWith("answer"), "the trial's permit came back");
        assertEquals(dev.resilient.runtime.CircuitBreaker.State.CLOSED, breaker.state());
    }
}
