package dev.resilient.processor;

import static dev.resilient.processor.Scripted.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.BulkheadFullException;
import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.RateLimitedException;
import dev.resilient.runtime.ResilienceContext;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT.md, "Durations" and "@Retryable", sentence by sentence, as an acceptance test would
 * check them: an annotated interface compiled with the processor, its wrapper driven with
 * {@link ManualTime}.
 */
class ContractRetryAuditTest {
    static final Compiled COMPILED = Compiled.strictly("audit.Api",
            "package audit;",
            "",
            "import dev.resilient.annotations.*;",
            "import java.io.IOException;",
            "import java.time.Duration;",
            "",
            "public interface Api {",
            "    final class Busy extends IOException {",
            "        private static final long serialVersionUID = 1L;",
            "        public final transient Duration retryAfter;",
            "        public Busy(Duration retryAfter) { super(\"busy\"); this.retryAfter = retryAfter; }",
            "    }",
            "",
            "    @Retryable(maxAttempts = 2, delay = \"7ns\") String ns() throws IOException;",
            "    @Retryable(maxAttempts = 2, delay = \"7us\") String us() throws IOException;",
            "    @Retryable(maxAttempts = 2, delay = \"7ms\") String ms() throws IOException;",
            "    @Retryable(maxAttempts = 2, delay = \"7s\") String s() throws IOException;",
            "    @Retryable(maxAttempts = 2, delay = \"7m\") String m() throws IOException;",
            "    @Retryable(maxAttempts = 2, delay = \"7h\") String h() throws IOException;",
            "    @Retryable(maxAttempts = 2, delay = \"PT0.25S\") String iso() throws IOException;",
            "    @Retryable(maxAttempts = 3, delay = \"0\") String zero() throws IOException;",
            "    @Retryable String defaults() throws IOException;",
            "",
            "    @Retryable(maxAttempts = 5, delay = \"1s\", multiplier = 3.0, maxDelay = \"5s\")",
            "    String capped() throws IOException;",
            "",
            "    @Retryable(maxAttempts = 10, delay = \"10s\", multiplier = 1.0, maxDuration = \"20s\")",
            "    String budgeted() throws IOException;",
            "",
            "    @Retryable(maxAttempts = 2, delay = \"1s\", jitter = Jitter.EQUAL) String equal() throws IOException;",
            "    @Retryable(maxAttempts = 2, delay = \"1s\", jitter = Jitter.FULL) String full() throws IOException;",
            "",
            "    @Retryable(maxAttempts = 3, delay = \"1s\", retryOnResult = \"empty\") CharSequence judged();",
            "    default boolean empty(Object result) { return result.toString().isEmpty(); }",
            "",
            "    @Retryable(maxAttempts = 5, delay = \"1s\", maxDelay = \"3s\", waitFrom = \"asked\", jitter = Jitter.FULL)",
            "    String asked() throws IOException;",
            "    default Duration asked(Throwable failure) { return failure instanceof Busy b ? b.retryAfter : null; }",
            "",
            "    @Retryable(maxAttempts = 3, delay = \"1s\", retryOn = Throwable.class)",
            "    String neverRetried() throws InterruptedException;",
            "",
            "    @Retryable(maxAttempts = 3, delay = \"1s\", retryOn = IOException.class,",
            "            abortOn = java.io.FileNotFoundException.class)",
            "    String classified() throws IOException;",
            "",
            "    @Retryable(maxAttempts = 4, delay = \"10s\", multiplier = 1.0)",
            "    @Breaker(failureThreshold = 2, openFor = \"1m\")",
            "    String opens() throws IOException;",
            "",
            "    @Retryable(maxAttempts = 4, delay = \"10s\", multiplier = 1.0, retryOnResult = \"empty\")",
            "    @Breaker(failureThreshold = 2, openFor = \"1m\", failOnResult = \"empty\")",
            "    CharSequence opensOnResults();",
            "",
            "    @Retryable(maxAttempts = 4, delay = \"2m\", multiplier = 1.0)",
            "    @Breaker(failureThreshold = 2, openFor = \"1m\")",
            "    String outlastsTheBreaker() throws IOException;",
            "",
            "    default String viaDefault() throws IOException { return s() + \"!\"; }",
            "",
            "    @Retryable(maxAttempts = 3, delay = \"1s\", multiplier = 10.0, maxDelay = \"2s\", jitter = Jitter.EQUAL)",
            "    String cappedThenJittered() throws IOException;",
            "",
            "    @Retryable(maxAttempts = 5, delay = \"1s\", maxDuration = \"5s\", waitFrom = \"asked\")",
            "    String askedWithinBudget() throws IOException;",
            "}");

