package dev.resilient.processor;

import static dev.resilient.processor.Scripted.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.BulkheadFullException;
import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitBreaker.State;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.ResilienceListener;
import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT.md, "@Breaker" and the breaker parts of "Runtime", sentence by sentence, through a
 * generated wrapper on {@link ManualTime}.
 */
class ContractBreakerAuditTest {
    static final Compiled COMPILED = Compiled.strictly(
            Compiled.source("audit.Gate",
                    "package audit;",
                    "",
                    "import dev.resilient.annotations.*;",
                    "import java.io.IOException;",
                    "import java.util.concurrent.CompletableFuture;",
                    "",
                    "public interface Gate {",
                    "    @Breaker String consecutive() throws IOException;",
                    "    @Breaker(window = 4, failureRate = 0.5) String rate() throws IOException;",
                    "    @Breaker(failureThreshold = 1, openFor = \"10s\", halfOpenCalls = 2) CompletableFuture<String> trials();",
                    "    @Breaker(failureThreshold = 1, openFor = \"10s\", failOn = IOException.class,",
                    "            skipOn = java.io.EOFException.class)",
                    "    String classified() throws IOException;",
                    "    @Breaker(failureThreshold = 1, openFor = \"10s\", failOnResult = \"bad\") String judged();",
                    "    default boolean bad(String result) { return result.startsWith(\"bad\"); }",
                    "    @Breaker(windowDuration = \"10s\", openFor = \"10s\") String timed() throws IOException;",
                    "    @Breaker(window = 2, slowCall = \"1s\", openFor = \"10s\") String slow() throws IOException;",
                    "    @Breaker(failureThreshold = 1, openFor = \"10s\", maxHalfOpen = \"5s\") CompletableFuture<String> bounded();",
                    "    @Breaker(failureThreshold = 1, openFor = \"10s\", openForMultiplier = 2.0, maxOpenFor = \"30s\")",
                    "    String backoff() throws IOException;",
                    "    @Breaker(failureThreshold = 1, openFor = \"10s\") CompletableFuture<String> cancelled();",
                    "}"),
            Compiled.source("audit.Clients",
                    "package audit;",
                    "",
                    "import dev.resilient.annotations.Breaker;",
                    "",
                    "public class Clients {",
                    "    public interface Breakers { @Breaker(failureThreshold = 1) String unnamed(); }",
                    "    public interface Other { @Breaker(name = \"Clients.Breakers.unnamed\", failureThreshold = 2) String same(); }",
                    "}"));

    private final ManualTime time = new ManualTime();
    private final List<String> events = new ArrayList<>();
    private final ResilienceContext context = ResilienceContext.builder().time(time).listener(new ResilienceListener() {
        @Override
        public void onStateChange(String breaker, State from, State to) {
            events.add(breaker + " " + from + " -> " + to);
        }

        @Override
        public void onRejected(String breaker, CircuitOpenException rejection) {
            events.add("rejected by " + breaker);
        }
    }).build();
    private final Scripted delegate = new Scripted();
    private final Object gate = wrap("audit.Gate", "audit.ResilientGate", delegate, context);

    private static Object wrap(String iface, String wrapper, Scripted delegate, ResilienceContext context) {
        try {
            Class<?> type = COMPILED.load(iface);
            return COMPILED.load(wrapper).getConstructor(type, ResilienceContext.class).newInstance(delegate.proxy(type), context);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException problem) {
                throw problem;
            }
            throw new AssertionError(e);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private State state(String name) {
        return context.breaker(name).state();
    }

    private static Throwable failureOf(Object stage) {
        ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> ((CompletableFuture<?>) stage).toCompletableFuture().get());
        return thrown.getCause();
    }

