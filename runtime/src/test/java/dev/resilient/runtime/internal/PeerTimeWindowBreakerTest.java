package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.resilient.runtime.CircuitBreaker.State;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code @Breaker(windowDuration = ...)}, the time-window rate mode, and slow calls, against bug
 * reports of peer libraries (Resilience4j's {@code TIME_BASED} sliding window, Armeria's
 * {@code SlidingWindowCounter}, Semian, Vert.x, Dropwizard Metrics). {@link PeerBreakerTest} has
 * the cases that hold for every mode.
 */
class PeerTimeWindowBreakerTest {
    private final ManualTime time = new ManualTime();
    private final ResilienceContext context = ResilienceContext.builder().time(time).build();

    private Breaker breaker(BreakerSpec.Builder spec) {
        return Breaker.declare(context, "b", spec.build());
    }

    private static void fail(Breaker breaker) {
        breaker.acquire(null).failed(new IOException("down"));
    }

    private static void succeed(Breaker breaker) {
        breaker.acquire(null).succeeded();
    }

    /**
     * Armeria's line/armeria#2761: when an event moved its {@code SlidingWindowCounter} on to a new
     * bucket, the counts it returned left that event out, so the failure that reached the rate did
     * not open the breaker. Our contract: the decision is taken after every recorded outcome, on
     * the window that holds it: the outcome that begins a new tenth counts in its own decision.
     */
    @Test
    void theOutcomeThatBeginsANewBucketCountsInTheDecisionItTriggers() {
        Breaker breaker = breaker(BreakerSpec.builder().windowDuration(Duration.ofSeconds(10)).minimumCalls(3).failureRate(0.5));
        time.advance(Duration.ofMillis(200));
        succeed(breaker);
        time.advance(Duration.ofMillis(200));
        fail(breaker);
        assertEquals(State.CLOSED, breaker.state(), "2 calls of 3 needed");
        time.advance(Duration.ofMillis(700)); // 1.1s: the first outcome of the second tenth
        fail(breaker);
        assertEquals(State.OPEN, breaker.state(), "2 failures of 3 calls, the last one included");
    }

    /**
     * Shopify's Shopify/semian#24 (sparse errors opened the circuit: each new error stretched the
     * window, so it never slid) and vert-x3/vertx-circuit-breaker#24 (failures never counted down:
     * one failure could trip a breaker that had seen none for days). Our contract: only the calls
     * of the last {@code windowDuration} count. Failures spread wider than the window never add up,
     * however long they go on with no success between them.
     */
    @Test
    void failuresSpreadWiderThanTheWindowNeverAddUp() {
        Breaker breaker = breaker(BreakerSpec.builder().windowDuration(Duration.ofSeconds(5)).minimumCalls(3).failureRate(1.0));
        for (int i = 0; i < 240; i++) { // one failure every 2.5s for 10 minutes
            fail(breaker);
            assertEquals(State.CLOSED, breaker.state(), "failure " + (i + 1) + ": at most 2 in any 5s");
            time.advance(Duration.ofMillis(2500));
        }
        time.advance(Duration.ofDays(3));
        fail(breaker);
        fail(breaker);
        assertEquals(State.CLOSED, breaker.state(), "days later, the failures of before have all left");
        fail(breaker);
        assertEquals(State.OPEN, breaker.state(), "3 failures within 5s");
    }

    /**
     * Resilience4j's resilience4j/resilience4j#842 (a {@code TIME_BASED} breaker opened after 5
     * calls in 2s, before its 20s window had passed, which the reporter took for a bug) and #1443
     * (with 100 {@code minimumNumberOfCalls} in a 2s window it never opened, all calls failing).
     * Our contract: the decision is taken after every outcome once {@code minimumCalls} calls are
     * in the window, without waiting for a whole window, and only the calls in the window count
     * towards {@code minimumCalls}.
     */
    @Test
    void minimumCallsCountsOnlyTheCallsInTheWindowAndDecidesWithoutWaitingForAWholeWindow() {
        Breaker early = Breaker.declare(context, "early", BreakerSpec.builder().windowDuration(Duration.ofSeconds(20)).minimumCalls(5)
                .failureRate(1.0).build());
        for (int i = 0; i < 4; i++) {
            fail(early);
            time.advance(Duration.ofMillis(400));
        }
        assertEquals(State.CLOSED, early.state());
        fail(early);
        assertEquals(State.OPEN, early.state(), "the fifth failure, 1.6s into a 20s window");

        Breaker sparse = Breaker.declare(context, "sparse", BreakerSpec.builder().windowDuration(Duration.ofSeconds(2))
                .minimumCalls(100).failureRate(1.0).build());
        for (int i = 0; i < 1000; i++) { // 40 failures a second for 25s: at most 80 in the window
            fail(sparse);
            time.advance(Duration.ofMillis(25));
        }
        assertEquals(State.CLOSED, sparse.state(), "1000 failures, never 100 in one window");
        int burst = 0;
        while (sparse.state() == State.CLOSED && burst < 100) {
            fail(sparse);
            burst++;
        }
        assertEquals(State.OPEN, sparse.state());
        assertEquals(28, burst, "the window of 23.2s to 25.2s held the last 72 failures: 28 more make 100");
    }