    private final ManualTime time = new ManualTime();
    private final ResilienceContext context = ResilienceContext.builder().time(time).random(new SplittableRandom(7)).build();
    private final Scripted delegate = new Scripted();
    private final Object api = wrap();

    private Object wrap() {
        try {
            Class<?> iface = COMPILED.load("audit.Api");
            return COMPILED.load("audit.ResilientApi").getConstructor(iface, ResilienceContext.class)
                    .newInstance(delegate.proxy(iface), context);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Object busy(Duration retryAfter) throws ReflectiveOperationException {
        return COMPILED.load("audit.Api$Busy").getConstructor(Duration.class).newInstance(retryAfter);
    }

    /** "a whole number with one of ns us ms s m h, or ISO-8601" */
    @Test
    void everyDurationUnitIsTheWaitItNames() throws Throwable {
        List<String> methods = List.of("ns", "us", "ms", "s", "m", "h", "iso");
        for (String method : methods) {
            delegate.then(new IOException(method), "ok");
            assertEquals("ok", call(api, method));
        }
        assertEquals(List.of(Duration.ofNanos(7), Duration.ofNanos(7_000), Duration.ofMillis(7), Duration.ofSeconds(7),
                Duration.ofMinutes(7), Duration.ofHours(7), Duration.ofMillis(250)), time.sleeps());
    }

    /** "Every wait, zero-length ones included, goes through the context's time"; "No wait follows the last attempt." */
    @Test
    void zeroWaitsAreMadeThroughTheContextAndNoneFollowsTheLastAttempt() {
        IOException last = new IOException("3");
        delegate.then(new IOException("1"), new IOException("2"), last);
        assertSame(last, assertThrows(IOException.class, () -> call(api, "zero")));
        assertEquals(List.of(Duration.ZERO, Duration.ZERO), time.sleeps());
    }

    /** Defaults: maxAttempts 3, delay 100ms, multiplier 2.0. */
    @Test
    void theDefaultsAreThreeAttemptsWaiting100msThenTwiceThat() {
        IOException last = new IOException("3");
        delegate.then(new IOException("1"), new IOException("2"), last);
        assertSame(last, assertThrows(IOException.class, () -> call(api, "defaults")));
        assertEquals(3, delegate.calls.size());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), time.sleeps());
    }

    /** retryOn defaults to {Exception.class}: an Error is not retried and reaches the caller itself. */
    @Test
    void anErrorIsNotRetriedByDefault() {
        AssertionError error = new AssertionError("a bug");
        delegate.then(error);
        assertSame(error, assertThrows(AssertionError.class, () -> call(api, "defaults")));
        assertEquals(1, delegate.calls.size());
        assertEquals(List.of(), time.sleeps());
    }