    /** failureThreshold default 5: "consecutive failures that open it"; openFor default 30s. */
    @Test
    void fiveConsecutiveFailuresOpenTheDefaultBreakerForThirtySeconds() throws Throwable {
        delegate.then(new IOException(), new IOException(), new IOException(), new IOException(), "ok");
        for (int i = 0; i < 4; i++) {
            assertThrows(IOException.class, () -> call(gate, "consecutive"));
        }
        call(gate, "consecutive");
        delegate.then(new IOException(), new IOException(), new IOException(), new IOException(), new IOException());
        for (int i = 0; i < 4; i++) {
            assertThrows(IOException.class, () -> call(gate, "consecutive"));
        }
        assertEquals(State.CLOSED, state("Gate.consecutive"), "a success between resets the count");
        assertThrows(IOException.class, () -> call(gate, "consecutive"));
        assertEquals(State.OPEN, state("Gate.consecutive"));
        assertEquals(Optional.of(Duration.ofSeconds(30)), context.breaker("Gate.consecutive").timeLeftOpen());

        CircuitOpenException open = assertThrows(CircuitOpenException.class, () -> call(gate, "consecutive"));
        assertEquals("Gate.consecutive", open.breakerName());
        assertEquals(Duration.ofSeconds(30), open.remaining());
        assertNull(open.getCause(), "no earlier attempt of this call failed");
        assertTrue(open.getMessage().contains("Gate.consecutive"), open.getMessage());
        assertEquals(10, delegate.calls.size(), "the open breaker does not call the delegate");
    }

    /** "ok, fail, fail, ok in a window of 4 at rate 0.5 opens it". */
    @Test
    void theRateIsDecidedAfterEveryOutcomeASuccessIncluded() throws Throwable {
        delegate.then("ok", new IOException(), new IOException(), "ok");
        call(gate, "rate");
        assertThrows(IOException.class, () -> call(gate, "rate"));
        assertThrows(IOException.class, () -> call(gate, "rate"));
        assertEquals(State.CLOSED, state("Gate.rate"), "minimumCalls defaults to the window: 3 calls decide nothing");
        assertEquals("ok", call(gate, "rate"));
        assertEquals(State.OPEN, state("Gate.rate"));
    }

    /** openFor: "once it has elapsed (at exactly openFor too) trial calls are let through". */
    @Test
    void trialCallsAreLetThroughAtExactlyOpenFor() throws Throwable {
        delegate.then(new IOException("down"));
        assertThrows(IOException.class, () -> call(gate, "backoff"));
        time.advance(Duration.ofSeconds(10).minusNanos(1));
        assertThrows(CircuitOpenException.class, () -> call(gate, "backoff"));
        time.advance(Duration.ofNanos(1));
        assertEquals(State.HALF_OPEN, state("Gate.backoff"));
        delegate.then("up");
        assertEquals("up", call(gate, "backoff"));
        assertEquals(State.CLOSED, state("Gate.backoff"));
    }

    /**
     * halfOpenCalls: "trial calls admitted in HALF_OPEN; all must succeed to close; any failure
     * re-opens"; beyond them CircuitOpenException.
     */
    @Test
    void exactlyHalfOpenCallsAreAdmittedAndAllMustSucceed() throws Throwable {
        delegate.then(CompletableFuture.failedFuture(new IOException("down")));
        failureOf(call(gate, "trials"));
        time.advance(Duration.ofSeconds(10));

        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        delegate.then(first, second);
        Object one = call(gate, "trials");
        Object two = call(gate, "trials");
        CircuitOpenException third = assertInstanceOf(CircuitOpenException.class, failureOf(call(gate, "trials")));
        assertEquals(State.HALF_OPEN, third.state());
        assertEquals(3, delegate.calls.size());

        first.complete("a");
        assertEquals(State.HALF_OPEN, state("Gate.trials"), "one of two trials does not close it");
        second.complete("b");
        assertEquals("a", ((CompletableFuture<?>) one).get());
        assertEquals("b", ((CompletableFuture<?>) two).get());
        assertEquals(State.CLOSED, state("Gate.trials"));

        delegate.then(CompletableFuture.failedFuture(new IOException("down again")));
        failureOf(call(gate, "trials"));
        time.advance(Duration.ofSeconds(10));
        CompletableFuture<String> good = new CompletableFuture<>();
        CompletableFuture<String> bad = new CompletableFuture<>();
        delegate.then(good, bad);
        call(gate, "trials");
        call(gate, "trials");
        good.complete("fine");
        bad.completeExceptionally(new IOException("still down"));
        assertEquals(State.OPEN, state("Gate.trials"), "any failure re-opens");
    }

