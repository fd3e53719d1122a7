package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.resilient.runtime.CircuitBreaker.State;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.ResilienceListener;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The breaker's attributes that read the clock: the time window, slow calls, bounded half-open, open backoff. */
class BreakerTimeTest {
    private static final Duration NANO = Duration.ofNanos(1);

    private final ManualTime time = new ManualTime();
    private final Recorder recorder = new Recorder();
    private final ResilienceContext context = ResilienceContext.builder().time(time).listener(recorder).build();

    private Breaker breaker(BreakerSpec.Builder spec) {
        return Breaker.declare(context, "b", spec.build());
    }

    private static void fail(Breaker breaker) {
        breaker.acquire(null).failed(new IOException());
    }

    private static void succeed(Breaker breaker) {
        breaker.acquire(null).succeeded();
    }

    /** An attempt that takes {@code took} and then succeeds. */
    private void succeedAfter(Breaker breaker, Duration took) {
        Permit permit = breaker.acquire(null);
        time.advance(took);
        permit.succeeded();
    }

    private OutcomeWindow timeWindow(Duration windowDuration) {
        return OutcomeWindow.of(BreakerSpec.builder().windowDuration(windowDuration).build(), time, null);
    }

    @Test
    void aCallAtTheStartOfABucketLeavesTheWindowAtExactlyWindowDuration() {
        OutcomeWindow window = timeWindow(Duration.ofSeconds(10));
        window.record(true);
        time.advance(Duration.ofSeconds(10).minus(NANO));
        assertEquals(new OutcomeWindow.Counts(1, 1, 0), window.counts(), "1.0 × windowDuration less a nanosecond: still in");
        time.advance(NANO);
        assertEquals(new OutcomeWindow.Counts(0, 0, 0), window.counts(), "at 1.0 × windowDuration: gone");
    }

    @Test
    void aCallAtTheEndOfABucketLeavesTheWindowJustAfterNineTenths() {
        OutcomeWindow window = timeWindow(Duration.ofSeconds(10));
        time.advance(Duration.ofSeconds(1).minus(NANO)); // the last nanosecond of the first bucket
        window.record(true);
        time.advance(Duration.ofSeconds(9));
        assertEquals(new OutcomeWindow.Counts(1, 1, 0), window.counts(), "at 0.9 × windowDuration: still in");
        time.advance(NANO);
        assertEquals(new OutcomeWindow.Counts(0, 0, 0), window.counts(), "0.9 × windowDuration and a nanosecond: gone");
    }

    @Test
    void aCallRecordedLateIntoABucketAlreadyReplacedIsNotCounted() {
        OutcomeWindow window = timeWindow(Duration.ofSeconds(10));
        time.advance(Duration.ofSeconds(12));
        window.record(false); // replaces the bucket of [2s, 3s)
        window.record(2_500_000_000L, true, false); // ended at 2.5s: older than the window
        assertEquals(new OutcomeWindow.Counts(1, 0, 0), window.counts());
    }

    @Test
    void theTimeWindowDecidesOnTheCallsOfTheLastWindowDurationAfterEveryOutcome() {
        Breaker breaker = breaker(BreakerSpec.builder().windowDuration(Duration.ofSeconds(10)).minimumCalls(4));
        succeed(breaker);
        fail(breaker);
        time.advance(Duration.ofSeconds(10)); // both leave the window
        fail(breaker);
        succeed(breaker);
        fail(breaker);
        assertEquals(State.CLOSED, breaker.state(), "3 calls in the window, 4 needed");
        succeed(breaker);
        assertEquals(State.OPEN, breaker.state(), "2 failures of 4: a success decides too");
    }

    @Test
    void minimumCallsDefaultsToTenInATimeWindow() {
        Breaker breaker = breaker(BreakerSpec.builder().windowDuration(Duration.ofMinutes(1)).failureRate(1.0));
        assertEquals("{windowDuration=PT1M, failureRate=1.0, minimumCalls=10, openFor=PT30S, halfOpenCalls=1, failOn=[Throwable],"
                + " skipOn=[]}", breaker.settings());
        for (int i = 0; i < 9; i++) {
            fail(breaker);
        }
        assertEquals(State.CLOSED, breaker.state());
        fail(breaker);
        assertEquals(State.OPEN, breaker.state());
    }

