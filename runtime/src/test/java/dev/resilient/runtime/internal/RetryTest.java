package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.BulkheadFullException;
import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.ResilienceListener;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryTest {
    private final ManualTime time = new ManualTime();
    private final List<String> events = new ArrayList<>();
    private final ResilienceListener listener = new ResilienceListener() {
        @Override
        public void onRetry(String method, int attempt, Throwable failure, Duration wait) {
            events.add(method + " retry after attempt " + attempt + " in " + wait);
        }

        @Override
        public void onRetriesExhausted(String method, int attempts, Throwable failure) {
            events.add(method + " exhausted after " + attempts);
        }
    };

    private Retry retry(RetrySpec.Builder spec) {
        ResilienceContext context = ResilienceContext.builder().time(time).listener(listener).random(new SplittableRandom(7)).build();
        return Retry.create(context, "C.m", spec.build());
    }

    /** Runs the generated loop's decisions for a delegate that always fails; returns attempts made. */
    private static int attemptsUntilGivingUp(Retry retry, Throwable failure) {
        long start = retry.start();
        int attempt = 1;
        while (retry.retry(failure, attempt, start)) {
            attempt++;
        }
        return attempt;
    }

    @Test
    void exponentialWaitsCappedWithNoWaitAfterTheLastAttempt() {
        Retry retry = retry(RetrySpec.builder().maxAttempts(5).delay(Duration.ofMillis(100)).multiplier(3.0)
                .maxDelay(Duration.ofMillis(500)));
        assertEquals(5, attemptsUntilGivingUp(retry, new IOException()));
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofMillis(500)),
                time.sleeps());
        assertEquals("C.m exhausted after 5", events.get(events.size() - 1));
        assertEquals("C.m retry after attempt 1 in PT0.1S", events.get(0));
    }

    @Test
    void fullJitterDrawsWithinZeroAndTheWait() {
        Retry retry = retry(RetrySpec.builder().maxAttempts(200).delay(Duration.ofMillis(100)).multiplier(1.0)
                .jitter(RetrySpec.Jitter.FULL));
        attemptsUntilGivingUp(retry, new IOException());
        assertTrue(time.sleeps().stream().allMatch(d -> !d.isNegative() && d.compareTo(Duration.ofMillis(100)) <= 0));
        assertTrue(time.sleeps().stream().distinct().count() > 100, "draws vary");
        assertTrue(time.sleeps().stream().anyMatch(d -> d.compareTo(Duration.ofMillis(50)) < 0));
    }

    @Test
    void equalJitterDrawsWithinHalfAndTheWait() {
        Retry retry = retry(RetrySpec.builder().maxAttempts(200).delay(Duration.ofMillis(100)).multiplier(1.0)
                .jitter(RetrySpec.Jitter.EQUAL));
        attemptsUntilGivingUp(retry, new IOException());
        assertTrue(time.sleeps().stream().allMatch(d -> d.compareTo(Duration.ofMillis(50)) >= 0
                && d.compareTo(Duration.ofMillis(100)) <= 0));
        assertTrue(time.sleeps().stream().distinct().count() > 100, "draws vary");
    }

    @Test
    void jitterIsReproducibleFromTheContextsRandom() {
        RetrySpec.Builder spec = RetrySpec.builder().maxAttempts(10).jitter(RetrySpec.Jitter.FULL);
        attemptsUntilGivingUp(retry(spec), new IOException());
        List<Duration> first = time.sleeps();
        attemptsUntilGivingUp(retry(spec), new IOException());
        assertEquals(first, time.sleeps().subList(first.size(), 2 * first.size()));
    }

    @Test
    void noWaitBeginsThatWouldEndPastTheBudget() {
        Retry retry = retry(RetrySpec.builder().maxAttempts(10).delay(Duration.ofMillis(100)).multiplier(2.0)
                .maxDuration(Duration.ofMillis(700)));
        assertEquals(4, attemptsUntilGivingUp(retry, new IOException()));
        // 100 + 200 + 400 = 700 ends exactly at the budget; the next wait (800ms) would end past it.
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400)), time.sleeps());
        assertEquals("C.m exhausted after 4", events.get(events.size() - 1));
    }

    @Test
    void budgetCountsTimeSpentInAttempts() {
        Retry retry = retry(RetrySpec.builder().maxAttempts(10).delay(Duration.ofMillis(100)).multiplier(1.0)
                .maxDuration(Duration.ofMillis(250)));
        long start = retry.start();
        time.advance(Duration.ofMillis(120)); // a slow first attempt
        assertTrue(retry.retry(new IOException(), 1, start)); // 120 + 100 <= 250
        time.advance(Duration.ofMillis(10));
        assertFalse(retry.retry(new IOException(), 2, start)); // 230 + 100 > 250
    }

    @Test
    void classificationAbortOnWinsAndSomeFailuresAreNeverRetried() {
        Retry retry = retry(RetrySpec.builder().retryOn(IOException.class, IllegalStateException.class)
                .abortOn(FileNotFoundException.class));
        assertTrue(retry.retry(new IOException(), 1, 0));
        assertFalse(retry.retry(new FileNotFoundException(), 1, 0));
        assertFalse(retry.retry(new IllegalArgumentException(), 1, 0));
        Retry everything = retry(RetrySpec.builder().retryOn(Throwable.class));
        assertFalse(everything.retry(new CircuitOpenException("b", CircuitBreaker.State.OPEN, 1, null), 1, 0));
        assertFalse(everything.retry(new BulkheadFullException("full"), 1, 0));
        assertTrue(everything.retry(new AssertionError(), 1, 0), "retryOn Throwable covers errors");
    }

    @Test
    void delegateInterruptedStopsAndSetsTheFlag() {
        Retry retry = retry(RetrySpec.builder().retryOn(Throwable.class));
        try {
            assertFalse(retry.retry(new InterruptedException(), 1, 0));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals(List.of(), time.sleeps());
    }

    @Test
    void interruptedWaitStopsAndKeepsTheFlag() {
        Retry retry = retry(RetrySpec.builder());
        Thread.currentThread().interrupt();
        try {
            assertFalse(retry.retry(new IOException(), 1, 0));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aThrowingListenerNeverChangesTheDecision() {
        ResilienceContext context = ResilienceContext.builder().time(time).listener(new ResilienceListener() {
            @Override
            public void onRetry(String method, int attempt, Throwable failure, Duration wait) {
                throw new IllegalStateException("listener bug");
            }
        }).build();
        Retry retry = Retry.create(context, "C.m", RetrySpec.builder().build());
        try (CapturedLog log = new CapturedLog()) {
            assertTrue(retry.retry(new IOException(), 1, 0));
            assertTrue(retry.retry(new IOException(), 2, 0));
            assertEquals(1, log.records().size(), "logged once: " + log.messages());
        }
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), time.sleeps());
    }

    @Test
    void theInlineLoopGetsTheFailureBackAfterTheWaitAndTheSameFailureThrownWhenRetryingEnds() {
        Retry retry = retry(RetrySpec.builder().maxAttempts(2).delay(Duration.ofMillis(100)).abortOn(FileNotFoundException.class));
        IOException failure = new IOException("checked, thrown undeclared");
        long start = retry.start();
        assertSame(failure, retry.retryOrThrow(failure, 1, start));
        assertEquals(List.of(Duration.ofMillis(100)), time.sleeps());
        assertSame(failure, assertThrows(IOException.class, () -> retry.retryOrThrow(failure, 2, start)), "attempts used up");
        FileNotFoundException aborted = new FileNotFoundException();
        assertSame(aborted, assertThrows(FileNotFoundException.class, () -> retry.retryOrThrow(aborted, 1, start)));
        assertEquals(List.of(Duration.ofMillis(100)), time.sleeps(), "no wait before a failure that is not retried");

        ResilienceContext context = ResilienceContext.builder().time(time).build();
        Breaker breaker = Breaker.declare(context, "b", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofMillis(50)).build());
        Retry throughBreaker = Retry.create(context, "C.m", RetrySpec.builder().maxAttempts(2).delay(Duration.ofMillis(100)).build());
        assertSame(failure, throughBreaker.retryOrThrow(failure, 1, breaker.acquire(null), throughBreaker.start()),
                "the cause of the next attempt's rejection");
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state(), "opened by the failure, and open for less than the wait");
        assertSame(failure, assertThrows(IOException.class,
                () -> throughBreaker.retryOrThrow(failure, 2, breaker.acquire(null), throughBreaker.start())));
    }

    /** Issue #11, case 23: no wait that cannot lead to an attempt. */
    @Test
    void aWaitShorterThanTheOpenCircuitIsNotMadeTheRejectionEndsTheCall() {
        Recorder recorder = new Recorder();
        ResilienceContext context = ResilienceContext.builder().time(time).listener(recorder).build();
        Breaker breaker = Breaker.declare(context, "b", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(1)).build());
        Retry retry = Retry.create(context, "C.m", RetrySpec.builder().delay(Duration.ofMillis(100)).build());
        IOException failure = new IOException("opens it");
        Permit permit = breaker.acquire(null);

        CircuitOpenException ended = assertThrows(CircuitOpenException.class, () -> retry.retry(failure, 1, permit, retry.start()));
        assertSame(failure, ended.getCause());
        assertEquals(Duration.ofSeconds(1), ended.remaining());
        assertEquals(List.of(), time.sleeps(), "no hopeless wait");
        assertEquals(List.of("attempt C.m #1 IOException", "state b CLOSED -> OPEN", "rejected b OPEN"), recorder.events(),
                "the attempt, then the state change it caused; no retry is announced");
    }

    @Test
    void aWaitThatOutlastsTheOpenCircuitIsMadeAndItsAttemptIsATrial() {
        ResilienceContext context = ResilienceContext.builder().time(time).build();
        for (long openFor : new long[] {50, 100}) {
            Breaker breaker = Breaker.declare(context, "b" + openFor, BreakerSpec.builder().failureThreshold(1)
                    .openFor(Duration.ofMillis(openFor)).build());
            Retry retry = Retry.create(context, "C.m", RetrySpec.builder().delay(Duration.ofMillis(100)).build());
            IOException failure = new IOException();
            assertTrue(retry.retry(failure, 1, breaker.acquire(null), retry.start()), "openFor " + openFor + " ms ends within the wait");
            breaker.acquire(failure).succeeded();
            assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        }
    }

    @Test
    void underFailoverTheCallEndsAtOnceOnlyWhenEveryDelegatesBreakerStaysOpen() {
        ResilienceContext context = ResilienceContext.builder().time(time).build();
        IOException down = new IOException("down");
        MethodPolicies.Attempt<Object, String> failing = delegate -> {
            throw down;
        };
        BreakerSpec spec = BreakerSpec.builder().failureThreshold(2).openFor(Duration.ofSeconds(1)).build();
        MethodPolicies<Object> policies = MethodPlan.builder("C.m").retry(RetrySpec.builder().delay(Duration.ofMillis(100)).build())
                .breaker("f", spec).build().over(context, List.of(new Object(), new Object()));

        CircuitOpenException ended = assertThrows(CircuitOpenException.class, () -> policies.call(failing, null));
        assertSame(down, ended.getCause());
        assertEquals(List.of(Duration.ofMillis(100)), time.sleeps(),
                "the first wait is made (both breakers closed); after the second pass both stay open for 1 s, longer than 200 ms");
    }

    /**
     * OpenFeign/feign#624, resilience4j#1856: a caller interrupted while it waits for a timed
     * attempt gets a CancellationException, which was retried (a retry announced, its wait then
     * refused by the interrupt) and moved a failover pass on to the backup, on an interrupted thread.
     */
    @Test
    void aCallerInterruptedWhileItWaitsForATimedAttemptIsNeitherRetriedNorFailedOver() {
        Recorder recorder = new Recorder();
        ResilienceContext context = ResilienceContext.builder().time(time).listener(recorder).build();
        MethodPolicies<Object> policies = MethodPlan.builder("C.m").retry(RetrySpec.builder().maxAttempts(3).build())
                .timeout(Duration.ofHours(1)).build().over(context, List.of(new Object(), new Object()));
        Thread.currentThread().interrupt(); // the caller's wait for the attempt is interrupted at once
        try {
            assertThrows(java.util.concurrent.CancellationException.class, () -> policies.call(delegate -> "unreached", null));
            assertTrue(Thread.currentThread().isInterrupted(), "the caller keeps its interrupt flag");
        } finally {
            Thread.interrupted();
        }
        assertEquals(List.of("failover C.m #1 to 0", "attempt C.m #1 CallerInterrupted"), recorder.events(),
                "no retry announced, no move to the backup");
        assertEquals(List.of(), time.sleeps());
    }

    /** Every other maxDuration test starts its call at time 0, where the start of the call and the clock's origin are one. */
    @Test
    void maxDurationCountsFromTheStartOfTheCallNotFromTheClocksOrigin() {
        time.advance(Duration.ofHours(1));
        Retry retry = retry(RetrySpec.builder().maxAttempts(10).delay(Duration.ofMillis(100)).multiplier(2.0)
                .maxDuration(Duration.ofMillis(700)));
        assertEquals(4, attemptsUntilGivingUp(retry, new IOException()));
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400)), time.sleeps(),
                "100 + 200 + 400 = 700 from the call's start, an hour after the clock's");
    }

    /** CONTRACT: InterruptedException is never retried; an asynchronous attempt's too, which no wait of the thread would stop. */
    @Test
    void anAsynchronousAttemptFailingWithInterruptedExceptionIsNotRetried() {
        ResilienceContext context = ResilienceContext.builder().time(time).listener(listener).build();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        InterruptedException interrupted = new InterruptedException();
        MethodPolicies<Runnable> policies = MethodPlan.builder("C.m").retry(RetrySpec.builder().maxAttempts(3).delay(Duration.ZERO).build())
                .build().over(context, () -> {});
        java.util.concurrent.CompletableFuture<Object> future;
        try {
            future = policies.callAsync(delegate -> {
                calls.incrementAndGet();
                return java.util.concurrent.CompletableFuture.failedFuture(interrupted);
            }, null);
            time.advance(Duration.ofSeconds(1));
        } finally {
            Thread.interrupted(); // the flag the failure's handling set again
        }
        java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class, future::get);
        assertSame(interrupted, failed.getCause());
        assertEquals(1, calls.get(), "no second attempt");
        assertEquals(List.of(), events, "neither a retry nor an exhaustion: retrying stops");
    }

    /**
     * The loop the processor writes out inline for a method with a breaker whose values are judged
     * (README, "Results that are failures"): its calls into Retry, as ParityTest compiles them.
     */
    @Test
    void theInlineLoopRetriesARejectedValueRecordsAFailedOneAndTellsListenersOfEveryAttempt() {
        Recorder recorder = new Recorder();
        ResilienceContext context = ResilienceContext.builder().time(time).listener(recorder).build();
        Retry retry = Retry.create(context, "C.m", RetrySpec.builder().maxAttempts(4).delay(Duration.ofMillis(100)).multiplier(1.0)
                .retryOn(IOException.class).build());
        Breaker breaker = Breaker.declare(context, "b", BreakerSpec.builder().failureThreshold(2).build());
        long start = retry.start();

        assertEquals(null, retry.judged("503", true, true, 1, breaker.acquire(null), start),
                "a rejected value is attempted again after the wait; no failure causes the next rejection");
        assertSame(Retry.ACCEPTED, retry.judged("200", false, false, 2, breaker.acquire(null), start));
        assertEquals(List.of(Duration.ofMillis(100)), time.sleeps());
        assertEquals(List.of("attempt C.m #1 ok", "attempt C.m #2 ok"), recorder.events("attempt"), "values are heard as answers");

        IOException first = new IOException("first");
        assertSame(first, retry.retryOrThrow(first, 1, breaker.acquire(null), start));
        retry.succeeded(2, breaker.acquire(null));
        breaker.acquire(null).failed(new IOException());
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state(), "the success between the failures broke the run of two");

        IOException broken = new IOException("the judge threw");
        CircuitOpenException hopeless = assertThrows(CircuitOpenException.class,
                () -> retry.judgeBroke(broken, 1, breaker.acquire(null), start),
                "the judge's failure counted as the delegate's would: the second in a row opened the breaker, no wait is made");
        assertSame(broken, hopeless.getCause());
        breaker.reset();
        assertSame(broken, retry.judgeBroke(broken, 1, breaker.acquire(null), start), "a retried judge failure, after the wait");
        IllegalStateException notRetried = new IllegalStateException("not in retryOn");
        assertSame(notRetried, assertThrows(IllegalStateException.class, () -> retry.judgeBroke(notRetried, 1, breaker.acquire(null), start)));
        assertEquals(List.of("attempt C.m #1 ok", "attempt C.m #2 ok", "attempt C.m #1 IOException", "attempt C.m #2 ok",
                "attempt C.m #1 ok", "attempt C.m #1 ok", "attempt C.m #1 ok"), recorder.events("attempt"),
                "listeners hear every attempt; one whose judge threw as an answer of the delegate");
    }

    @Test
    void theInlineLoopWithoutABreakerTellsListenersOfEachAttemptAndReturnsTheLastRejectedValue() {
        Recorder recorder = new Recorder();
        ResilienceContext context = ResilienceContext.builder().time(time).listener(recorder).build();
        Retry retry = Retry.create(context, "C.m", RetrySpec.builder().maxAttempts(4).delay(Duration.ZERO).build());
        long start = retry.start();
        assertTrue(retry.retry(new IOException(), 1, start));
        assertEquals(null, retry.judged("503", true, 2, start));
        IOException broken = new IOException("the judge threw");
        assertSame(broken, retry.judgeBroke(broken, 3, start), "a judge's failure is retried as the delegate's would be");
        assertSame(Retry.ACCEPTED, retry.judged("503", true, 4, start), "attempts used up on a rejected value: the caller gets it");
        retry.succeeded(5);
        assertEquals(List.of("attempt C.m #1 IOException", "attempt C.m #2 ok", "attempt C.m #3 ok", "attempt C.m #4 ok",
                "attempt C.m #5 ok"), recorder.events("attempt"));
    }

    /** CONTRACT: timers that a call cancels leave nothing queued. */
    @Test
    void cancellingAnAsynchronousCallDuringItsWaitLeavesNothingQueued() {
        ResilienceContext context = ResilienceContext.builder().time(time).listener(listener).build();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        MethodPolicies<Runnable> policies = MethodPlan.builder("C.m").retry(RetrySpec.builder().maxAttempts(3).delay(Duration.ofSeconds(1))
                .build()).build().over(context, () -> {});
        java.util.concurrent.CompletableFuture<Object> future = policies.callAsync(delegate -> {
            calls.incrementAndGet();
            return java.util.concurrent.CompletableFuture.failedFuture(new IOException());
        }, null);
        assertEquals(1, time.pendingTasks(), "the wait before attempt 2");
        future.cancel(true);
        assertEquals(0, time.pendingTasks(), "the cancelled call's wait is no longer queued");
        time.advance(Duration.ofSeconds(5));
        assertEquals(1, calls.get());
    }

    /** CONTRACT, failover: without a @Retryable any Exception moves on to the next delegate; an Error ends the call. */
    @Test
    void withoutARetryableAnErrorEndsAFailoverPassWhereAnExceptionMovesOn() {
        ResilienceContext context = ResilienceContext.builder().time(time).build();
        List<String> reached = new ArrayList<>();
        AssertionError error = new AssertionError("not an Exception");
        MethodPolicies<String> policies = MethodPlan.builder("C.m").build().over(context, List.of("primary", "backup"));
        assertSame(error, assertThrows(AssertionError.class, () -> policies.<String>call(delegate -> {
            reached.add(delegate);
            throw error;
        }, null)));
        assertEquals(List.of("primary"), reached);
        assertEquals("backup", policies.<String>call(delegate -> {
            if (delegate.equals("primary")) {
                throw new IOException();
            }
            return delegate;
        }, null));
    }

    @Test
    void aSpecBreakingARuleBetweenAttributesIsRefusedWhenBuilt() {
        assertThrows(IllegalArgumentException.class,
                () -> RetrySpec.builder().delay(Duration.ofSeconds(2)).maxDelay(Duration.ofSeconds(1)).build(), "maxDelay below delay");
    }
}
