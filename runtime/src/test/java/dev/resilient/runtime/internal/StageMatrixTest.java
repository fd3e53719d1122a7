package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.AttemptTimeoutException;
import dev.resilient.runtime.CircuitBreaker.State;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stage matrix: every asynchronous behaviour of the policy stack, tried with every kind of
 * stage a delegate may return (the JDK's own, a foreign library's, answered before or after it
 * is returned). Issue #11, cases 16 and 17.
 */
class StageMatrixTest {
    private final ManualTime time = new ManualTime();
    private final Recorder events = new Recorder();
    private final ResilienceContext context = ResilienceContext.builder().time(time).listener(events).build();

    interface Service {
        CompletionStage<String> call();
    }

    /** A delegate answering each call with the next scripted outcome, as a stage of one kind. */
    private final class Scripted implements Service {
        private final StageKind kind;
        private final Deque<Object> outcomes = new ArrayDeque<>();
        final AtomicInteger calls = new AtomicInteger();
        final List<CompletionStage<String>> returned = new java.util.concurrent.CopyOnWriteArrayList<>();

        Scripted(StageKind kind, Object... outcomes) {
            this.kind = kind;
            this.outcomes.addAll(List.of(outcomes));
        }

        @Override
        public CompletionStage<String> call() {
            calls.incrementAndGet();
            CompletionStage<String> stage = kind.answer(time, outcomes.isEmpty() ? "extra" : outcomes.removeFirst());
            returned.add(stage);
            return stage;
        }
    }