    @Test
    void anAttemptEndingInExactlySlowCallIsSlowAndJustUnderIsNot() {
        Breaker breaker = breaker(BreakerSpec.builder().window(2).slowCall(Duration.ofSeconds(1)));
        succeedAfter(breaker, Duration.ofSeconds(1).minus(NANO));
        succeedAfter(breaker, Duration.ofSeconds(1).minus(NANO));
        assertEquals(State.CLOSED, breaker.state());
        assertEquals(List.of(), recorder.events("slow"));

        succeedAfter(breaker, Duration.ofSeconds(1));
        assertEquals(State.CLOSED, breaker.state(), "1 slow of 2, slowCallRate 1.0");
        succeedAfter(breaker, Duration.ofSeconds(1));
        assertEquals(State.OPEN, breaker.state(), "2 slow of 2");
        assertEquals(List.of("slow b 1000ms", "slow b 1000ms"), recorder.events("slow"));
    }

    /**
     * resilience4j#1597 (what a slow call's time covers): a blocking attempt that waited for its
     * rate-limit token after the breaker let it through was timed from the admission, so a local
     * wait of 1s made an instant answer a slow call, and the breaker opened against a healthy remote.
     */
    @Test
    void aWaitForARateLimitTokenIsNoPartOfASlowCall() {
        interface Service {
            String call();
        }
        Duration[] takes = {Duration.ZERO};
        Service service = () -> {
            time.advance(takes[0]);
            return "ok";
        };
        MethodPolicies<Service> policies = MethodPlan.builder("S.call")
                .breaker("b", BreakerSpec.builder().window(2).minimumCalls(1).slowCall(Duration.ofMillis(100)).slowCallRate(0.5).build())
                .rateLimit().permits(1).per(Duration.ofSeconds(1)).rateLimitMaxWait(Duration.ofSeconds(1)).build()
                .over(context, service);
        policies.<String>call(Service::call, null);
        policies.<String>call(Service::call, null); // waits 1s for its token, then answers at once
        assertEquals(List.of(Duration.ofSeconds(1)), time.sleeps());
        assertEquals(List.of(), recorder.events("slow"));
        assertEquals(State.CLOSED, context.breaker("b").state());

        takes[0] = Duration.ofMillis(100);
        policies.<String>call(Service::call, null); // waits for its token again, then takes 100ms itself: slow
        assertEquals(List.of("slow b 100ms"), recorder.events("slow"));
        assertEquals(State.OPEN, context.breaker("b").state());
    }

    @Test
    void slowFailuresCountAsBothAndSkippedOnesAsNeither() {
        Breaker breaker = breaker(BreakerSpec.builder().window(4).minimumCalls(3).failureRate(1.0).slowCall(Duration.ofMillis(100))
                .slowCallRate(0.5).skipOn(IllegalArgumentException.class));
        Permit skipped = breaker.acquire(null);
        time.advance(Duration.ofSeconds(1));
        skipped.failed(new IllegalArgumentException());
        Permit failed = breaker.acquire(null);
        time.advance(Duration.ofSeconds(1));
        failed.failed(new IOException());
        succeed(breaker);
        succeed(breaker);
        assertEquals(State.CLOSED, breaker.state(), "1 slow of 3: the skipped one is not counted");
        assertEquals(List.of("slow b 1000ms"), recorder.events("slow"), "the skipped attempt is not told");
        succeedAfter(breaker, Duration.ofMillis(100));
        assertEquals(State.OPEN, breaker.state(), "2 slow of 4: the slow failure counted as slow");
    }

    @Test
    void onlyABreakerWithSlowCallHandsOutAPermitPerAttempt() {
        Breaker plain = Breaker.declare(context, "plain", BreakerSpec.builder().windowDuration(Duration.ofSeconds(1)).build());
        assertSame(plain.acquire(null), plain.acquire(null));
        Breaker timed = breaker(BreakerSpec.builder().window(5).slowCall(Duration.ofSeconds(1)));
        Permit first = timed.acquire(null);
        Permit second = timed.acquire(null);
        assertNotSame(first, second);
        assertSame(timed, first.admission());
    }

    @Test
    void aSlowTrialCallReopensAsAFailureDoes() {
        Breaker breaker = breaker(BreakerSpec.builder().window(1).slowCall(Duration.ofSeconds(1)).openFor(Duration.ofSeconds(5)));
        succeedAfter(breaker, Duration.ofSeconds(1));
        assertEquals(State.OPEN, breaker.state());
        time.advance(Duration.ofSeconds(5));
        succeedAfter(breaker, Duration.ofSeconds(2));
        assertEquals(State.OPEN, breaker.state());
        assertEquals(Optional.of(Duration.ofSeconds(5)), breaker.timeLeftOpen());
        time.advance(Duration.ofSeconds(5));
        succeedAfter(breaker, Duration.ofSeconds(1).minus(NANO));
        assertEquals(State.CLOSED, breaker.state());
    }

