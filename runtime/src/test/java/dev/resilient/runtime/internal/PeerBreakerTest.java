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
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code @Breaker} against bug reports of peer libraries (Failsafe, Polly, SmallRye / MicroProfile
 * Fault Tolerance, Spring Retry, Resilience4j).
 */
class PeerBreakerTest {
    private final ManualTime time = new ManualTime();
    private final ResilienceContext context = ResilienceContext.builder().time(time).build();

    /**
     * Failsafe's failsafe-lib/failsafe#306 (reset must go back to closed and reset the counts)
     * and Polly's App-vNext/Polly#223 (outcomes of calls that began in an earlier state must not
     * move the breaker): after {@code reset()} the failures counted before are gone, and a call
     * admitted before the reset that fails after it counts for nothing.
     */
    @Test
    void resetForgetsTheCountsAndTheOutcomesOfCallsAdmittedBeforeIt() {
        Breaker breaker = Breaker.declare(context, "b", BreakerSpec.builder().failureThreshold(3).openFor(Duration.ofSeconds(1)).build());
        breaker.acquire(null).failed(new IOException());
        breaker.acquire(null).failed(new IOException());
        Permit admittedBefore = breaker.acquire(null);
        breaker.reset();
        admittedBefore.failed(new IOException());
        breaker.acquire(null).failed(new IOException());
        breaker.acquire(null).failed(new IOException());
        assertEquals(State.CLOSED, breaker.state(), "two failures since the reset, of three needed");
        breaker.acquire(null).failed(new IOException());
        assertEquals(State.OPEN, breaker.state());
    }

    /**
     * The same for a trial call: a breaker reset while its trial call was in flight is closed, and
     * the trial's late failure neither re-opens it nor counts in its fresh window.
     */
    @Test
    void aTrialInFlightWhenTheBreakerIsResetChangesNothingWhenItEnds() {
        Breaker breaker = Breaker.declare(context, "b", BreakerSpec.builder().window(2).failureRate(0.5)
                .openFor(Duration.ofSeconds(1)).build());
        breaker.acquire(null).failed(new IOException());
        breaker.acquire(null).failed(new IOException());
        assertEquals(State.OPEN, breaker.state());
        time.advance(Duration.ofSeconds(1));
        Permit trial = breaker.acquire(null);
        assertEquals(State.HALF_OPEN, breaker.state());
        assertThrows(CircuitOpenException.class, () -> breaker.acquire(null), "one trial call at a time");
        breaker.reset();
        trial.failed(new IOException());
        assertEquals(State.CLOSED, breaker.state());
        breaker.acquire(null).succeeded();
        assertEquals(State.CLOSED, breaker.state(), "the late failure is not in the window, where with this success it would open it");
    }

