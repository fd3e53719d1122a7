package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @Hedge} on {@code ManualTime}: when the next attempt starts, which wins, what the losers
 * and their breakers are told, failover rotation, the retry budget, cancellation; synchronous
 * attempts on a real executor, with latches.
 */
class HedgeTest {
    private static final Duration DELAY = Duration.ofMillis(100);
    private static final long WAIT = 10;

    private final ManualTime time = new ManualTime();
    private final Recorder recorder = new Recorder();
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> new Thread(task, "context-executor"));
    private final Ended ended = new Ended();
    private final ResilienceContext context =
            ResilienceContext.builder().time(time).executor(executor).listener(recorder).listener(ended).build();

    interface Service {
        CompletionStage<String> read(int attempt);
    }

    interface Blocking {
        String read(int attempt) throws Exception;
    }

    @AfterEach
    void stopThreads() {
        executor.shutdownNow();
    }

    private static MethodPlan.Builder hedged(int maxAttempts) {
        return MethodPlan.builder("Service.read").hedge().hedgeDelay(DELAY).hedgeMaxAttempts(maxAttempts);
    }

    /** An asynchronous delegate whose stage for attempt {@code n} is {@code stages.get(n - 1)}; counts calls. */
    private static final class Stages implements Service {
        final List<CompletableFuture<String>> stages = new ArrayList<>();
        final AtomicInteger calls = new AtomicInteger();

        Stages(int count) {
            for (int i = 0; i < count; i++) {
                stages.add(new CompletableFuture<>());
            }
        }

        @Override
        public CompletionStage<String> read(int ignored) {
            return stages.get(calls.getAndIncrement());
        }
    }

    private static CompletableFuture<String> async(MethodPolicies<Service> policies) {
        return policies.callAsync(service -> service.read(0), null);
    }

    /** Counts the attempts that have ended, as listeners are told them. */
    private static final class Ended implements dev.resilient.runtime.ResilienceListener {
        private final java.util.concurrent.Semaphore attempts = new java.util.concurrent.Semaphore(0);

        @Override
        public void onAttempt(String method, int attempt, Throwable failure) {
            attempts.release();
        }

        void await(int count) throws InterruptedException {
            assertTrue(attempts.tryAcquire(count, WAIT, TimeUnit.SECONDS), "attempts ended");
        }
    }

    /** Found by a trial of the README: the caller could see the winner's value while the loser still ran. */
    @Test
    void theLosersAreCancelledBeforeTheCallerHasTheWinnersValue() {
        Stages delegate = new Stages(2);
        MethodPolicies<Service> policies = hedged(2).build().over(context, delegate);
        CompletableFuture<String> call = async(policies);
        List<Boolean> loserCancelledWhenCallerSawValue = new ArrayList<>();
        call.thenRun(() -> loserCancelledWhenCallerSawValue.add(delegate.stages.get(0).isCancelled()));
        time.advance(DELAY);
        delegate.stages.get(1).complete("fast");
        assertEquals("fast", call.join());
        assertEquals(List.of(true), loserCancelledWhenCallerSawValue);
        assertEquals(List.of("hedge Service.read #2", "attempt Service.read #2 ok", "attempt Service.read #1 CancellationException"),
                recorder.events(), "the loser's end is told before the caller has the value");
    }

    @Test
    void theNextAttemptStartsOnlyOnceTheDelayIsUpAndTheFirstValueWins() {
        Stages delegate = new Stages(2);
        MethodPolicies<Service> policies = hedged(2).breaker("read", BreakerSpec.builder().failureThreshold(1).build())
                .build().over(context, delegate);

        CompletableFuture<String> call = async(policies);
        time.advance(DELAY.minusNanos(1));
        assertEquals(1, delegate.calls.get(), "no hedge before the delay is up");
        time.advance(Duration.ofNanos(1));
        assertEquals(2, delegate.calls.get(), "the hedge starts when the first attempt has gone the delay unanswered");

        delegate.stages.get(1).complete("fast");
        assertEquals("fast", call.join());
        assertTrue(delegate.stages.get(0).isCancelled(), "the loser's stage is cancelled");
        assertEquals(List.of("hedge Service.read #2", "attempt Service.read #2 ok", "attempt Service.read #1 CancellationException"),
                recorder.events());
        assertEquals(CircuitBreaker.State.CLOSED, context.breaker("read").state(), "a loser counts as neither success nor failure");
        time.advance(Duration.ofSeconds(10));
        assertEquals(2, delegate.calls.get(), "nothing more starts after the race");
    }

    @Test
    void aFailedAttemptStartsTheNextAtOnceAndTheDelayStartsAgainFromIt() {
        Stages delegate = new Stages(3);
        MethodPolicies<Service> policies = hedged(3).build().over(context, delegate);
        CompletableFuture<String> call = async(policies);

        time.advance(DELAY.dividedBy(2));
        delegate.stages.get(0).completeExceptionally(new IOException("first"));
        assertEquals(2, delegate.calls.get(), "a failure starts the next attempt without waiting");
        time.advance(DELAY.minusNanos(1));
        assertEquals(2, delegate.calls.get(), "the first attempt's timer was dropped: the delay counts from the second");
        time.advance(Duration.ofNanos(1));
        assertEquals(3, delegate.calls.get());

        delegate.stages.get(2).complete("third");
        assertEquals("third", call.join());
        assertTrue(delegate.stages.get(1).isCancelled());
    }

    @Test
    void whenEveryAttemptFailsTheCallerGetsTheFailureThatCameLast() {
        Stages delegate = new Stages(3);
        MethodPolicies<Service> policies = hedged(3).build().over(context, delegate);
        CompletableFuture<String> call = async(policies);
        time.advance(DELAY);
        delegate.stages.get(1).completeExceptionally(new IOException("second"));
        assertEquals(3, delegate.calls.get());
        delegate.stages.get(2).completeExceptionally(new IOException("third"));
        assertFalse(call.isDone(), "the first attempt still runs, and may still win");

        IOException last = new IOException("first, last to end");
        delegate.stages.get(0).completeExceptionally(last);
        assertSame(last, assertThrows(CompletionException.class, call::join).getCause());
    }

    @Test
    void underFailoverEachHedgeGoesToTheNextDelegateFirst() {
        List<Integer> reached = new ArrayList<>();
        CompletableFuture<String> hanging = new CompletableFuture<>();
        Service primary = attempt -> {
            reached.add(0);
            return hanging;
        };
        Service backup = attempt -> {
            reached.add(1);
            return CompletableFuture.completedFuture("backup");
        };
        MethodPolicies<Service> policies = hedged(2).breaker("read", BreakerSpec.builder().build()).build()
                .over(context, List.of(primary, backup));

        CompletableFuture<String> call = policies.callAsync(service -> service.read(0), null);
        time.advance(DELAY);
        assertEquals("backup", call.join());
        assertEquals(List.of(0, 1), reached);
        assertEquals(List.of("failover Service.read #1 to 0", "hedge Service.read #2", "failover Service.read #2 to 1",
                "attempt Service.read #2 ok", "attempt Service.read #1 CancellationException"), recorder.events());
        assertTrue(hanging.isCancelled());
    }

    @Test
    void aHedgeTheRetryBudgetRefusesIsNotMadeAndTheFirstAttemptFinishesTheRace() {
        Stages delegate = new Stages(2);
        MethodPolicies<Service> policies = hedged(2).retryBudget("reads").ratio(0).minPerSecond(0).build().over(context, delegate);
        CompletableFuture<String> call = async(policies);
        time.advance(DELAY);
        assertEquals(1, delegate.calls.get());
        assertEquals(List.of("budget exhausted Service.read reads"), recorder.events());
        assertFalse(call.isDone());
        delegate.stages.get(0).complete("slow but only");
        assertEquals("slow but only", call.join());
    }

    @Test
    void aPassEveryBreakerRefusesStartsNoFurtherAttempt() {
        Stages delegate = new Stages(3);
        MethodPolicies<Service> policies = hedged(3).breaker("read", BreakerSpec.builder().build()).build().over(context, delegate);
        context.breaker("read").forceOpen();
        CompletableFuture<String> call = async(policies);
        assertInstanceOf(CircuitOpenException.class, assertThrows(CompletionException.class, call::join).getCause());
        assertEquals(0, delegate.calls.get());
        assertEquals(1, recorder.events("rejected").size(), "one rejection, not one per hedge");
    }

    @Test
    void noHedgeIsMadeNorDrawnWhenEveryBreakerIsOpenAndTheRejectionCarriesTheLastFailure() {
        Stages delegate = new Stages(3);
        MethodPolicies<Service> policies = hedged(3).breaker("read", BreakerSpec.builder().failureThreshold(1).build())
                .retryBudget("hopeless").ratio(0).minPerSecond(1).budgetWindow(Duration.ofSeconds(1)).build().over(context, delegate);
        CompletableFuture<String> call = async(policies);
        IOException failure = new IOException("opens the breaker");
        delegate.stages.get(0).completeExceptionally(failure);

        CircuitOpenException rejection = assertInstanceOf(CircuitOpenException.class,
                assertThrows(CompletionException.class, call::join).getCause());
        assertSame(failure, rejection.getCause(), "as a retry's hopeless rejection does");
        assertEquals(1, delegate.calls.get());
        assertEquals(List.of(), recorder.events("hedge"), "a hedge that could not pass is not announced");
        // The budget's one retry in its window was not spent on it: another method's hedge gets it.
        Stages other = new Stages(2);
        MethodPolicies<Service> sharing = MethodPlan.builder("Service.other").hedge().hedgeDelay(DELAY)
                .retryBudget("hopeless").ratio(0).minPerSecond(1).budgetWindow(Duration.ofSeconds(1)).build().over(context, other);
        CompletableFuture<String> next = async(sharing);
        other.stages.get(0).completeExceptionally(new IOException("first"));
        other.stages.get(1).complete("hedged on the budget's reserve");
        assertEquals("hedged on the budget's reserve", next.join());
    }

    @Test
    void aFailureThatIsNotAnExceptionEndsTheCallAtOnce() {
        Stages delegate = new Stages(3);
        MethodPolicies<Service> policies = hedged(3).build().over(context, delegate);
        CompletableFuture<String> call = async(policies);
        time.advance(DELAY);
        AssertionError broken = new AssertionError("a bug, not an outage");
        delegate.stages.get(1).completeExceptionally(broken);
        assertSame(broken, assertThrows(CompletionException.class, call::join).getCause());
        assertTrue(delegate.stages.get(0).isCancelled());
        assertEquals(2, delegate.calls.get());
    }

    @Test
    void cancellingTheCallCancelsEveryAttemptInFlightAndStartsNoMore() {
        Stages delegate = new Stages(3);
        MethodPolicies<Service> policies = hedged(3).build().over(context, delegate);
        CompletableFuture<String> call = async(policies);
        time.advance(DELAY);
        call.cancel(false);
        assertTrue(delegate.stages.get(0).isCancelled());
        assertTrue(delegate.stages.get(1).isCancelled());
        time.advance(Duration.ofSeconds(1));
        assertEquals(2, delegate.calls.get());
    }

    @Test
    void theFallbackTakesTheLastFailure() {
        Stages delegate = new Stages(2);
        MethodPolicies<Service> policies = hedged(2).fallback().build().over(context, delegate);
        CompletableFuture<String> call = policies.callAsync(service -> service.read(0),
                failure -> CompletableFuture.completedFuture("fallback after " + failure.getMessage()));
        delegate.stages.get(0).completeExceptionally(new IOException("one"));
        delegate.stages.get(1).completeExceptionally(new IOException("two"));
        assertEquals("fallback after two", call.join());
    }

    /**
     * Waits until the hedge's delay is armed: the caller's thread arms it after handing the first
     * attempt to the executor, which may already be running it.
     */
    private void delayArmed() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (time.pendingTasks() == 0) {
            assertTrue(System.nanoTime() < deadline, "the hedge's delay is armed");
            Thread.onSpinWait();
        }
    }

    /** A delegate's attempt that tells {@code started}, then waits until its thread is interrupted, which it tells {@code interrupted}. */
    private static String blockUntilInterrupted(CountDownLatch started, CountDownLatch interrupted) throws InterruptedException {
        started.countDown();
        try {
            new CountDownLatch(1).await(WAIT, TimeUnit.SECONDS);
            return "never: it is interrupted";
        } catch (InterruptedException stopped) {
            interrupted.countDown();
            throw stopped;
        }
    }

    @Test
    void synchronousAttemptsRunOnTheExecutorAndTheLoserIsInterrupted() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch firstInterrupted = new CountDownLatch(1);
        Blocking delegate = attempt -> {
            if (attempt == 1) {
                return blockUntilInterrupted(firstStarted, firstInterrupted);
            }
            return "fast on " + Thread.currentThread().getName();
        };
        MethodPolicies<Blocking> policies = MethodPlan.builder("Service.read").hedge().hedgeDelay(DELAY)
                .breaker("read", BreakerSpec.builder().failureThreshold(1).build()).build().over(context, delegate);
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<String> call = new CompletableFuture<>();
        new Thread(() -> call.complete(policies.call(service -> service.read(attempts.incrementAndGet()), null)), "caller").start();
        assertTrue(firstStarted.await(WAIT, TimeUnit.SECONDS));
        delayArmed();
        time.advance(DELAY);
        assertEquals("fast on context-executor", call.get(WAIT, TimeUnit.SECONDS), "the hedge ran on the context's executor");
        assertTrue(firstInterrupted.await(WAIT, TimeUnit.SECONDS), "the loser's thread was interrupted");
        ended.await(2);
        assertEquals(List.of("hedge Service.read #2", "attempt Service.read #2 ok", "attempt Service.read #1 CancellationException"),
                recorder.events());
        assertEquals(CircuitBreaker.State.CLOSED, context.breaker("read").state(), "the interrupted loser is not a failure");
    }

    @Test
    void aSynchronousCallerInterruptedWhileItWaitsStopsTheRaceAndKeepsItsFlag() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch attemptInterrupted = new CountDownLatch(1);
        Blocking delegate = attempt -> blockUntilInterrupted(started, attemptInterrupted);
        MethodPolicies<Blocking> policies = MethodPlan.builder("Service.read").hedge().hedgeDelay(DELAY).build().over(context, delegate);
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        CompletableFuture<Boolean> flag = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                policies.call(service -> service.read(1), null);
            } catch (Throwable failure) {
                thrown.complete(failure);
                flag.complete(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        assertTrue(started.await(WAIT, TimeUnit.SECONDS));
        caller.interrupt();
        assertInstanceOf(CancellationException.class, thrown.get(WAIT, TimeUnit.SECONDS));
        assertTrue(flag.get(WAIT, TimeUnit.SECONDS));
        assertTrue(attemptInterrupted.await(WAIT, TimeUnit.SECONDS), "the attempt in flight was stopped");
        time.advance(Duration.ofSeconds(1));
        assertEquals(List.of(), recorder.events("hedge"), "no hedge after the caller gave up");
    }

    @Test
    void tenThousandAttemptsAnsweringAtOnceNeverNestOneStartInAnother() {
        AtomicInteger calls = new AtomicInteger();
        Service failing = attempt -> CompletableFuture.failedFuture(new IOException("attempt " + calls.incrementAndGet()));
        MethodPolicies<Service> policies = hedged(10_000).build().over(context, failing);
        CompletableFuture<String> call = policies.callAsync(service -> service.read(0), null);
        assertEquals("attempt 10000",
                assertThrows(ExecutionException.class, () -> call.get(WAIT, TimeUnit.SECONDS)).getCause().getMessage());
        assertEquals(10_000, calls.get());

        recorder.clear();
        AtomicInteger started = new AtomicInteger();
        MethodPolicies<Service> allAtOnce = MethodPlan.builder("Service.read").hedge().hedgeDelay(Duration.ZERO).hedgeMaxAttempts(10_000)
                .build().over(context, attempt -> {
                    started.incrementAndGet();
                    return new CompletableFuture<>();
                });
        CompletableFuture<String> pending = allAtOnce.callAsync(service -> service.read(0), null);
        assertEquals(10_000, started.get(), "a delay of 0 starts every attempt at once");
        assertEquals(9_999, recorder.events("hedge").size());
        pending.cancel(false);
        assertEquals(10_000, recorder.events("attempt").size(), "and cancelling the call cancels every one");
    }

    /** Calls {@code policies} from a thread of its own, as a test of a synchronous hedge must under {@code ManualTime}. */
    private static CompletableFuture<String> fromAnotherThread(MethodPolicies<Blocking> policies, AtomicInteger attempts) {
        CompletableFuture<String> call = new CompletableFuture<>();
        new Thread(() -> {
            try {
                call.complete(policies.call(service -> service.read(attempts.incrementAndGet()), null));
            } catch (Throwable failure) {
                call.completeExceptionally(failure);
            }
        }, "caller").start();
        return call;
    }

    @Test
    void aSynchronousLoserMovesOnToNoFurtherDelegateOnceTheRaceIsWon() throws Exception {
        CountDownLatch primaryStarted = new CountDownLatch(1);
        CountDownLatch primaryInterrupted = new CountDownLatch(1);
        AtomicInteger backupCalls = new AtomicInteger();
        Blocking primary = attempt -> blockUntilInterrupted(primaryStarted, primaryInterrupted);
        Blocking backup = attempt -> "backup " + backupCalls.incrementAndGet();
        java.util.concurrent.Semaphore finished = new java.util.concurrent.Semaphore(0);
        ResilienceContext counted = ResilienceContext.builder().time(time).listener(recorder).executor(task -> executor.execute(() -> {
            try {
                task.run();
            } finally {
                finished.release(); // the attempt's whole pass is over
            }
        })).build();
        MethodPolicies<Blocking> policies = MethodPlan.builder("Service.read").hedge().hedgeDelay(DELAY).build()
                .over(counted, List.of(primary, backup));
        CompletableFuture<String> call = fromAnotherThread(policies, new AtomicInteger());
        assertTrue(primaryStarted.await(WAIT, TimeUnit.SECONDS));
        delayArmed();
        time.advance(DELAY);
        assertEquals("backup 1", call.get(WAIT, TimeUnit.SECONDS));
        assertTrue(primaryInterrupted.await(WAIT, TimeUnit.SECONDS));
        assertTrue(finished.tryAcquire(2, WAIT, TimeUnit.SECONDS));
        assertEquals(1, backupCalls.get(), "the interrupted loser did not go on to the backup");
        assertEquals(List.of("failover Service.read #1 to 0", "failover Service.read #2 to 1"), recorder.events("failover"));
    }

    /**
     * Attempt 1 holds the only bulkhead slot; attempt 2 waits for it. Once attempt 1 has
     * answered, the slot it frees must not let attempt 2 call the delegate: it lost. On the system
     * clock, under which a bulkhead's wait really waits for a slot (ManualTime's waits end at once).
     */
    @Test
    void aSynchronousAttemptWaitingForABulkheadSlotNeverReachesTheDelegateOnceAnotherHasAnswered() throws Exception {
        List<Thread> runners = new java.util.concurrent.CopyOnWriteArrayList<>();
        ResilienceContext watched = ResilienceContext.builder().listener(recorder).listener(ended)
                .executor(task -> executor.execute(() -> {
                    runners.add(Thread.currentThread());
                    task.run();
                })).build();
        AtomicInteger delegateCalls = new AtomicInteger();
        for (int round = 0; round < 20; round++) {
            CountDownLatch in = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Blocking delegate = attempt -> {
                delegateCalls.incrementAndGet();
                in.countDown();
                assertTrue(release.await(WAIT, TimeUnit.SECONDS));
                return "answer";
            };
            MethodPolicies<Blocking> policies = MethodPlan.builder("Service.read").hedge().hedgeDelay(Duration.ZERO)
                    .bulkhead().maxConcurrent(1).maxWait(Duration.ofSeconds(WAIT))
                    .build().over(watched, delegate);
            runners.clear();
            delegateCalls.set(0);
            CompletableFuture<String> call = fromAnotherThread(policies, new AtomicInteger());
            assertTrue(in.await(WAIT, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
            // One attempt is in the delegate; wait until the other waits for the slot as well.
            while (runners.size() < 2 || !runners.stream().allMatch(thread -> thread.getState() == Thread.State.TIMED_WAITING)) {
                assertTrue(System.nanoTime() < deadline, "the second attempt waits for the slot");
                Thread.onSpinWait();
            }
            release.countDown();
            assertEquals("answer", call.get(WAIT, TimeUnit.SECONDS));
            ended.await(2);
            assertEquals(1, delegateCalls.get(), "round " + round + ": the attempt waiting for the slot lost before calling");
        }
        // Each loser ended without a value: as lost, or refused the slot it was waiting for when interrupted.
        assertEquals(20, recorder.events("attempt").stream()
                .filter(event -> event.endsWith("CancellationException") || event.endsWith("BulkheadFullException")).count());
        assertEquals(20, recorder.events("attempt").stream().filter(event -> event.endsWith(" ok")).count());
    }

    @Test
    void aLoserStoppedInsideItsTimeoutIsNotReportedAsAbandoned() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch firstInterrupted = new CountDownLatch(1);
        Blocking delegate = attempt -> attempt == 1 ? blockUntilInterrupted(firstStarted, firstInterrupted) : "fast";
        MethodPolicies<Blocking> policies = MethodPlan.builder("Service.read").hedge().hedgeDelay(DELAY).timeout(Duration.ofSeconds(WAIT))
                .build().over(context, delegate);
        CompletableFuture<String> call = fromAnotherThread(policies, new AtomicInteger());
        assertTrue(firstStarted.await(WAIT, TimeUnit.SECONDS));
        delayArmed();
        time.advance(DELAY);
        assertEquals("fast", call.get(WAIT, TimeUnit.SECONDS));
        assertTrue(firstInterrupted.await(WAIT, TimeUnit.SECONDS));
        ended.await(2);
        assertEquals(List.of(), recorder.events("abandoned"), "it did not time out: it lost, and stopped");
    }

    @Test
    void aSynchronousDelegatesCompletionExceptionReachesTheCallerItself() {
        CompletionException thrown = new CompletionException(new IOException("inner"));
        Blocking delegate = attempt -> {
            throw thrown;
        };
        MethodPolicies<Blocking> policies = MethodPlan.builder("Service.read").hedge().build().over(context, delegate);
        assertSame(thrown, assertThrows(CompletionException.class, () -> policies.call(service -> service.read(1), null)));
    }

    @Test
    void anExecutorThatRefusesAnAttemptStartsNoFurtherHedge() {
        java.util.concurrent.RejectedExecutionException refusal = new java.util.concurrent.RejectedExecutionException("full");
        ResilienceContext refusing = ResilienceContext.builder().time(time).listener(recorder).executor(task -> {
            throw refusal;
        }).build();
        MethodPolicies<Blocking> policies = MethodPlan.builder("Service.read").hedge().hedgeMaxAttempts(5).build()
                .over(refusing, attempt -> "never");
        assertSame(refusal, assertThrows(java.util.concurrent.RejectedExecutionException.class,
                () -> policies.call(service -> service.read(1), null)));
        assertEquals(List.of(), recorder.events("hedge"));
    }

    @Test
    void aSynchronousCallThatAnswersAtOnceLeavesNoTimerWhenItReturns() {
        MethodPolicies<Blocking> policies = MethodPlan.builder("Service.read").hedge().build().over(context, attempt -> "fast");
        for (int i = 0; i < 500; i++) {
            assertEquals("fast", policies.call(service -> service.read(1), null));
            assertEquals(0, time.pendingTasks(), "call " + i + ": the delay's timer is dropped before the caller has its value");
        }
    }

    @Test
    void aSynchronousFailureReachesTheCallerUnchangedWhenEveryAttemptFails() {
        IOException last = new IOException("second");
        Blocking delegate = attempt -> {
            throw attempt == 1 ? new IOException("first") : last;
        };
        MethodPolicies<Blocking> policies = MethodPlan.builder("Service.read").hedge().build().over(context, delegate);
        AtomicInteger attempts = new AtomicInteger();
        assertSame(last, assertThrows(IOException.class, () -> policies.call(service -> service.read(attempts.incrementAndGet()), null)));
        assertEquals(2, attempts.get());
    }

    /**
     * Eight attempts start at once ({@code delay = 0}) and meet at a barrier; one answers, the
     * others fail or hang until interrupted. Repeated on one wrapper: each round needs all eight
     * bulkhead slots, so a slot a loser kept would break the next round; the losers never count
     * against the breaker.
     */
    @Test
    void eightAttemptsStartingTogetherLeaveOneWinnerAndEverySlotFree() throws Exception {
        Blocking delegate = attempt -> {
            if (attempt % 3 == 1) {
                throw new IOException("failed " + attempt);
            }
            if (attempt % 3 == 2) {
                new CountDownLatch(1).await(WAIT, TimeUnit.SECONDS); // hangs until interrupted
            }
            return "answer " + attempt;
        };
        MethodPolicies<Blocking> policies = MethodPlan.builder("Service.read").hedge().hedgeDelay(Duration.ZERO).hedgeMaxAttempts(8)
                .bulkhead().maxConcurrent(8)
                .breaker("read", BreakerSpec.builder().failureThreshold(4).build())
                .build().over(context, delegate);
        for (int round = 0; round < 30; round++) {
            CyclicBarrier together = new CyclicBarrier(8);
            AtomicInteger attempts = new AtomicInteger();
            String value = policies.call(service -> {
                int attempt = attempts.incrementAndGet();
                together.await(WAIT, TimeUnit.SECONDS);
                return service.read(attempt);
            }, null);
            assertTrue(value.startsWith("answer "), value);
            ended.await(8); // every loser has ended, and so given its slot back
            assertEquals(CircuitBreaker.State.CLOSED, context.breaker("read").state(), "round " + round);
        }
    }

    /**
     * Eight threads make 100 hedged calls each at once, every first attempt failing: the hedges
     * drawn on the shared budget never exceed its ratio of the calls, and each call ends with its
     * hedge's value or, refused, with its first failure.
     */
    @Test
    void racingCallsNeverOverdrawTheirSharedBudget() throws Exception {
        ResilienceContext shared = ResilienceContext.builder().time(time).listener(recorder).build();
        MethodPolicies<Service> policies = hedged(2).retryBudget("fleet").ratio(0.5).minPerSecond(0).build()
                .over(shared, attempt -> attempt == 1
                        ? CompletableFuture.failedFuture(new IOException("first"))
                        : CompletableFuture.completedFuture("hedged"));
        CyclicBarrier start = new CyclicBarrier(8);
        AtomicInteger hedgedValues = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(threads.submit(() -> {
                    start.await(WAIT, TimeUnit.SECONDS);
                    for (int i = 0; i < 100; i++) {
                        AtomicInteger attempt = new AtomicInteger();
                        CompletableFuture<String> call = policies.callAsync(service -> service.read(attempt.incrementAndGet()), null);
                        String outcome = call.handle((value, failure) -> value != null ? value : failure.getMessage()).join();
                        (outcome.equals("hedged") ? hedgedValues : refused).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> thread : done) {
                thread.get(WAIT, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(800, hedgedValues.get() + refused.get());
        assertEquals(hedgedValues.get(), recorder.events("hedge").size());
        assertEquals(refused.get(), recorder.events("budget exhausted").size());
        assertTrue(hedgedValues.get() <= 400, "at most ratio x calls: " + hedgedValues.get());
        assertTrue(hedgedValues.get() >= 390, "the budget is spent, not refused early: " + hedgedValues.get());
    }

    /** README: attempt n is one pass over the delegates starting at delegate (n − 1) mod the number of delegates. */
    @Test
    void underFailoverAttemptNStartsItsPassAtDelegateNMinusOneModTheirNumber() {
        List<String> reached = new ArrayList<>();
        IOException last = new IOException("last");
        List<Service> delegates = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            delegates.add(attempt -> {
                reached.add(name);
                return CompletableFuture.failedFuture(reached.size() == 15 ? last : new IOException(name));
            });
        }
        MethodPolicies<Service> policies = hedged(5).build().over(context, delegates);
        CompletableFuture<String> call = policies.callAsync(service -> service.read(0), null);
        assertSame(last, assertThrows(CompletionException.class, call::join).getCause(), "every attempt failed: the last failure");
        assertEquals(List.of("a", "b", "c", "b", "c", "a", "c", "a", "b", "a", "b", "c", "b", "c", "a"), reached,
                "attempts 1 to 5 start at delegates 0, 1, 2, 0, 1; each failure moves on to the next delegate");
    }

    /** README: a hedge every breaker refuses is not started, and the attempts in flight finish the race. */
    @Test
    void aHedgeRefusedByAnOpenBreakerLeavesTheAttemptInFlightToFinishTheRace() {
        Stages delegate = new Stages(2);
        MethodPolicies<Service> policies = hedged(2).breaker("read", BreakerSpec.builder().build()).build().over(context, delegate);
        CompletableFuture<String> call = async(policies);
        context.breaker("read").forceOpen();
        time.advance(DELAY);
        assertEquals(1, delegate.calls.get(), "no hedge through an open breaker");
        assertFalse(call.isDone(), "the first attempt is still in flight");
        delegate.stages.get(0).complete("slow but only");
        assertEquals("slow but only", call.join());
    }

    @Test
    void onceTheLastAttemptHasStartedNoTimerIsLeftQueued() {
        Stages delegate = new Stages(2);
        MethodPolicies<Service> policies = hedged(2).build().over(context, delegate);
        CompletableFuture<String> call = async(policies);
        assertEquals(1, time.pendingTasks(), "the delay before attempt 2");
        time.advance(DELAY);
        assertEquals(2, delegate.calls.get());
        assertEquals(0, time.pendingTasks(), "maxAttempts reached: no further delay armed");
        delegate.stages.get(1).complete("second");
        assertEquals("second", call.join());
    }
}