    /**
     * "A failure matching neither failOn nor skipOn counts as a success ... and still reaches the
     * caller"; skipOn "counts as neither (a trial call's permit is returned)".
     */
    @Test
    void failuresOutsideFailOnAreSuccessesAndSkippedOnesCountAsNeither() throws Throwable {
        IllegalStateException mistake = new IllegalStateException("caller's mistake");
        delegate.then(mistake);
        assertSame(mistake, assertThrows(IllegalStateException.class, () -> call(gate, "classified")));
        EOFException skipped = new EOFException("skipped");
        delegate.then(skipped);
        assertSame(skipped, assertThrows(EOFException.class, () -> call(gate, "classified")));
        assertEquals(State.CLOSED, state("Gate.classified"));

        delegate.then(new IOException("counts"));
        assertThrows(IOException.class, () -> call(gate, "classified"));
        assertEquals(State.OPEN, state("Gate.classified"));
        time.advance(Duration.ofSeconds(10));
        delegate.then(new EOFException("skipped trial"), "closing trial");
        assertThrows(EOFException.class, () -> call(gate, "classified"));
        assertEquals(State.HALF_OPEN, state("Gate.classified"), "the skipped trial's permit was returned");
        assertEquals("closing trial", call(gate, "classified"));
        assertEquals(State.CLOSED, state("Gate.classified"));
    }

    /** "BulkheadFullException ... and cancellation always count as neither." */
    @Test
    void bulkheadFullAndCancellationCountAsNeither() throws Throwable {
        BulkheadFullException full = new BulkheadFullException("a nested client's bulkhead");
        delegate.then(full, new CancellationException("cancelled below"));
        assertSame(full, assertThrows(BulkheadFullException.class, () -> call(gate, "classified")));
        assertThrows(CancellationException.class, () -> call(gate, "backoff"));
        assertEquals(State.CLOSED, state("Gate.classified"));
        assertEquals(State.CLOSED, state("Gate.backoff"), "failOn Throwable, threshold 1: yet not counted");

        CompletableFuture<String> never = new CompletableFuture<>();
        delegate.then(never);
        CompletableFuture<?> returned = (CompletableFuture<?>) call(gate, "cancelled");
        returned.cancel(true);
        assertEquals(State.CLOSED, state("Gate.cancelled"));
        delegate.then(CompletableFuture.completedFuture("next"));
        assertEquals("next", ((CompletableFuture<?>) call(gate, "cancelled")).get());
    }

    /** "Every attempt ... is recorded, before the caller (or the returned stage) sees the outcome." */
    @Test
    void anAsynchronousOutcomeIsRecordedBeforeTheReturnedStageCompletes() throws Throwable {
        CompletableFuture<String> answer = new CompletableFuture<>();
        delegate.then(answer);
        CompletableFuture<?> returned = (CompletableFuture<?>) call(gate, "cancelled");
        List<State> seenByTheCaller = new ArrayList<>();
        returned.whenComplete((value, failure) -> seenByTheCaller.add(state("Gate.cancelled")));
        answer.completeExceptionally(new IOException("down"));
        assertEquals(List.of(State.OPEN), seenByTheCaller);
    }

    /**
     * "whatever a trial call ends with (value, failure, skipped failure, Error, cancellation) its
     * permit is settled, so the breaker never sticks in HALF_OPEN".
     */
    @Test
    void aTrialEndingInAnErrorOrACancellationSettlesItsPermit() throws Throwable {
        delegate.then(new IOException("down"));
        assertThrows(IOException.class, () -> call(gate, "backoff"));
        time.advance(Duration.ofSeconds(10));
        AssertionError error = new AssertionError("a bug in the delegate");
        delegate.then(error);
        assertSame(error, assertThrows(AssertionError.class, () -> call(gate, "backoff")));
        assertEquals(State.OPEN, state("Gate.backoff"), "an Error is a failure under failOn Throwable: re-opened");

        delegate.then(CompletableFuture.failedFuture(new IOException("down")));
        failureOf(call(gate, "cancelled"));
        time.advance(Duration.ofSeconds(10));
        CompletableFuture<String> trial = new CompletableFuture<>();
        delegate.then(trial, CompletableFuture.completedFuture("second trial"));
        ((CompletableFuture<?>) call(gate, "cancelled")).cancel(true);
        assertEquals(State.HALF_OPEN, state("Gate.cancelled"), "the cancelled trial's permit came back");
        assertEquals("second trial", ((CompletableFuture<?>) call(gate, "cancelled")).get());
        assertEquals(State.CLOSED, state("Gate.cancelled"));
    }