    /**
     * Resilience4j's resilience4j/resilience4j#547 (after HALF_OPEN closed the breaker, the calls
     * recorded while it was half-open were still counted, so the next peak found it almost at the
     * threshold). Our README: each time the breaker closes, its window starts
     * empty. One failure after closing, within {@code windowDuration} of the failures that opened
     * it, decides nothing, and neither does the successful trial dilute the next decisions.
     */
    @Test
    void aTimeWindowStartsEmptyEachTimeTheBreakerCloses() {
        Breaker breaker = breaker(BreakerSpec.builder().windowDuration(Duration.ofMinutes(1)).minimumCalls(4).failureRate(0.5)
                .openFor(Duration.ofSeconds(1)));
        succeed(breaker);
        fail(breaker);
        fail(breaker);
        succeed(breaker);
        assertEquals(State.OPEN, breaker.state());
        time.advance(Duration.ofSeconds(1));
        succeed(breaker); // the trial
        assertEquals(State.CLOSED, breaker.state());
        fail(breaker);
        assertEquals(State.CLOSED, breaker.state(), "1 call in the fresh window, 4 needed; with the old ones, 3 failures of 5");
        succeed(breaker);
        succeed(breaker);
        assertEquals(State.CLOSED, breaker.state());
        fail(breaker);
        assertEquals(State.OPEN, breaker.state(), "2 failures of 4 since closing: the trial is not one of them");
    }

    /**
     * Resilience4j's resilience4j/resilience4j#597 (HALF_OPEN counted its trials in the
     * {@code TIME_BASED} window of the closed state; the fix counts them by number). With a time
     * window, trials that outlast it would age out before the last one decides. Our contract: in HALF_OPEN exactly {@code halfOpenCalls} trials decide, all must
     * succeed to close; that holds however long they take compared with {@code windowDuration}.
     */
    @Test
    void trialCallsSpreadOverManyWindowsStillAllCount() {
        Breaker breaker = breaker(BreakerSpec.builder().windowDuration(Duration.ofSeconds(1)).minimumCalls(1).failureRate(1.0)
                .openFor(Duration.ofSeconds(1)).halfOpenCalls(3));
        fail(breaker);
        time.advance(Duration.ofSeconds(1));
        Permit first = breaker.acquire(null);
        Permit second = breaker.acquire(null);
        Permit third = breaker.acquire(null);
        assertThrows(CircuitOpenException.class, () -> breaker.acquire(null), "3 trials at most");
        first.succeeded();
        time.advance(Duration.ofSeconds(5));
        second.succeeded();
        time.advance(Duration.ofSeconds(5));
        assertEquals(State.HALF_OPEN, breaker.state(), "2 of 3 trials have succeeded, 10 windows apart");
        third.succeeded();
        assertEquals(State.CLOSED, breaker.state(), "the first trial, 10s ago, still counted");
    }

    /**
     * Resilience4j's resilience4j/resilience4j#2334 (a lock-free {@code TIME_BASED} window of size 1
     * threw {@code NullPointerException}; #2358 proposes to reject that size). Our README: {@code windowDuration}
     * is at least 10ms; a window of exactly 10ms, in tenths of 1ms, counts, slides and opens like
     * any other.
     */
    @Test
    void theShortestWindowDurationCountsSlidesAndOpens() {
        Breaker breaker = breaker(BreakerSpec.builder().windowDuration(Duration.ofMillis(10)).minimumCalls(2).failureRate(1.0));
        fail(breaker);
        time.advance(Duration.ofMillis(10));
        fail(breaker);
        assertEquals(State.CLOSED, breaker.state(), "the first failure left the window after 10ms");
        time.advance(Duration.ofMillis(9));
        fail(breaker);
        assertEquals(State.OPEN, breaker.state(), "two failures 9ms apart");
    }

