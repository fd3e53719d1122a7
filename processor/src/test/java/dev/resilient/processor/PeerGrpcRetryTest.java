package dev.resilient.processor;

import static dev.resilient.processor.Scripted.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.internal.Recorder;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Server pushback and retry throttling from gRPC's retry design
 * (<a href="https://github.com/grpc/proposal/blob/master/A6-client-retries.md">gRFC A6, Client
 * retries</a>) through a generated wrapper whose method has only a retry and a breaker, so its loop
 * is written out inline (the runtime's {@code PeerGrpcRetryTest} checks the policy stack).
 */
class PeerGrpcRetryTest {
    static final Compiled COMPILED = Compiled.strictly("test.Api",
            "package test;",
            "",
            "import dev.resilient.annotations.*;",
            "import java.io.IOException;",
            "import java.time.Duration;",
            "",
            "@RetryBudget(ratio = 0, minPerSecond = 1, window = \"1s\")",
            "public interface Api {",
            "    record Response(int status, int retryAfterSeconds) {}",
            "",
            "    @Retryable(maxAttempts = 2, delay = \"100ms\", retryOnResult = \"unavailable\", waitFrom = \"retryAfter\",",
            "            abortOn = IllegalArgumentException.class)",
            "    @Breaker(failureThreshold = 100)",
            "    Response get(String key) throws IOException;",
            "",
            "    default boolean unavailable(Response response) {",
            "        return response.status() == 503;",
            "    }",
            "",
            "    default Duration retryAfter(Response response) {",
            "        return response.retryAfterSeconds() < 0 ? null : Duration.ofSeconds(response.retryAfterSeconds());",
            "    }",
            "}");

    private final ManualTime time = new ManualTime();
    private final Recorder recorder = new Recorder();
    private final Scripted remote = new Scripted();

    private Object wrap() throws Exception {
        ResilienceContext context = ResilienceContext.builder().time(time).listener(recorder).build();
        Class<?> iface = COMPILED.load("test.Api");
        return COMPILED.load("test.ResilientApi").getConstructor(iface, ResilienceContext.class).newInstance(remote.proxy(iface), context);
    }

    private static Object response(int status, int retryAfterSeconds) throws Exception {
        return COMPILED.load("test.Api$Response").getConstructor(int.class, int.class).newInstance(status, retryAfterSeconds);
    }

    /**
     * A6, <a href="https://github.com/grpc/proposal/blob/master/A6-client-retries.md#pushback">Pushback</a>:
     * once {@code maxAttempts} are used up the call is not retried, whatever delay the server asks
     * for. We promise that the written-out loop makes the wait asked for after the first attempt,
     * none after the last, and returns the last rejected value itself, normally.
     */
    @Test
    void aWaitAskedForWithTheLastRejectedValueIsNotMadeAndTheValueIsReturned() throws Throwable {
        Object api = wrap();
        Object last = response(503, 7);
        remote.then(response(503, 5), last);

        assertSame(last, call(api, "get", "k"));
        assertEquals(2, remote.calls.size());
        assertEquals(List.of(Duration.ofSeconds(5)), time.sleeps(), "the 7s asked for last was not waited");
        assertEquals(List.of("exhausted Api.get #2 ok"), recorder.events("exhausted"));
    }

    /**
     * A6, <a href="https://github.com/grpc/proposal/blob/master/A6-client-retries.md#throttling-retry-attempts-and-hedged-rpcs">Throttling
     * retry attempts and hedged RPCs</a>: only failures that would be retried count for the
     * throttle, not responses to malformed requests. We promise that in the written-out loop a
     * failure {@code abortOn} names draws nothing from the budget, so the one retry of its window
     * is still there for a rejected value; once spent, the next rejected value is returned at once,
     * without a wait.
     */
    @Test
    void failuresThatAreNotRetriedLeaveTheBudgetToTheRetriesThatAre() throws Throwable {
        Object api = wrap();
        for (int i = 0; i < 5; i++) {
            IllegalArgumentException malformed = new IllegalArgumentException("malformed " + i);
            remote.then(malformed);
            assertSame(malformed, assertThrows(IllegalArgumentException.class, () -> call(api, "get", "k")));
        }
        Object ok = response(200, -1);
        remote.then(response(503, 0), ok); // asks for no wait: the clock stays inside the budget's window
        assertSame(ok, call(api, "get", "k"), "retried on the budget's one retry");

        Object refused = response(503, 1);
        remote.then(refused);
        assertSame(refused, call(api, "get", "k"), "the budget refused the retry: the rejected value is returned");
        assertEquals(8, remote.calls.size());
        assertEquals(List.of(Duration.ZERO), time.sleeps(), "only the retry made waited; no wait preceded the refusal");
        assertEquals(List.of("budget exhausted Api.get Api"), recorder.events("budget"));
        assertEquals(List.of("retry Api.get #1 ok in 0ms"), recorder.events("retry"), "one retry announced");
    }

    /** What the class's tests rely on: this method's loop is written out, judging values inline, not run by the policy stack. */
    @Test
    void theMethodsLoopIsWrittenOutInline() throws Exception {
        String source = COMPILED.source("test.ResilientApi");
        assertTrue(source.contains(".judged("), source);
    }
}
