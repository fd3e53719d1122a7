package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.AttemptTimeoutException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @Hedge} against gRPC's hedging design
 * (<a href="https://github.com/grpc/proposal/blob/master/A6-client-retries.md#hedging-policy">gRFC A6,
 * Hedging policy</a>) and the bugs grpc-java and gRPC core hit implementing it: hedges the retry
 * budget refuses (A6's throttling), per-attempt timeouts on the last attempt, a race won while a
 * hedge is still starting, and a hedge's timer that fires once the race is over.
 */
class PeerGrpcHedgeTest {
    private static final Duration DELAY = Duration.ofMillis(100);
    private static final long WAIT = 10;

    private final ManualTime time = new ManualTime();
    private final Recorder recorder = new Recorder();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ResilienceContext context = ResilienceContext.builder().time(time).executor(executor).listener(recorder).build();

    interface Service {
        CompletionStage<String> read();
    }

    interface Blocking {
        String read() throws IOException;
    }

    @AfterEach
    void stopThreads() {
        executor.shutdownNow();
    }

    /** An asynchronous delegate whose n-th call returns {@code stages.get(n - 1)}, made up front, or what {@code answer} makes of it. */
    private static final class Stages implements Service {
        final List<CompletableFuture<String>> stages = new ArrayList<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile Function<Integer, CompletableFuture<String>> answer = number -> null;

        Stages(int count) {
            for (int i = 0; i < count; i++) {
                stages.add(new CompletableFuture<>());
            }
        }

        @Override
        public CompletionStage<String> read() {
            int number = calls.incrementAndGet();
            CompletableFuture<String> answered = answer.apply(number);
            return answered != null ? answered : stages.get(number - 1);
        }
    }

    private static MethodPlan.Builder hedged(int maxAttempts) {
        return MethodPlan.builder("Service.read").hedge().hedgeDelay(DELAY).hedgeMaxAttempts(maxAttempts);
    }

    /** A budget that allows no retry, nor any hedge, ever. */
    private static MethodPlan.Builder refusingEveryHedge(MethodPlan.Builder plan) {
        return plan.retryBudget("reads").ratio(0).minPerSecond(0);
    }

    /**
     * <a href="https://github.com/grpc/grpc-java/issues/7222">grpc/grpc-java#7222</a>, fixed by
     * <a href="https://github.com/grpc/grpc-java/pull/7337">#7337</a>: when the only hedged attempt
     * failed and throttling refused the next, the call hung until its deadline. A6 says the
     * failure is then returned to the application. We promise that the failed attempt asks for the
     * next at once, the budget refuses it without a wait, and with nothing else in flight the
     * caller gets that failure itself at once: no clock has to move.
     */
    @Test
    void anAsynchronousHedgeRefusedAfterTheOnlyAttemptFailedEndsTheCallAtOnce() {
        Stages delegate = new Stages(2);
        MethodPolicies<Service> policies = refusingEveryHedge(hedged(3)).build().over(context, delegate);
        CompletableFuture<String> call = policies.callAsync(Service::read, null);
        IOException unavailable = new IOException("unavailable");

        delegate.stages.get(0).completeExceptionally(unavailable);

        assertTrue(call.isDone(), "the call ended with the refusal, without waiting for a delay or a deadline");
        assertSame(unavailable, assertThrows(CompletionException.class, call::join).getCause());
        assertEquals(1, delegate.calls.get());
        assertEquals(List.of("attempt Service.read #1 IOException", "budget exhausted Service.read reads"), recorder.events());
        assertEquals(0, time.pendingTasks(), "the delay's timer was dropped");
    }

    /** The same for a synchronous hedge, whose attempts end on the executor while the caller waits for the race. */
    @Test
    void aSynchronousHedgeRefusedAfterTheOnlyAttemptFailedEndsTheCallAtOnce() throws Exception {
        IOException unavailable = new IOException("unavailable");
        AtomicInteger calls = new AtomicInteger();
        Blocking delegate = () -> {
            calls.incrementAndGet();
            throw unavailable;
        };
        MethodPolicies<Blocking> policies = refusingEveryHedge(hedged(3)).build().over(context, delegate);

        CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> policies.<String>call(Blocking::read, null), executor);

        ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(WAIT, TimeUnit.SECONDS),
                "no clock moved: the refusal alone ended the call");
        assertSame(unavailable, failed.getCause());
        assertEquals(1, calls.get());
        assertEquals(List.of("budget exhausted Service.read reads"), recorder.events("budget"));
    }

    /**
     * A6, <a href="https://github.com/grpc/proposal/blob/master/A6-client-retries.md#throttling-retry-attempts-and-hedged-rpcs">Throttling</a>:
     * a hedge the throttle refuses is cancelled, and the failure reaches the application only once
     * no hedge already sent is left. We promise that a hedge refused at its delay is never made,
     * the attempt in flight finishes the race, and when it then fails the call ends with its failure
     * at once: the refusal has stopped further hedges, so none is asked for again.
     */
    @Test
    void aHedgeRefusedAtItsDelayLeavesTheRaceToTheAttemptInFlightAndItsFailureEndsTheCall() {
        Stages delegate = new Stages(3);
        MethodPolicies<Service> policies = refusingEveryHedge(hedged(3)).build().over(context, delegate);
        CompletableFuture<String> call = policies.callAsync(Service::read, null);

        time.advance(DELAY);
        assertEquals(1, delegate.calls.get(), "the hedge was refused");
        assertFalse(call.isDone(), "the first attempt still runs, and may still win");

        IOException last = new IOException("the only attempt failed");
        delegate.stages.get(0).completeExceptionally(last);
        assertSame(last, assertThrows(CompletionException.class, call::join).getCause());
        assertEquals(1, delegate.calls.get(), "no hedge followed the failure");
        assertEquals(List.of("budget exhausted Service.read reads"), recorder.events("budget"), "asked once, not again after the failure");
        time.advance(Duration.ofHours(1));
        assertEquals(1, delegate.calls.get());
    }

    /**
     * A6, <a href="https://github.com/grpc/proposal/blob/master/A6-client-retries.md#hedging-policy">Hedging
     * policy</a>: with {@code maxAttempts = 4} there is one attempt outstanding at first, two after one
     * delay, three after two, four after three, and never a fifth. We promise the same schedule, and
     * that no timer is left armed once the last attempt has started.
     */
    @Test
    void attemptsStartOneDelayApartUpToMaxAttemptsAndNoTimerOutlivesTheLast() {
        Stages delegate = new Stages(4);
        MethodPolicies<Service> policies = hedged(4).build().over(context, delegate);
        CompletableFuture<String> call = policies.callAsync(Service::read, null);
        List<Integer> outstanding = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            outstanding.add(delegate.calls.get());
            time.advance(DELAY);
        }
        assertEquals(List.of(1, 2, 3, 4, 4), outstanding);
        assertEquals(0, time.pendingTasks(), "no delay armed after the fourth attempt");
        delegate.stages.get(2).complete("third");
        assertEquals("third", call.join());
        assertEquals(List.of(true, true, false, true), delegate.stages.stream().map(CompletableFuture::isCancelled).toList());
    }

    /**
     * <a href="https://github.com/grpc/grpc/pull/26737">grpc/grpc#26737</a> (known issue
     * <a href="https://github.com/grpc/grpc/issues/26595">#26595</a>): the per-attempt timeout of the
     * last attempt was mishandled. Under A6 a timed-out attempt is a failure, which starts the next
     * at once. We promise that with a {@code @Timeout} shorter than the delay each timeout starts the
     * next attempt at once, the last one's timeout ends the call with its
     * {@link AttemptTimeoutException}, every stage is cancelled and no timer is left.
     */
    @Test
    void whenEveryAttemptTimesOutTheLastTimeoutEndsTheCallAndLeavesNoTimer() {
        Stages delegate = new Stages(2);
        MethodPolicies<Service> policies = hedged(2).timeout(Duration.ofMillis(30)).build().over(context, delegate);
        CompletableFuture<String> call = policies.callAsync(Service::read, null);

        time.advance(Duration.ofMillis(30));
        assertEquals(2, delegate.calls.get(), "the timeout started the hedge at once, before the delay");
        assertFalse(call.isDone());
        time.advance(Duration.ofMillis(30));

        assertTrue(call.isDone(), "the last attempt's timeout ended the call");
        assertInstanceOf(AttemptTimeoutException.class, assertThrows(CompletionException.class, call::join).getCause());
        assertTrue(delegate.stages.stream().allMatch(CompletableFuture::isCancelled), "each timed-out stage was cancelled");
        assertEquals(0, time.pendingTasks(), "neither a deadline nor a delay is left queued");
        assertEquals(List.of("timeout Service.read 30ms", "attempt Service.read #1 AttemptTimeoutException", "hedge Service.read #2",
                "timeout Service.read 30ms", "attempt Service.read #2 AttemptTimeoutException"), recorder.events());
    }

    /**
     * <a href="https://github.com/grpc/grpc-java/issues/9185">grpc/grpc-java#9185</a>, fixed by
     * <a href="https://github.com/grpc/grpc-java/pull/10007">#10007</a>: one hedge committed while
     * another was still starting; the starting one was never counted as finished, and the call hung
     * (or threw a {@code NullPointerException}). Here the second attempt's delegate, while it is
     * being called, completes the first attempt's stage: the first wins while the second starts.
     * We promise that the call has the winner's value, the starting attempt's stage is cancelled as
     * soon as it is returned, and both bulkhead slots are free again.
     */
    @Test
    void anAttemptThatWinsWhileAHedgeIsStartingEndsTheCallAndTheStartingOneIsCancelled() {
        Stages delegate = new Stages(2);
        delegate.answer = number -> {
            if (number == 2) {
                delegate.stages.get(0).complete("first"); // the race is won inside the second attempt's start
            }
            return null;
        };
        MethodPolicies<Service> policies = hedged(2).bulkhead().maxConcurrent(2).build().over(context, delegate);
        CompletableFuture<String> call = policies.callAsync(Service::read, null);

        time.advance(DELAY);

        assertEquals("first", call.join());
        assertTrue(delegate.stages.get(1).isCancelled(), "the stage returned after the race ended was cancelled");
        assertEquals(List.of("hedge Service.read #2", "attempt Service.read #1 ok", "attempt Service.read #2 CancellationException"),
                recorder.events());

        Stages next = new Stages(2);
        delegate.answer = number -> next.stages.get(number - 3);
        CompletableFuture<String> again = policies.callAsync(Service::read, null);
        time.advance(DELAY);
        assertEquals(4, delegate.calls.get(), "both slots were free: the next call's two attempts entered");
        next.stages.get(1).complete("again");
        assertEquals("again", again.join());
    }

    /**
     * <a href="https://github.com/grpc/grpc/issues/34844">grpc/grpc#34844</a>, fixed by
     * <a href="https://github.com/grpc/grpc/pull/35729">#35729</a>, for retries: a timer that had
     * already fired when the call ended still started a new attempt. A hedge's delay is such a
     * timer. Here it fires only after the race was won, and in a second call only after the caller
     * cancelled. We promise that neither starts a hedge: no delegate call and no {@code onHedge}.
     */
    @Test
    void aHedgeTimerThatFiresAfterTheRaceEndedStartsNoAttempt() {
        try (PeerGrpcRetryTest.FiredTimers timers = new PeerGrpcRetryTest.FiredTimers()) {
            Recorder events = new Recorder();
            ResilienceContext onTimers = ResilienceContext.builder().scheduler(timers).executor(Runnable::run).listener(events).build();
            Stages delegate = new Stages(2);
            MethodPolicies<Service> policies = hedged(3).build().over(onTimers, delegate);

            CompletableFuture<String> won = policies.callAsync(Service::read, null);
            assertEquals(1, timers.fired.size(), "the delay is armed");
            delegate.stages.get(0).complete("first");
            assertEquals("first", won.join());
            timers.fireAll(); // fired as the race was won: too late to be cancelled

            CompletableFuture<String> cancelled = policies.callAsync(Service::read, null);
            cancelled.cancel(false);
            assertTrue(delegate.stages.get(1).isCancelled());
            timers.fireAll();

            assertEquals(2, delegate.calls.get(), "one attempt per call, none from a late timer");
            assertEquals(List.of(), events.events("hedge"));
        }
    }

    /**
     * <a href="https://github.com/grpc/grpc/pull/25890">grpc/grpc#25890</a> (cancel the retry timer
     * on call cancellation), for a hedge's delay: we promise that a race that ends, won or cancelled
     * by its caller, takes its delay's timer off a user's scheduler, though that scheduler keeps
     * cancelled tasks queued (the JDK's default).
     */
    @Test
    void theDelayOfARaceThatEndedLeavesNothingQueuedOnAUsersScheduler() {
        java.util.concurrent.ScheduledThreadPoolExecutor scheduler = new java.util.concurrent.ScheduledThreadPoolExecutor(1);
        try {
            assertFalse(scheduler.getRemoveOnCancelPolicy(), "the JDK's default: cancelled tasks stay queued");
            ResilienceContext onScheduler = ResilienceContext.builder().scheduler(scheduler).build();
            Stages delegate = new Stages(1000);
            MethodPolicies<Service> policies = MethodPlan.builder("Service.read").hedge().hedgeDelay(Duration.ofHours(1))
                    .hedgeMaxAttempts(2).build().over(onScheduler, delegate);
            for (int i = 0; i < 1000; i += 2) {
                CompletableFuture<String> won = policies.callAsync(Service::read, null);
                assertEquals(1, scheduler.getQueue().size(), "the hour's delay is armed");
                delegate.stages.get(i).complete("first");
                assertEquals("first", won.join());
                assertEquals(0, scheduler.getQueue().size(), "and gone once the race is won");

                CompletableFuture<String> cancelled = policies.callAsync(Service::read, null);
                cancelled.cancel(false);
                assertEquals(0, scheduler.getQueue().size(), "and gone with a cancelled call");
            }
            assertEquals(1000, delegate.calls.get(), "one attempt per call");
        } finally {
            scheduler.shutdownNow();
        }
    }

    /**
     * A6, <a href="https://github.com/grpc/proposal/blob/master/A6-client-retries.md#transparent-retries">Transparent
     * retries</a>: an attempt that never reached the server does not count for throttling. Our
     * nearest case: a HALF_OPEN breaker whose only trial call is the first attempt. The hedge at the
     * delay cannot pass it, but the no-hopeless-hedge check looks only at the time left OPEN (none
     * in HALF_OPEN), so the hedge is announced and drawn from the budget before the breaker rejects
     * it. The first attempt still finishes the race. Pinned as we behave; whether "every breaker is
     * open" covers a HALF_OPEN breaker with no trial left is a question for the contract.
     */
    @Test
    void aHedgeThatMeetsAHalfOpenBreakerWithNoTrialLeftIsAnnouncedAndDrawnThenRejected() {
        Stages delegate = new Stages(3);
        MethodPolicies<Service> policies = hedged(2)
                .breaker("read", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(1)).halfOpenCalls(1).build())
                .retryBudget("reads").ratio(0).minPerSecond(1).budgetWindow(Duration.ofSeconds(1)).build().over(context, delegate);
        delegate.stages.get(0).completeExceptionally(new IOException("opens the breaker"));
        assertThrows(CompletionException.class, policies.callAsync(Service::read, null)::join);
        time.advance(Duration.ofSeconds(1));
        assertEquals(dev.resilient.runtime.CircuitBreaker.State.HALF_OPEN, context.breaker("read").state());
        recorder.clear();

        CompletableFuture<String> trial = policies.callAsync(Service::read, null);
        time.advance(DELAY);
        assertEquals(2, delegate.calls.get(), "the hedge never reached the delegate");
        assertEquals(List.of("hedge Service.read #2"), recorder.events("hedge"), "announced");
        assertEquals(List.of("rejected read HALF_OPEN"), recorder.events("rejected"), "then rejected by the breaker");
        delegate.stages.get(1).complete("trial");
        assertEquals("trial", trial.join());

        Stages other = new Stages(2);
        MethodPolicies<Service> sharing = MethodPlan.builder("Service.other").hedge().hedgeDelay(DELAY)
                .retryBudget("reads").ratio(0).minPerSecond(1).budgetWindow(Duration.ofSeconds(1)).build().over(context, other);
        CompletableFuture<String> next = sharing.callAsync(Service::read, null);
        time.advance(DELAY);
        assertEquals(1, other.calls.get(), "the rejected hedge spent the budget's one hedge in its window");
        other.stages.get(0).complete("done");
        assertEquals("done", next.join());
    }
}
