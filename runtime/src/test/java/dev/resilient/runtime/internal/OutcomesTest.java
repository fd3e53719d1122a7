package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Results that are failures, and waits a server asked for: {@code retryOnResult},
 * {@code failOnResult} and {@code waitFrom} as the runtime applies them, blocking and
 * asynchronous alike, over one delegate and a failover's.
 */
class OutcomesTest {
    private final ManualTime time = new ManualTime();
    private final Recorder events = new Recorder();
    private final ResilienceContext context = ResilienceContext.builder().time(time).listener(events).build();

    /** A response of a remote: its status and the wait it asks for, in seconds, or -1. */
    record Response(int status, int retryAfter) {
        boolean unavailable() {
            return status == 503;
        }

        Duration asked() {
            return retryAfter < 0 ? null : Duration.ofSeconds(retryAfter);
        }
    }

    /** A failure that carries the wait the server asked for. */
    static final class Throttled extends IOException {
        private static final long serialVersionUID = 1L;
        final transient Duration retryAfter;

        Throttled(Duration retryAfter) {
            super("throttled");
            this.retryAfter = retryAfter;
        }
    }

    interface Remote {
        Response get() throws IOException;
    }

    /** A delegate answering the responses given, in order, then the last one again. */
    private static Remote answering(Response... responses) {
        Deque<Response> left = new ArrayDeque<>(List.of(responses));
        return () -> left.size() > 1 ? left.poll() : left.peek();
    }

    private static final Response OK = new Response(200, -1);
    private static final Response BUSY = new Response(503, -1);

    private static final Outcomes RETRY_UNAVAILABLE = Outcomes.builder()
            .retryOn((Response response) -> response.unavailable()).waitAfterResult((Response response) -> response.asked()).build();

    private MethodPolicies<Remote> policies(MethodPlan.Builder plan, Outcomes outcomes, Remote... delegates) {
        return plan.build().over(context, List.of(delegates), outcomes);
    }

    private static Response call(MethodPolicies<Remote> policies) {
        return policies.<Response>call(Remote::get, null);
    }

    private static Response callAsync(MethodPolicies<Remote> policies, ManualTime time) {
        CompletableFuture<Response> future = policies.<Response>callAsync(remote -> CompletableFuture.completedFuture(remote.get()), null);
        for (int i = 0; i < 100 && !future.isDone(); i++) {
            time.advance(Duration.ofSeconds(1));
        }
        return future.join();
    }