    @Test
    void maxHalfOpenElapsingWithTrialsInFlightOpensAgainAndTheirLateOutcomesChangeNothing() {
        Breaker breaker = breaker(BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(10)).halfOpenCalls(2)
                .maxHalfOpen(Duration.ofSeconds(5)));
        fail(breaker);
        time.advance(Duration.ofSeconds(10));
        Permit first = breaker.acquire(null);
        Permit second = breaker.acquire(null);
        time.advance(Duration.ofSeconds(5).minus(NANO));
        assertEquals(State.HALF_OPEN, breaker.state());
        first.succeeded();
        time.advance(NANO);
        assertEquals(State.OPEN, breaker.state(), "HALF_OPEN lasts at most maxHalfOpen");
        assertEquals(Optional.of(Duration.ofSeconds(10)), breaker.timeLeftOpen());

        time.advance(Duration.ofSeconds(3));
        second.succeeded();
        assertEquals(State.OPEN, breaker.state(), "a late success does not close it");
        assertEquals(Optional.of(Duration.ofSeconds(7)), breaker.timeLeftOpen());
        assertThrows(CircuitOpenException.class, () -> breaker.acquire(null));
        assertEquals(List.of("state b CLOSED -> OPEN", "state b OPEN -> HALF_OPEN", "state b HALF_OPEN -> OPEN"),
                recorder.events("state"));
    }

    @Test
    void aSlowTrialSettlingAfterMaxHalfOpenIsNotReportedSlow() {
        Breaker breaker = breaker(BreakerSpec.builder().window(4).minimumCalls(1).slowCall(Duration.ofSeconds(1))
                .openFor(Duration.ofSeconds(10)).maxHalfOpen(Duration.ofSeconds(5)));
        fail(breaker);
        time.advance(Duration.ofSeconds(10));
        Permit trial = breaker.acquire(null);
        time.advance(Duration.ofSeconds(6));
        assertEquals(State.OPEN, breaker.state(), "maxHalfOpen has elapsed");
        trial.succeeded();
        assertEquals(List.of(), recorder.events("slow"), "its late outcome changes nothing, and is not heard as a slow call");
    }

    @Test
    void aSlowTrialSettlingAtExactlyMaxHalfOpenIsNotReportedSlow() {
        Breaker breaker = breaker(BreakerSpec.builder().window(4).minimumCalls(1).slowCall(Duration.ofSeconds(1))
                .openFor(Duration.ofSeconds(10)).maxHalfOpen(Duration.ofSeconds(5)));
        fail(breaker);
        time.advance(Duration.ofSeconds(10));
        Permit trial = breaker.acquire(null);
        time.advance(Duration.ofSeconds(5));
        trial.succeeded();
        assertEquals(State.OPEN, breaker.state(), "maxHalfOpen has elapsed, at exactly maxHalfOpen too");
        assertEquals(List.of(), recorder.events("slow"), "its late outcome is not heard as a slow call");
    }

    /** The README: ticks stop after a whole window without a call, so nothing stays scheduled for a breaker no longer used. */
    @Test
    void aTimeWindowStopsTickingAfterAWholeWindowWithoutCalls() {
        TimeBuckets.Ticks ticks = (task, delay) -> time.schedule(task, Duration.ofNanos(delay));
        OutcomeWindow window = OutcomeWindow.of(BreakerSpec.builder().windowDuration(Duration.ofSeconds(10)).build(), time, ticks);
        window.record(false);
        assertEquals(1, time.pendingTasks(), "a success starts the ticks");
        time.advance(Duration.ofSeconds(10));
        assertEquals(1, time.pendingTasks(), "at 10s the success is still in the window that ends with tenth 9");
        time.advance(Duration.ofSeconds(1));
        assertEquals(0, time.pendingTasks(), "at 11s, a whole window without a call: nothing left scheduled");
        assertEquals(new OutcomeWindow.Counts(0, 0, 0), window.counts());
    }

    @Test
    void aLateOutcomeNoticedFirstOpensTheBreakerAsOfTheDeadline() {
        Breaker breaker = breaker(BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(10))
                .maxHalfOpen(Duration.ofSeconds(5)));
        fail(breaker);
        time.advance(Duration.ofSeconds(10));
        Permit trial = breaker.acquire(null);
        time.advance(Duration.ofSeconds(8)); // nobody looks at the breaker meanwhile
        trial.succeeded();
        assertEquals(State.OPEN, breaker.state());
        assertEquals(Optional.of(Duration.ofSeconds(7)), breaker.timeLeftOpen(), "open for 10s from the deadline, 3s ago");
    }

    @Test
    void aTrialSettledJustBeforeMaxHalfOpenCounts() {
        Breaker breaker = breaker(BreakerSpec.builder().failureThreshold(1).openFor(Duration.ZERO)
                .maxHalfOpen(Duration.ofSeconds(5)));
        fail(breaker);
        Permit trial = breaker.acquire(null);
        time.advance(Duration.ofSeconds(5).minus(NANO));
        trial.succeeded();
        assertEquals(State.CLOSED, breaker.state());
    }

    @Test
    void eachReopeningMultipliesTheTimeOpenUpToMaxOpenForAndClosingResetsIt() {
        Breaker breaker = breaker(BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(1)).openForMultiplier(2.0)
                .maxOpenFor(Duration.ofSeconds(5)));
        fail(breaker);
        for (long seconds : new long[] {1, 2, 4, 5, 5}) {
            assertEquals(Optional.of(Duration.ofSeconds(seconds)), breaker.timeLeftOpen());
            time.advance(Duration.ofSeconds(seconds));
            fail(breaker); // the trial call fails
        }
        time.advance(Duration.ofSeconds(5));
        succeed(breaker);
        assertEquals(State.CLOSED, breaker.state());
        fail(breaker);
        assertEquals(Optional.of(Duration.ofSeconds(1)), breaker.timeLeftOpen(), "closing resets it to openFor");
    }

    /**
     * Found by {@code BreakerModelTest}: the time open was multiplied in floating point, where
     * 2.8 is a little under 2.8, so {@code openFor = "3s", openForMultiplier = 2.8} re-opened for
     * 8.399999999s instead of 8.4s; and without {@code maxOpenFor} a product past the clock came
     * out as {@code Long.MAX_VALUE}, which means held open until reset.
     */
    @Test
    void theTimeOpenIsMultipliedExactlyAsWrittenAndNeverBecomesHeldOpen() {
        Breaker breaker = breaker(BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(3)).openForMultiplier(2.8));
        fail(breaker);
        time.advance(Duration.ofSeconds(3));
        fail(breaker);
        assertEquals(Optional.of(Duration.ofMillis(8400)), breaker.timeLeftOpen(), "3s × 2.8");
        time.advance(Duration.ofMillis(8400));
        fail(breaker);
        assertEquals(Optional.of(Duration.ofMillis(23520)), breaker.timeLeftOpen(), "8.4s × 2.8");

        BreakerSpec centuries = BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofNanos(Long.MAX_VALUE / 2 + 1))
                .openForMultiplier(2.0).build();
        assertEquals(Long.MAX_VALUE - 1, centuries.nextOpenForNanos(centuries.openForNanos()), "the end of the clock, not held open");
        assertEquals(Long.MAX_VALUE - 1, centuries.nextOpenForNanos(Long.MAX_VALUE - 1));
    }

    @Test
    void aHalfOpenThatRunsOutOfTimeIsAReopeningToo() {
        Breaker breaker = breaker(BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(1)).openForMultiplier(3.0)
                .maxHalfOpen(Duration.ofSeconds(1)));
        fail(breaker);
        time.advance(Duration.ofSeconds(1));
        breaker.acquire(null); // a trial that never settles
        time.advance(Duration.ofSeconds(1));
        assertEquals(Optional.of(Duration.ofSeconds(3)), breaker.timeLeftOpen());
    }

    @Test
    void aListenerThatThrowsOnASlowCallChangesNothing() {
        ResilienceContext throwing = ResilienceContext.builder().time(time).listener(new ResilienceListener() {
            @Override
            public void onSlowCall(String breaker, Duration took) {
                throw new IllegalStateException("listener");
            }
        }).build();
        Breaker breaker = Breaker.declare(throwing, "b", BreakerSpec.builder().window(1).slowCall(Duration.ofSeconds(1)).build());
        succeedAfter(breaker, Duration.ofSeconds(1));
        assertEquals(State.OPEN, breaker.state());
    }
}