    /** failOnResult: "true records that attempt as a failure (the caller still gets the result)". */
    @Test
    void aResultJudgedBadCountsAsAFailureAndIsStillReturned() throws Throwable {
        delegate.then("bad answer");
        assertEquals("bad answer", call(gate, "judged"));
        assertEquals(State.OPEN, state("Gate.judged"));
    }

    /**
     * windowDuration: "kept in 10 equal buckets, so a call leaves the window between 0.9 and 1.0 ×
     * windowDuration after it ended"; "minimumCalls then defaults to 10".
     */
    @Test
    void aTimeWindowNeedsTenCallsAndForgetsACallWithinItsLastTenth() throws Throwable {
        for (int i = 0; i < 9; i++) {
            delegate.then(new IOException());
            assertThrows(IOException.class, () -> call(gate, "timed"));
        }
        assertEquals(State.CLOSED, state("Gate.timed"), "9 calls decide nothing");
        time.advance(Duration.ofMillis(8_900));
        delegate.then(new IOException());
        assertThrows(IOException.class, () -> call(gate, "timed"));
        assertEquals(State.OPEN, state("Gate.timed"), "calls of 8.9 s ago are still in the window");

        context.breaker("Gate.timed").reset();
        for (int i = 0; i < 9; i++) {
            delegate.then(new IOException());
            assertThrows(IOException.class, () -> call(gate, "timed"));
        }
        time.advance(Duration.ofSeconds(10));
        delegate.then(new IOException());
        assertThrows(IOException.class, () -> call(gate, "timed"));
        assertEquals(State.CLOSED, state("Gate.timed"), "calls of 10 s ago have left the window");
    }

    /**
     * slowCall: "an attempt that ends in at least this long is slow, whatever its outcome";
     * slowCallRate default 1.0; "a slow trial call in HALF_OPEN re-opens the breaker".
     */
    @Test
    void slowSuccessesOpenTheBreakerAndASlowTrialReopensIt() throws Throwable {
        Scripted.Later slowOk = () -> {
            time.advance(Duration.ofSeconds(1));
            return "slow ok";
        };
        Scripted.Later fastOk = () -> "fast ok";
        delegate.then(slowOk, fastOk);
        call(gate, "slow");
        call(gate, "slow");
        assertEquals(State.CLOSED, state("Gate.slow"), "1 slow of 2: below slowCallRate 1.0");
        delegate.then(slowOk);
        call(gate, "slow");
        assertEquals(State.CLOSED, state("Gate.slow"), "window of 2: fast, slow");
        delegate.then(slowOk);
        assertEquals("slow ok", call(gate, "slow"));
        assertEquals(State.OPEN, state("Gate.slow"), "2 slow of 2");

        time.advance(Duration.ofSeconds(10));
        delegate.then(slowOk);
        assertEquals("slow ok", call(gate, "slow"), "the caller still gets the slow value");
        assertEquals(State.OPEN, state("Gate.slow"), "a slow trial re-opens it");
    }

    /** maxHalfOpen: "trial calls not settled by then leave the breaker OPEN again (their late outcomes change nothing)". */
    @Test
    void trialsUnsettledAtMaxHalfOpenLeaveTheBreakerOpen() throws Throwable {
        delegate.then(CompletableFuture.failedFuture(new IOException("down")));
        failureOf(call(gate, "bounded"));
        time.advance(Duration.ofSeconds(10));
        CompletableFuture<String> trial = new CompletableFuture<>();
        delegate.then(trial);
        call(gate, "bounded");
        assertEquals(State.HALF_OPEN, state("Gate.bounded"));
        time.advance(Duration.ofSeconds(5));
        assertEquals(State.OPEN, state("Gate.bounded"));
        trial.complete("late");
        assertEquals(State.OPEN, state("Gate.bounded"), "the late success changes nothing");
    }