    private static Object outcome(CompletableFuture<?> result) {
        assertTrue(result.isDone(), "the call has completed");
        try {
            return result.join();
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    private static final BreakerSpec BREAKER = BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(1)).build();

    private static RetrySpec retry(int maxAttempts) {
        return RetrySpec.builder().maxAttempts(maxAttempts).delay(Duration.ofMillis(10)).build();
    }


    private static MethodPlan.Builder plan() {
        return MethodPlan.builder("S.call");
    }

    private Breaker breaker() {
        return Breaker.declare(context, "s", BREAKER);
    }

    @ParameterizedTest
    @EnumSource(StageKind.class)
    void aValueAndAFailureReachTheCallerAfterRetries(StageKind kind) {
        IOException failure = new IOException("down");
        Scripted delegate = new Scripted(kind, failure, "ok", failure, failure);
        MethodPolicies<Service> policies = plan().retry(retry(2)).build().over(context, delegate);

        CompletableFuture<String> first = policies.callAsync(Service::call, null);
        time.advance(Duration.ofSeconds(1));
        assertEquals("ok", outcome(first));
        CompletableFuture<String> second = policies.callAsync(Service::call, null);
        time.advance(Duration.ofSeconds(1));
        assertSame(failure, outcome(second));
        assertEquals(List.of("attempt S.call #1 IOException", "retry S.call #1 IOException in 10ms", "attempt S.call #2 ok",
                "attempt S.call #1 IOException", "retry S.call #1 IOException in 10ms", "attempt S.call #2 IOException",
                "exhausted S.call #2 IOException"), events.events());
    }

    @ParameterizedTest
    @EnumSource(StageKind.class)
    void aHedgedAttemptThatFailsStartsTheNextAtOnce(StageKind kind) {
        IOException failure = new IOException("down");
        Scripted delegate = new Scripted(kind, failure, "hedged");
        MethodPolicies<Service> policies = plan().hedge().hedgeDelay(Duration.ofMillis(10)).build().over(context, delegate);

        CompletableFuture<String> result = policies.callAsync(Service::call, null);
        time.advance(Duration.ofMillis(2)); // pending kinds answer 1 ms after they are returned: well before the delay
        assertEquals("hedged", outcome(result));
        assertEquals(List.of("attempt S.call #1 IOException", "hedge S.call #2", "attempt S.call #2 ok"), events.events());
        assertEquals(0, time.pendingTasks(), "no hedge timer is left behind");
    }

    @ParameterizedTest
    @EnumSource(value = StageKind.class, names = {"FUTURE", "MINIMAL", "FOREIGN"})
    void aHedgeWinsOverAStageThatNeverAnswersWhichIsCancelled(StageKind kind) {
        Scripted delegate = new Scripted(kind, StageKind.NEVER, "hedged");
        MethodPolicies<Service> policies = plan().hedge().hedgeDelay(Duration.ofMillis(10)).breaker("s", BREAKER).build()
                .over(context, delegate);

        CompletableFuture<String> result = policies.callAsync(Service::call, null);
        time.advance(Duration.ofMillis(9));
        assertFalse(result.isDone());
        time.advance(Duration.ofMillis(2));
        assertEquals("hedged", outcome(result));
        assertEquals(List.of("hedge S.call #2", "attempt S.call #2 ok", "attempt S.call #1 CancellationException"), events.events());
        if (kind == StageKind.FUTURE) {
            assertTrue(((CompletableFuture<String>) delegate.returned.get(0)).isCancelled(), "the loser's stage is cancelled");
        }
        assertEquals(State.CLOSED, context.breaker("s").state(), "the loser counts as neither");
        assertEquals(0, time.pendingTasks());
    }

    @ParameterizedTest
    @EnumSource(StageKind.class)
    void aTrialCallSettlesItsPermitWhateverItEndsWith(StageKind kind) {
        Breaker breaker = breaker();
        Scripted delegate = new Scripted(kind, new IOException("1"), new IOException("trial fails"), "trial passes");
        MethodPolicies<Service> policies = plan().breaker("s", BREAKER).build().over(context, delegate);

        policies.callAsync(Service::call, null);
        time.advance(Duration.ofMillis(1));
        assertEquals(State.OPEN, breaker.state());
        time.advance(Duration.ofSeconds(1));
        CompletableFuture<String> failedTrial = policies.callAsync(Service::call, null);
        time.advance(Duration.ofMillis(1));
        assertInstanceOf(IOException.class, outcome(failedTrial));
        assertEquals(State.OPEN, breaker.state(), "a failed trial re-opens the breaker");
        time.advance(Duration.ofSeconds(1));
        CompletableFuture<String> passedTrial = policies.callAsync(Service::call, null);
        time.advance(Duration.ofMillis(1));
        assertEquals("trial passes", outcome(passedTrial));
        assertEquals(State.CLOSED, breaker.state());
    }

    @ParameterizedTest
    @EnumSource(value = StageKind.class, names = {"FUTURE", "MINIMAL", "FOREIGN"})
    void aStageThatNeverAnswersTimesOutAtTheDeadlineAndIsRetried(StageKind kind) {
        Scripted delegate = new Scripted(kind, StageKind.NEVER, "second");
        MethodPolicies<Service> policies = plan().retry(retry(2)).timeout(Duration.ofMillis(100)).build().over(context, delegate);

        CompletableFuture<String> result = policies.callAsync(Service::call, null);
        time.advance(Duration.ofMillis(99));
        assertFalse(result.isDone());
        time.advance(Duration.ofMillis(1)); // the deadline: the timer fires inside advance(), which must not throw
        assertEquals(List.of("timeout S.call 100ms", "attempt S.call #1 AttemptTimeoutException",
                "retry S.call #1 AttemptTimeoutException in 10ms"), events.events());
        time.advance(Duration.ofMillis(11));
        assertEquals("second", outcome(result));
        if (kind == StageKind.FUTURE) {
            assertTrue(((CompletableFuture<String>) delegate.returned.get(0)).isCancelled(), "the timed-out stage is cancelled");
        }
        assertEquals(0, time.pendingTasks(), "no timer is left behind");
    }

    @ParameterizedTest
    @EnumSource(value = StageKind.class, names = {"FUTURE", "MINIMAL", "FOREIGN"})
    void cancellingDuringATrialReturnsItsPermitAndStartsNothingMore(StageKind kind) {
        Breaker breaker = breaker();
        AtomicInteger fallbacks = new AtomicInteger();
        Scripted delegate = new Scripted(kind, new IOException("opens"), StageKind.NEVER, "next trial");
        MethodPolicies<Service> policies = plan().retry(retry(3)).breaker("s", BREAKER).fallback().build()
                .over(context, delegate);

        CompletableFuture<String> opening = policies.callAsync(Service::call, failure -> {
            fallbacks.incrementAndGet();
            return CompletableFuture.completedFuture("fallback");
        });
        time.advance(Duration.ofMillis(1));
        assertEquals("fallback", outcome(opening), "no hopeless wait: the open breaker ends the call, which falls back");
        time.advance(Duration.ofSeconds(1));
        events.clear();
        CompletableFuture<String> trial = policies.callAsync(Service::call, failure -> {
            fallbacks.incrementAndGet();
            return CompletableFuture.completedFuture("fallback");
        });
        assertTrue(trial.cancel(true));
        time.advance(Duration.ofSeconds(5));
        assertEquals(1, fallbacks.get(), "no fallback after cancellation");
        assertTrue(events.events("retry").isEmpty(), "no retry announced after cancellation: " + events.events());
        assertTrue(events.events("fallback").isEmpty(), events.events().toString());
        assertEquals(2, delegate.calls.get(), "nothing more started");

        CompletableFuture<String> nextTrial = policies.callAsync(Service::call, null);
        time.advance(Duration.ofMillis(1));
        assertEquals("next trial", outcome(nextTrial), "the cancelled trial's permit was returned");
        assertEquals(State.CLOSED, breaker.state());
    }

    @ParameterizedTest
    @EnumSource(value = StageKind.class, names = {"FUTURE", "MINIMAL", "FOREIGN"})
    void anAttemptStartingWhenTheCallerCancelsIsCancelledAndSettled(StageKind kind) throws Exception {
        BreakerSpec briefly = BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofMillis(5)).build();
        Breaker breaker = Breaker.declare(context, "s", briefly);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<CompletionStage<String>> second = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        Service delegate = () -> {
            int call = calls.incrementAndGet();
            if (call == 1) {
                return CompletableFuture.failedFuture(new IOException("opens the breaker for 5 ms"));
            }
            if (call == 3) {
                return CompletableFuture.completedFuture("third");
            }
            entered.countDown();
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            CompletionStage<String> stage = kind.answer(time, StageKind.NEVER);
            second.set(stage);
            return stage;
        };
        MethodPolicies<Service> policies = plan().retry(retry(3)).breaker("s", briefly).bulkhead().maxConcurrent(1).build()
                .over(context, delegate);

        CompletableFuture<String> result = policies.callAsync(Service::call, null);
        Thread advancing = new Thread(() -> time.advance(Duration.ofMillis(10))); // attempt 2, a trial, starts in there
        advancing.start();
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        assertTrue(result.cancel(true));
        go.countDown();
        advancing.join(10_000);
        time.advance(Duration.ofSeconds(1));

        assertEquals(2, calls.get(), "nothing started after the cancellation");
        assertTrue(events.events("retry").size() == 1, "only the first retry was announced: " + events.events());
        if (kind == StageKind.FUTURE) {
            assertTrue(((CompletableFuture<String>) second.get()).isCancelled(), "the attempt that was starting is cancelled");
        }
        assertEquals(State.HALF_OPEN, breaker.state());
        CompletableFuture<String> third = policies.callAsync(Service::call, null);
        if (kind == StageKind.FUTURE) {
            assertEquals("third", outcome(third), "the cancelled future completed, so its slot and its trial permit are back");
        } else {
            // A slot is held until the delegate's stage completes, and these never do; the permit came back all the same.
            assertInstanceOf(dev.resilient.runtime.BulkheadFullException.class, outcome(third));
            breaker.acquire(null).succeeded();
        }
        assertEquals(State.CLOSED, breaker.state());
    }