    @Test
    void aRejectedResultIsRetriedAndTheCallerGetsTheFirstOneAccepted() {
        MethodPolicies<Remote> policies = policies(MethodPlan.builder("Remote.get").retry(RetrySpec.builder().build()),
                RETRY_UNAVAILABLE, answering(BUSY, BUSY, OK));

        assertSame(OK, call(policies));
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), time.sleeps());
        assertEquals(List.of("attempt Remote.get #1 ok", "retry Remote.get #1 ok in 100ms", "attempt Remote.get #2 ok",
                "retry Remote.get #2 ok in 200ms", "attempt Remote.get #3 ok"), events.events(),
                "the attempts returned: listeners hear no failure");
    }

    @Test
    void whenAttemptsAreUsedUpOnARejectedResultTheCallerGetsThatResultReturned() {
        Response last = new Response(503, -1);
        MethodPolicies<Remote> blocking = policies(MethodPlan.builder("Remote.get").retry(RetrySpec.builder().maxAttempts(2).build()),
                RETRY_UNAVAILABLE, answering(BUSY, last));
        assertSame(last, call(blocking));
        assertEquals("exhausted Remote.get #2 ok", events.events("exhausted").get(0));

        MethodPolicies<Remote> async = policies(MethodPlan.builder("Remote.async").retry(RetrySpec.builder().maxAttempts(2).build()),
                RETRY_UNAVAILABLE, answering(BUSY, last));
        assertSame(last, callAsync(async, time));
    }

    @Test
    void aFailedResultCountsAgainstTheBreakerWhateverFailOnListsAndStillReachesTheCaller() {
        Outcomes failOn = Outcomes.builder().failOn((Response response) -> response.unavailable()).build();
        MethodPolicies<Remote> policies = policies(MethodPlan.builder("Remote.get").breaker("remote",
                BreakerSpec.builder().failureThreshold(2).failOn(IOException.class).build()), failOn, answering(BUSY));

        assertSame(BUSY, call(policies));
        assertEquals(CircuitBreaker.State.CLOSED, context.breaker("remote").state());
        assertSame(BUSY, call(policies));
        assertEquals(CircuitBreaker.State.OPEN, context.breaker("remote").state());
        assertThrows(CircuitOpenException.class, () -> call(policies));
    }

    @Test
    void aHalfOpenTrialThatReturnsAFailedResultReopensTheBreaker() {
        Outcomes failOn = Outcomes.builder().failOn((Response response) -> response.unavailable()).build();
        MethodPolicies<Remote> policies = policies(MethodPlan.builder("Remote.async").breaker("trial",
                BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(5)).build()), failOn, answering(BUSY, BUSY, OK));
        assertSame(BUSY, callAsync(policies, time));
        time.advance(Duration.ofSeconds(5));
        assertSame(BUSY, callAsync(policies, time));
        assertEquals(CircuitBreaker.State.OPEN, context.breaker("trial").state());
        time.advance(Duration.ofSeconds(5));
        assertSame(OK, callAsync(policies, time));
        assertEquals(CircuitBreaker.State.CLOSED, context.breaker("trial").state());
    }

    @Test
    void noWaitIsMadeForABreakerThatStaysOpenLongerTheCallerGetsTheRejectedResultAtOnce() {
        Outcomes both = Outcomes.builder().retryOn((Response response) -> response.unavailable()).failOn((Response response) -> response.unavailable()).build();
        MethodPolicies<Remote> policies = policies(MethodPlan.builder("Remote.get").retry(RetrySpec.builder().build())
                .breaker("hopeless", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(10)).build()),
                both, answering(BUSY));

        assertSame(BUSY, call(policies));
        assertEquals(List.of(), time.sleeps(), "the breaker opened for 10s: a 100ms wait could lead to no attempt");
    }

    @Test
    void theWaitAServerAskedForReplacesTheComputedOneUnderMaxDelay() {
        MethodPolicies<Remote> policies = policies(MethodPlan.builder("Remote.get")
                .retry(RetrySpec.builder().maxAttempts(4).jitter(RetrySpec.Jitter.FULL).maxDelay(Duration.ofSeconds(3)).build()),
                RETRY_UNAVAILABLE, answering(new Response(503, 2), new Response(503, 60), new Response(503, -1), OK));

        assertSame(OK, call(policies));
        assertEquals(Duration.ofSeconds(2), time.sleeps().get(0), "as asked, without jitter");
        assertEquals(Duration.ofSeconds(3), time.sleeps().get(1), "capped by maxDelay");
        assertEquals(true, time.sleeps().get(2).compareTo(Duration.ofMillis(400)) <= 0, "none asked: computed, with jitter");
    }

    @Test
    void aWaitFromAFailureIsBoundedByMaxDurationAndReachesItUnwrapped() {
        Throttled throttled = new Throttled(Duration.ofSeconds(30));
        Outcomes waitFrom = Outcomes.builder()
                .waitAfterFailure(failure -> failure instanceof Throttled t ? t.retryAfter : null).build();
        MethodPolicies<Remote> async = policies(MethodPlan.builder("Remote.async")
                .retry(RetrySpec.builder().maxDuration(Duration.ofSeconds(10)).build()), waitFrom, () -> {
                    throw throttled;
                });
        CompletableFuture<Response> future = async.<Response>callAsync(remote -> CompletableFuture.completedFuture(remote.get()), null);
        assertSame(throttled, assertThrows(CompletionException.class, future::join).getCause(),
                "a 30s wait would pass the 10s budget: the call ends at once");

        Outcomes shortWait = Outcomes.builder().waitAfterFailure(failure -> Duration.ofSeconds(1)).build();
        Deque<Response> answers = new ArrayDeque<>(List.of(OK));
        MethodPolicies<Remote> blocking = policies(MethodPlan.builder("Remote.get").retry(RetrySpec.builder().build()), shortWait, () -> {
            if (time.sleeps().isEmpty()) {
                throw new IOException("once");
            }
            return answers.peek();
        });
        assertSame(OK, call(blocking));
        assertEquals(List.of(Duration.ofSeconds(1)), time.sleeps());
    }

    @Test
    void underFailoverARejectedResultMovesOnToTheNextDelegateAtOnce() {
        MethodPolicies<Remote> policies = policies(MethodPlan.builder("Remote.get").retry(RetrySpec.builder().build()),
                RETRY_UNAVAILABLE, answering(BUSY), answering(OK));
        assertSame(OK, call(policies));
        assertEquals(List.of(), time.sleeps());
        assertSame(OK, callAsync(policies(MethodPlan.builder("Remote.async").retry(RetrySpec.builder().build()),
                RETRY_UNAVAILABLE, answering(BUSY), answering(OK)), time));
    }

    @Test
    void aNamedMethodThatThrowsFailsTheAttemptAndSettlesItsPermit() {
        IllegalStateException broken = new IllegalStateException("the predicate broke");
        Outcomes throwing = Outcomes.builder().failOn((Response response) -> {
            throw broken;
        }).build();
        MethodPolicies<Remote> policies = policies(MethodPlan.builder("Remote.get")
                .breaker("settled", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(1)).build()),
                throwing, answering(OK));
        assertSame(broken, assertThrows(IllegalStateException.class, () -> call(policies)));
        assertEquals(CircuitBreaker.State.OPEN, context.breaker("settled").state(), "counted as the failure it is");
        time.advance(Duration.ofSeconds(1));
        assertSame(broken, assertThrows(IllegalStateException.class, () -> call(policies)));
        time.advance(Duration.ofSeconds(1));
        assertSame(broken, assertThrows(IllegalStateException.class, () -> call(policies)), "the trial's permit came back");
    }

    /**
     * resilience4j#687 (a call recorded as a success although it ended in failure): where
     * retryOnResult, not failOnResult, throws, the attempt fails with what it threw, but the
     * breaker had already recorded the value as a success; it is counted as the failure it is, as
     * when failOnResult throws.
     */
    @Test
    void aRetryOnResultThatThrowsFailsTheAttemptForTheBreakerToo() {
        IllegalStateException broken = new IllegalStateException("the predicate broke");
        Outcomes throwing = Outcomes.builder().retryOn((Response response) -> {
            throw broken;
        }).build();
        MethodPolicies<Remote> policies = policies(MethodPlan.builder("Remote.get").retry(RetrySpec.builder().maxAttempts(1).build())
                .breaker("judged", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(1)).build()),
                throwing, answering(OK));
        assertSame(broken, assertThrows(IllegalStateException.class, () -> call(policies)));
        assertEquals(CircuitBreaker.State.OPEN, context.breaker("judged").state(), "counted as the failure it is");
    }

    /** CONTRACT: null or a negative duration means the computed wait; a zero one is a wait the server asked for. */
    @Test
    void aServerAskingForNoWaitGetsAZeroWaitNotTheComputedOne() {
        Outcomes noWait = Outcomes.builder().waitAfterFailure(failure -> Duration.ZERO).build();
        Deque<Response> answers = new ArrayDeque<>(List.of(OK));
        MethodPolicies<Remote> policies = policies(MethodPlan.builder("Remote.get")
                .retry(RetrySpec.builder().delay(Duration.ofSeconds(5)).build()), noWait, () -> {
                    if (time.sleeps().isEmpty()) {
                        throw new IOException("once");
                    }
                    return answers.peek();
                });
        assertSame(OK, call(policies));
        assertEquals(List.of(Duration.ZERO), time.sleeps(), "the zero wait asked for, made through the context's time");
    }

    /** README: one method named by both retryOnResult and failOnResult is asked once per value. */
    @Test
    void oneMethodJudgingForBothRetryAndBreakerIsAskedOncePerValue() {
        List<Response> asked = new java.util.ArrayList<>();
        Outcomes both = Outcomes.builder().retryAndFailOn((Response response) -> {
            asked.add(response);
            return response.unavailable();
        }).build();
        MethodPolicies<Remote> policies = policies(MethodPlan.builder("Remote.get").retry(RetrySpec.builder().maxAttempts(2).build())
                .breaker("remote", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ZERO).build()), both,
                answering(BUSY, OK));
        assertSame(OK, call(policies), "the 503 was retried");
        assertEquals(List.of(BUSY, OK), asked, "each value asked about once");
        assertEquals(List.of("state remote CLOSED -> OPEN", "state remote OPEN -> HALF_OPEN", "state remote HALF_OPEN -> CLOSED"),
                events.events("state"), "the 503 was recorded as a failure, the 200 as a success");
    }

    @Test
    void theBuilderChainsEveryNamedMethod() {
        Outcomes chained = Outcomes.builder().waitAfterResult((Response response) -> response.asked())
                .waitAfterFailure(failure -> Duration.ofSeconds(7)).retryOn((Response response) -> response.unavailable())
                .failOn((Response response) -> false).build();
        assertEquals(Duration.ofSeconds(3).toNanos(), chained.suggestedWait(new Outcomes.Rejected(new Response(503, 3))));
        assertEquals(Duration.ofSeconds(7).toNanos(), chained.suggestedWait(new IOException()));
    }

    /** CONTRACT: an asynchronous call ends at once, as a blocking one does, when its breaker stays open longer than the wait. */
    @Test
    void asynchronouslyAHopelessWaitEndsWithTheRejectedValueOrWithTheRejectionCausedByTheFailure() {
        Outcomes both = Outcomes.builder().retryOn((Response response) -> response.unavailable())
                .failOn((Response response) -> response.unavailable()).build();
        MethodPolicies<Remote> rejecting = policies(MethodPlan.builder("Remote.get").retry(RetrySpec.builder().build())
                .breaker("value", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(10)).build()), both, answering(BUSY));
        CompletableFuture<Response> value = rejecting.<Response>callAsync(remote -> CompletableFuture.completedFuture(remote.get()), null);
        assertSame(BUSY, value.getNow(null), "at once: the caller gets the rejected value");

        IOException down = new IOException("down");
        MethodPolicies<Remote> failing = policies(MethodPlan.builder("Remote.other").retry(RetrySpec.builder().build())
                .breaker("failure", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(10)).build()), Outcomes.none(),
                () -> {
                    throw down;
                });
        CompletableFuture<Response> failure = failing.<Response>callAsync(remote -> CompletableFuture.completedFuture(remote.get()), null);
        assertTrue(failure.isDone(), "at once");
        CircuitOpenException rejection = assertInstanceOf(CircuitOpenException.class,
                assertThrows(CompletionException.class, failure::join).getCause());
        assertSame(down, rejection.getCause());
        assertEquals(List.of(), time.sleeps());
        assertEquals(0, time.pendingTasks(), "no wait scheduled");
    }

    @Test
    void aWaitFromThatThrowsEndsAnAsynchronousCallWithWhatItThrew() {
        IllegalStateException broken = new IllegalStateException("the header would not parse");
        Outcomes throwing = Outcomes.builder().waitAfterFailure(failure -> {
            throw broken;
        }).build();
        MethodPolicies<Remote> policies = policies(MethodPlan.builder("Remote.get").retry(RetrySpec.builder().build()), throwing, () -> {
            throw new IOException("busy");
        });
        CompletableFuture<Response> future = policies.<Response>callAsync(remote -> CompletableFuture.completedFuture(remote.get()), null);
        assertSame(broken, assertThrows(CompletionException.class, future::join).getCause());
        assertEquals(0, time.pendingTasks());
    }
}