    /** openForMultiplier: "each re-opening from HALF_OPEN multiplies the time OPEN"; maxOpenFor caps it; closing resets. */
    @Test
    void reopeningMultipliesTheTimeOpenUpToMaxOpenForAndClosingResetsIt() throws Throwable {
        CircuitBreaker breaker = context.breaker("Gate.backoff");
        delegate.then(new IOException("1"));
        assertThrows(IOException.class, () -> call(gate, "backoff"));
        assertEquals(Optional.of(Duration.ofSeconds(10)), breaker.timeLeftOpen());
        time.advance(Duration.ofSeconds(10));
        delegate.then(new IOException("2"));
        assertThrows(IOException.class, () -> call(gate, "backoff"));
        assertEquals(Optional.of(Duration.ofSeconds(20)), breaker.timeLeftOpen());
        time.advance(Duration.ofSeconds(20));
        delegate.then(new IOException("3"));
        assertThrows(IOException.class, () -> call(gate, "backoff"));
        assertEquals(Optional.of(Duration.ofSeconds(30)), breaker.timeLeftOpen(), "40 s capped at 30 s");
        time.advance(Duration.ofSeconds(30));
        delegate.then("up", new IOException("4"));
        call(gate, "backoff");
        assertEquals(State.CLOSED, breaker.state());
        assertThrows(IOException.class, () -> call(gate, "backoff"));
        assertEquals(Optional.of(Duration.ofSeconds(10)), breaker.timeLeftOpen(), "closing reset it to openFor");
    }

    /** forceOpen holds it open until reset; state changes reach listeners. */
    @Test
    void forceOpenHoldsTheBreakerOpenUntilReset() throws Throwable {
        CircuitBreaker breaker = context.breaker("Gate.consecutive");
        breaker.forceOpen();
        time.advance(Duration.ofDays(1));
        CircuitOpenException held = assertThrows(CircuitOpenException.class, () -> call(gate, "consecutive"));
        assertNull(held.remaining(), "held open until reset");
        assertEquals(Optional.empty(), breaker.timeLeftOpen());
        breaker.reset();
        delegate.then("ok");
        assertEquals("ok", call(gate, "consecutive"));
        assertEquals(List.of("Gate.consecutive CLOSED -> OPEN", "rejected by Gate.consecutive",
                "Gate.consecutive OPEN -> CLOSED"), events);
    }

    /**
     * Breaker name default: "the interface's name within its package (nested names joined by .),
     * a ., and the method name — "Clients.Breakers.unnamed""; wrappers with one name and other
     * settings "fail at construction, naming both".
     */
    @Test
    void aNestedInterfacesBreakerIsNamedWithinItsPackageAndAConflictNamesBoth() {
        wrap("audit.Clients$Breakers", "audit.ResilientClients_Breakers", new Scripted(), context);
        assertEquals(State.CLOSED, state("Clients.Breakers.unnamed"));

        IllegalArgumentException conflict = assertThrows(IllegalArgumentException.class,
                () -> wrap("audit.Clients$Other", "audit.ResilientClients_Other", new Scripted(), context));
        assertTrue(conflict.getMessage().contains("Clients.Breakers.unnamed"), conflict.getMessage());
        assertTrue(conflict.getMessage().contains("failureThreshold=1") && conflict.getMessage().contains("failureThreshold=2"),
                "names both settings: " + conflict.getMessage());
    }

    /** "context.breaker(name) for a name no wrapper declared throws IllegalArgumentException listing the known names". */
    @Test
    void anUnknownBreakerNameListsTheKnownOnes() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> context.breaker("Gate.nope"));
        for (String known : List.of("Gate.consecutive", "Gate.rate", "Gate.trials", "Gate.backoff")) {
            assertTrue(unknown.getMessage().contains(known), unknown.getMessage());
        }
        assertEquals(List.of("Gate.consecutive", "Gate.rate", "Gate.trials", "Gate.classified", "Gate.judged", "Gate.timed",
                "Gate.slow", "Gate.bounded", "Gate.backoff", "Gate.cancelled"),
                context.breakers().stream().map(CircuitBreaker::name).toList(), "context.breakers(), in the order declared");
    }
}