    /** "nominal wait before attempt n+1 is delay * multiplier^(n-1)"; maxDelay caps one nominal wait. */
    @Test
    void nominalWaitsGrowByTheMultiplierUpToTheCap() {
        delegate.then(new IOException(), new IOException(), new IOException(), new IOException(), new IOException());
        assertThrows(IOException.class, () -> call(api, "capped"));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(5)),
                time.sleeps());
    }

    /**
     * "maxDuration: overall budget from the start of the first attempt; no wait begins that would
     * end past it, so no attempt starts after it": a wait that ends exactly at it is made.
     */
    @Test
    void maxDurationAllowsAWaitEndingExactlyAtTheBudgetAndNoneBeyond() {
        IOException third = new IOException("3");
        delegate.then(new IOException("1"), new IOException("2"), third);
        assertSame(third, assertThrows(IOException.class, () -> call(api, "budgeted")));
        assertEquals(3, delegate.calls.size(), "attempts at 0 s, 10 s and 20 s");
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(10)), time.sleeps());
    }

    /** "EQUAL (uniform in [wait/2, wait])", "FULL (uniform in [0, wait])", drawn from the context's random. */
    @Test
    void jitterStaysInItsRangeAndVaries() throws Throwable {
        for (int i = 0; i < 40; i++) {
            delegate.then(new IOException(), "ok", new IOException(), "ok");
            call(api, "equal");
            call(api, "full");
        }
        Set<Duration> equal = new HashSet<>();
        Set<Duration> full = new HashSet<>();
        List<Duration> sleeps = time.sleeps();
        for (int i = 0; i < sleeps.size(); i += 2) {
            equal.add(sleeps.get(i));
            full.add(sleeps.get(i + 1));
        }
        assertTrue(equal.stream().allMatch(wait -> wait.compareTo(Duration.ofMillis(500)) >= 0
                && wait.compareTo(Duration.ofSeconds(1)) <= 0), equal.toString());
        assertTrue(full.stream().allMatch(wait -> !wait.isNegative() && wait.compareTo(Duration.ofSeconds(1)) <= 0),
                full.toString());
        assertTrue(equal.size() > 10 && full.size() > 10, "jittered waits vary");
        assertTrue(full.stream().anyMatch(wait -> wait.compareTo(Duration.ofMillis(500)) < 0), "FULL reaches below wait/2");
    }

    /**
     * "When attempts are used up on a result that retryOnResult rejects, the caller gets that last
     * result, returned normally"; the judge may take a supertype of R.
     */
    @Test
    void rejectedResultsAreRetriedAndTheLastIsReturned() throws Throwable {
        StringBuilder last = new StringBuilder();
        delegate.then(new StringBuilder(), new StringBuilder(), last);
        assertSame(last, call(api, "judged"));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), time.sleeps());

        delegate.then(new StringBuilder(), "fine");
        assertEquals("fine", call(api, "judged"));
    }

    /**
     * "A wait from waitFrom replaces the nominal wait and its jitter; the cap and the budget check
     * still apply"; "null (or a negative duration) for the computed one".
     */
    @Test
    void aServersWaitReplacesTheJitteredOneButIsCapped() throws Throwable {
        delegate.then(busy(Duration.ofSeconds(2)), busy(Duration.ofSeconds(10)), busy(Duration.ofSeconds(-1)),
                new IOException("plain"), "ok");
        assertEquals("ok", call(api, "asked"));
        List<Duration> sleeps = time.sleeps();
        assertEquals(4, sleeps.size(), sleeps.toString());
        assertEquals(Duration.ofSeconds(2), sleeps.get(0), "as asked, no jitter");
        assertEquals(Duration.ofSeconds(3), sleeps.get(1), "capped at maxDelay");
        assertTrue(sleeps.get(2).compareTo(Duration.ofSeconds(3)) <= 0, "negative: the computed, capped, jittered wait");
        assertTrue(sleeps.get(3).compareTo(Duration.ofSeconds(3)) <= 0, "null: the computed, capped, jittered wait");
    }

    /** "A wait is computed in this order: nominal wait, cap, jitter, budget check." */
    @Test
    void theCapComesBeforeTheJitter() {
        for (int i = 0; i < 20; i++) {
            delegate.then(new IOException(), new IOException(), new IOException());
            assertThrows(IOException.class, () -> call(api, "cappedThenJittered"));
        }
        List<Duration> sleeps = time.sleeps();
        for (int i = 1; i < sleeps.size(); i += 2) {
            Duration second = sleeps.get(i);
            assertTrue(second.compareTo(Duration.ofSeconds(1)) >= 0 && second.compareTo(Duration.ofSeconds(2)) <= 0,
                    "nominal 10 s, capped at 2 s, then jittered in [1 s, 2 s]: " + second);
        }
    }

    /** A server's wait still passes "the budget check": one that would end past maxDuration ends the call at once. */
    @Test
    void aServersWaitBeyondMaxDurationEndsTheCallAtOnce() throws Throwable {
        Object tooLong = busy(Duration.ofSeconds(6));
        delegate.then(busy(Duration.ofSeconds(2)), tooLong);
        assertSame(tooLong, assertThrows(IOException.class, () -> call(api, "askedWithinBudget")));
        assertEquals(List.of(Duration.ofSeconds(2)), time.sleeps(), "2 s + 6 s would end past 5 s");
        assertEquals(2, delegate.calls.size());
    }

    /** "CircuitOpenException, BulkheadFullException and InterruptedException are never retried." */
    @Test
    void rejectionsAndInterruptsAreNeverRetriedEvenUnderRetryOnThrowable() throws Throwable {
        CircuitOpenException open = new CircuitOpenException("elsewhere", CircuitBreaker.State.OPEN, 1_000, null);
        BulkheadFullException full = new BulkheadFullException("full");
        delegate.then(open, full);
        assertSame(open, assertThrows(CircuitOpenException.class, () -> call(api, "neverRetried")));
        assertSame(full, assertThrows(BulkheadFullException.class, () -> call(api, "neverRetried")));
        assertEquals(2, delegate.calls.size());

        InterruptedException interrupted = new InterruptedException("stop");
        delegate.then(interrupted);
        try {
            assertSame(interrupted, assertThrows(InterruptedException.class, () -> call(api, "neverRetried")));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag is set");
        } finally {
            Thread.interrupted();
        }
        assertEquals(3, delegate.calls.size());
        assertEquals(List.of(), time.sleeps());
    }

    /** RateLimitedException is "never retried". */
    @Test
    void aRateLimitedFailureFromTheDelegateIsNotRetried() {
        RateLimitedException limited = new RateLimitedException("later", Duration.ofSeconds(1));
        delegate.then(limited);
        assertSame(limited, assertThrows(RateLimitedException.class, () -> call(api, "neverRetried")));
        assertEquals(1, delegate.calls.size());
    }

    /** retryOn "subclasses included"; abortOn "wins over retryOn"; "the same instance, unwrapped, not mutated". */
    @Test
    void retryOnTakesSubclassesAbortOnWinsAndOthersEndTheCall() throws Throwable {
        delegate.then(new EOFException("sub"), "ok");
        assertEquals("ok", call(api, "classified"));

        FileNotFoundException aborted = new FileNotFoundException("gone");
        StackTraceElement[] trace = aborted.getStackTrace();
        delegate.then(aborted);
        assertSame(aborted, assertThrows(FileNotFoundException.class, () -> call(api, "classified")));
        assertEquals(List.of(trace), List.of(aborted.getStackTrace()), "not mutated");
        assertEquals(0, aborted.getSuppressed().length);

        IllegalStateException other = new IllegalStateException("not an IOException");
        delegate.then(other);
        assertSame(other, assertThrows(IllegalStateException.class, () -> call(api, "classified")));
        assertEquals(4, delegate.calls.size());
        assertEquals(List.of(Duration.ofSeconds(1)), time.sleeps());
    }

    /**
     * "when the breaker the next attempt must pass is OPEN for longer than the wait, the call ends
     * at once with that CircuitOpenException (its cause the last failure)".
     */
    @Test
    void noWaitIsMadeWhenTheBreakerStaysOpenLongerThanIt() {
        IOException second = new IOException("2");
        delegate.then(new IOException("1"), second);
        CircuitOpenException open = assertThrows(CircuitOpenException.class, () -> call(api, "opens"));
        assertSame(second, open.getCause());
        assertEquals("Api.opens", open.breakerName());
        assertEquals(List.of(Duration.ofSeconds(10)), time.sleeps(), "the second wait could not lead to an attempt");
        assertEquals(2, delegate.calls.size());
    }

    /** "— or, when the last attempt ended in a result that retryOnResult rejected, with that result". */
    @Test
    void noWaitIsMadeWhenTheBreakerStaysOpenAndTheLastRejectedResultIsReturned() throws Throwable {
        StringBuilder second = new StringBuilder();
        delegate.then(new StringBuilder(), second);
        assertSame(second, call(api, "opensOnResults"));
        assertEquals(List.of(Duration.ofSeconds(10)), time.sleeps());
        assertEquals(2, delegate.calls.size());
    }

    /** A wait longer than the time left open leads to a trial attempt, so it is made. */
    @Test
    void aWaitThatOutlastsTheOpenBreakerIsMadeAndLeadsToATrial() throws Throwable {
        delegate.then(new IOException("1"), new IOException("2"), "trial ok");
        assertEquals("trial ok", call(api, "outlastsTheBreaker"));
        assertEquals(List.of(Duration.ofMinutes(2), Duration.ofMinutes(2)), time.sleeps());
        assertEquals(CircuitBreaker.State.CLOSED, context.breaker("Api.outlastsTheBreaker").state());
    }

    /** "A default method without a policy is not overridden: its body runs on the wrapper". */
    @Test
    void aDefaultMethodWithoutAPolicyRunsOnTheWrapperThroughThePolicies() throws Throwable {
        assertThrows(NoSuchMethodException.class, () -> COMPILED.load("audit.ResilientApi").getDeclaredMethod("viaDefault"));
        delegate.then(new IOException("once"), "s");
        assertEquals("s!", call(api, "viaDefault"));
        assertEquals(List.of("s[]", "s[]"), delegate.calls);
    }

    /** Failures handed to the listener and caller are the delegate's own; a null stage is exercised in the async audit. */
    @Test
    void theLastFailureOfAnExhaustedRetryIsTheDelegatesOwn() {
        IOException last = new IOException("last");
        delegate.then(new IOException("first"), last);
        IOException thrown = assertThrows(IOException.class, () -> call(api, "s"));
        assertSame(last, thrown);
        assertInstanceOf(IOException.class, thrown);
    }
}