    /**
     * Resilience4j's resilience4j/resilience4j#1597 asked to count calls still in flight as slow:
     * there, as here, a call counts when it ends. Our README: a call counts in the bucket of the time
     * it ended, so a slow call that began more than a window ago, before the bucket boundaries it
     * straddles, is in the window that holds its end.
     */
    @Test
    void aSlowCallStraddlingBucketsCountsInTheTenthItEnded() {
        Recorder recorder = new Recorder();
        ResilienceContext heard = ResilienceContext.builder().time(time).listener(recorder).build();
        Breaker breaker = Breaker.declare(heard, "slow", BreakerSpec.builder().windowDuration(Duration.ofSeconds(10)).minimumCalls(2)
                .slowCall(Duration.ofSeconds(1)).slowCallRate(1.0).build());
        Permit longCall = breaker.acquire(null);
        time.advance(Duration.ofSeconds(25)); // began 2.5 windows ago, across 25 bucket boundaries
        longCall.succeeded();
        assertEquals(List.of("slow slow 25000ms"), recorder.events("slow"));
        assertEquals(State.CLOSED, breaker.state(), "1 call of 2 needed");
        Permit next = breaker.acquire(null);
        time.advance(Duration.ofSeconds(1));
        next.succeeded();
        assertEquals(State.OPEN, breaker.state(), "2 slow of 2: the long call counts in the tenth it ended, not the one it began in");
    }

    /**
     * Dropwizard's dropwizard/metrics#623 (its {@code SlidingTimeWindowReservoir} compared clock
     * readings with {@code >} rather than by their difference, so values stopped leaving the
     * window) and Resilience4j's resilience4j/resilience4j#66 (nano-time arithmetic broken by
     * negative readings). Our {@code TimeSource}: a monotonic reading comparable only with other
     * readings of that source, so its origin is anyone's: a time window on a clock that starts at
     * {@code Long.MIN_VALUE}, or below zero, or whose readings pass {@code Long.MAX_VALUE} while
     * it counts (as {@code System.nanoTime} may), counts each outcome once and slides as on one
     * that starts at 0.
     */
    @Test
    void aTimeWindowCountsEachOutcomeOnceOnAClockOfAnyOrigin() {
        for (long origin : new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 123_456_789L, -1_000_000_000L, 0,
                Long.MAX_VALUE - 1_000_000_000L, Long.MAX_VALUE - 9_999_999_999L}) {
            PeerRateLimitTest.StandingTime clock = new PeerRateLimitTest.StandingTime(origin);
            ResilienceContext anywhere = ResilienceContext.builder().time(clock).build();
            Breaker breaker = Breaker.declare(anywhere, "b", BreakerSpec.builder().windowDuration(Duration.ofSeconds(10)).minimumCalls(3)
                    .failureRate(0.5).build());
            fail(breaker);
            assertEquals(State.CLOSED, breaker.state(), "origin " + origin + ": one failure, counted once, of 3 calls needed");
            succeed(breaker);
            assertEquals(State.CLOSED, breaker.state(), "origin " + origin + ": 2 calls of 3 needed");
            clock.advance(Duration.ofSeconds(10));
            succeed(breaker);
            succeed(breaker);
            assertEquals(State.CLOSED, breaker.state(), "origin " + origin + ": the first two left after 10s");
            fail(breaker);
            assertEquals(State.CLOSED, breaker.state(), "origin " + origin + ": 1 failure of 3");
            fail(breaker);
            assertEquals(State.OPEN, breaker.state(), "origin " + origin + ": 2 failures of 4");
        }
    }
    /**
     * The same on a clock whose readings pass {@code Long.MAX_VALUE} between two spells of calls:
     * after the wrap, failures within one window open the breaker as they would anywhere else.
     */
    @Test
    void aTimeWindowKeepsCountingAfterTheClockPassesLongMaxValue() {
        PeerRateLimitTest.StandingTime clock = new PeerRateLimitTest.StandingTime(Long.MAX_VALUE - 15_000_000_000L);
        ResilienceContext wrapping = ResilienceContext.builder().time(clock).build();
        Breaker breaker = Breaker.declare(wrapping, "b", BreakerSpec.builder().windowDuration(Duration.ofSeconds(10)).minimumCalls(3)
                .failureRate(0.5).build());
        for (int i = 0; i < 10; i++) {
            succeed(breaker);
            clock.advance(Duration.ofSeconds(1));
        }
        clock.advance(Duration.ofSeconds(20)); // past Long.MAX_VALUE: the readings are negative now
        fail(breaker);
        fail(breaker);
        assertEquals(State.CLOSED, breaker.state(), "2 calls in the window, 3 needed");
        fail(breaker);
        assertEquals(State.OPEN, breaker.state(), "3 failures of 3 in the window, after the clock wrapped");
    }
}