    /**
     * Polly's manual isolation (App-vNext/Polly#223 for the executions overhanging a change of
     * state): a breaker forced open while its trial call was in flight stays held open when the
     * trial then succeeds, and a failure admitted while it was closed does not re-time it.
     */
    @Test
    void aForcedOpenBreakerIsNotClosedByATrialThatWasInFlight() {
        Breaker breaker = Breaker.declare(context, "f", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(1)).build());
        Permit closedEra = breaker.acquire(null);
        breaker.acquire(null).failed(new IOException());
        time.advance(Duration.ofSeconds(1));
        Permit trial = breaker.acquire(null);
        breaker.forceOpen();
        trial.succeeded();
        closedEra.failed(new IOException());
        time.advance(Duration.ofHours(1));
        assertEquals(State.OPEN, breaker.state(), "held open until reset");
        assertEquals(java.util.Optional.empty(), breaker.timeLeftOpen());
        breaker.reset();
        assertEquals(State.CLOSED, breaker.state());
    }

    /**
     * resilience4j#808 (asked whether {@code minimumNumberOfCalls} held for the slow-call rate as
     * for the failure rate): it does here, in both rate modes. Slow successes fewer than
     * {@code minimumCalls} decide nothing, however slow; the one that reaches it opens the breaker.
     */
    @Test
    void slowCallsBelowMinimumCallsDecideNothing() {
        Map<String, BreakerSpec.Builder> modes = Map.of("count", BreakerSpec.builder().window(10).minimumCalls(4),
                "time", BreakerSpec.builder().windowDuration(Duration.ofMinutes(1)).minimumCalls(4));
        for (Map.Entry<String, BreakerSpec.Builder> mode : modes.entrySet()) {
            Breaker breaker = Breaker.declare(context, mode.getKey(), mode.getValue().slowCall(Duration.ofSeconds(1)).build());
            for (int call = 1; call <= 4; call++) {
                assertEquals(State.CLOSED, breaker.state(), mode.getKey() + ": " + (call - 1) + " slow calls of 4 needed");
                Permit slow = breaker.acquire(null);
                time.advance(Duration.ofSeconds(5));
                slow.succeeded();
            }
            assertEquals(State.OPEN, breaker.state(), mode.getKey());
        }
    }

    /**
     * resilience4j#1653 (one request saw {@code CallNotPermittedException} three times, once per
     * retry, and counted three rejections): a call retried against a breaker that is open for
     * longer than the wait is rejected once, ends at once without waiting, and listeners hear
     * one rejection.
     */
    @Test
    void aRetriedCallAgainstAnOpenBreakerIsRejectedOnceWithoutWaiting() {
        Recorder recorder = new Recorder();
        ResilienceContext heard = ResilienceContext.builder().time(time).listener(recorder).build();
        AtomicInteger calls = new AtomicInteger();
        MethodPolicies<Callable<String>> policies = MethodPlan.builder("S.call")
                .retry(RetrySpec.builder().maxAttempts(3).build())
                .breaker("open", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofMinutes(1)).build()).build()
                .over(heard, () -> {
                    calls.incrementAndGet();
                    throw new IOException("down");
                });
        CircuitOpenException rejected = assertThrows(CircuitOpenException.class, () -> policies.call(Callable::call, null));
        assertEquals(IOException.class, rejected.getCause().getClass(), "its cause the failure that opened it");
        assertEquals(1, calls.get());
        assertEquals(List.of("rejected open OPEN"), recorder.events("rejected"));
        assertEquals(List.of(), time.sleeps(), "no wait was made that could not lead to an attempt");
        assertThrows(CircuitOpenException.class, () -> policies.call(Callable::call, null));
        assertEquals(1, calls.get());
        assertEquals(2, recorder.events("rejected").size(), "one rejection per call");
    }

    /**
     * resilience4j#1432 (more calls than expected around the switch from OPEN to HALF_OPEN: calls
     * let in while it was CLOSED were still running when it went HALF_OPEN): an outcome of a call
     * admitted while closed, arriving during HALF_OPEN, is not one of the trials. A late failure
     * does not re-open the breaker, a late success does not close it, and the trial decides.
     */
    @Test
    void callsAdmittedWhileClosedDoNotDecideTheTrialsWhenTheyEndInHalfOpen() {
        Breaker breaker = Breaker.declare(context, "t", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(1)).build());
        Permit lateFailure = breaker.acquire(null);
        Permit lateSuccess = breaker.acquire(null);
        breaker.acquire(null).failed(new IOException());
        time.advance(Duration.ofSeconds(1));
        Permit trial = breaker.acquire(null);
        assertEquals(State.HALF_OPEN, breaker.state());
        lateFailure.failed(new IOException());
        assertEquals(State.HALF_OPEN, breaker.state(), "a failure from the closed era does not re-open it");
        lateSuccess.succeeded();
        assertEquals(State.HALF_OPEN, breaker.state(), "nor does a success from then close it");
        assertThrows(CircuitOpenException.class, () -> breaker.acquire(null), "the trial still holds the only permit");
        trial.succeeded();
        assertEquals(State.CLOSED, breaker.state());
    }
    /**
     * Resilience4j's resilience4j/resilience4j#66 (nano-time arithmetic broken where readings
     * overflow). A {@code TimeSource}'s readings compare only by their difference, as
     * {@code System.nanoTime}'s do, and may pass {@code Long.MAX_VALUE}: a breaker opened just
     * before they do stays open for its whole {@code openFor}, and a half-open one bounded by
     * {@code maxHalfOpen} opens again on time, on the far side too.
     */
    @Test
    void openForAndMaxHalfOpenLastTheirWholeTimeWhereTheClockPassesLongMaxValue() {
        PeerRateLimitTest.StandingTime clock = new PeerRateLimitTest.StandingTime(Long.MAX_VALUE - 1_000_000_000L);
        ResilienceContext wrapping = ResilienceContext.builder().time(clock).build();
        Breaker breaker = Breaker.declare(wrapping, "b", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(30))
                .maxHalfOpen(Duration.ofSeconds(5)).build());
        breaker.acquire(null).failed(new IOException("down"));
        assertEquals(Duration.ofSeconds(30), breaker.timeLeftOpen().orElseThrow(), "open for its 30s, 1s before the wrap");
        clock.advance(Duration.ofSeconds(2));
        assertEquals(State.OPEN, breaker.state(), "2s after opening, past the wrap");
        assertEquals(Duration.ofSeconds(28), breaker.timeLeftOpen().orElseThrow());
        clock.advance(Duration.ofSeconds(28));
        assertEquals(State.HALF_OPEN, breaker.state(), "after its 30s");
        breaker.acquire(null); // a trial call that never ends
        clock.advance(Duration.ofSeconds(4));
        assertEquals(State.HALF_OPEN, breaker.state(), "4s of maxHalfOpen's 5");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(State.OPEN, breaker.state(), "maxHalfOpen over: open again");
    }
}