    @ParameterizedTest
    @EnumSource(StageKind.class)
    void anAsyncBulkheadHoldsItsSlotUntilTheStageCompletes(StageKind kind) {
        Scripted delegate = new Scripted(kind, "a", "b", "c");
        MethodPolicies<Service> policies = plan().bulkhead().maxConcurrent(1).build().over(context, delegate);

        CompletableFuture<String> first = policies.callAsync(Service::call, null);
        CompletableFuture<String> second = policies.callAsync(Service::call, null);
        if (!kind.isDone()) {
            assertInstanceOf(dev.resilient.runtime.BulkheadFullException.class, outcome(second), "the first holds the only slot");
        }
        time.advance(Duration.ofMillis(1));
        assertEquals("a", outcome(first));
        if (kind.isDone()) {
            assertEquals("b", outcome(second), "an answered stage gave its slot back at once");
        }
        CompletableFuture<String> third = policies.callAsync(Service::call, null);
        time.advance(Duration.ofMillis(1));
        assertEquals(kind.isDone() ? "c" : "b", outcome(third), "the slot came back when the stage completed");
    }

    @ParameterizedTest
    @EnumSource(value = StageKind.class, names = {"FUTURE", "MINIMAL", "FOREIGN"})
    void aCallerCancellingAPendingStageNeitherRetriesNorFallsBack(StageKind kind) {
        AtomicInteger fallbacks = new AtomicInteger();
        Scripted delegate = new Scripted(kind, StageKind.NEVER, "never asked");
        MethodPolicies<Service> policies = plan().retry(retry(3)).fallback().build().over(context, delegate);

        CompletableFuture<String> result = policies.callAsync(Service::call, failure -> {
            fallbacks.incrementAndGet();
            return CompletableFuture.completedFuture("fallback");
        });
        assertTrue(result.cancel(true));
        time.advance(Duration.ofSeconds(1));
        assertEquals(1, delegate.calls.get());
        assertEquals(0, fallbacks.get());
        assertTrue(events.events("retry").isEmpty() && events.events("fallback").isEmpty(), events.events().toString());
        if (kind == StageKind.FUTURE) {
            assertTrue(((CompletableFuture<String>) delegate.returned.get(0)).isCancelled());
        }
    }

    @ParameterizedTest
    @EnumSource(value = StageKind.class, names = {"DONE_FUTURE", "DONE_MINIMAL", "DONE_FOREIGN"})
    void aRejectionCompletesTheStageWithTheOpenCircuitItself(StageKind kind) {
        Breaker breaker = breaker();
        Scripted delegate = new Scripted(kind, new IOException("opens"));
        MethodPolicies<Service> policies = plan().breaker("s", BREAKER).build().over(context, delegate);
        policies.callAsync(Service::call, null);
        assertInstanceOf(CircuitOpenException.class, outcome(policies.callAsync(Service::call, null)));
        assertInstanceOf(AttemptTimeoutException.class, new AttemptTimeoutException("only to use the import"));
    }
}
