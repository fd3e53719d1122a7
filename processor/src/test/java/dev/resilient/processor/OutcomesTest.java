package dev.resilient.processor;

import static dev.resilient.processor.Scripted.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.CircuitBreaker.State;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.internal.Recorder;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * {@code retryOnResult}, {@code failOnResult} and {@code waitFrom} through generated wrappers: the
 * named methods are found, called on the wrapper, and decide as the contract says.
 */
class OutcomesTest {
    static final Compiled COMPILED = Compiled.strictly("test.Remote",
            "package test;",
            "",
            "import dev.resilient.annotations.*;",
            "import java.io.IOException;",
            "import java.time.Duration;",
            "import java.util.concurrent.CompletionStage;",
            "",
            "public interface Remote {",
            "    @Retryable(maxAttempts = 3, delay = \"100ms\", retryOnResult = \"unavailable\", waitFrom = \"retryAfter\")",
            "    @Breaker(name = \"remote\", failureThreshold = 2, openFor = \"1m\", failOnResult = \"unavailable\")",
            "    String get(String path) throws IOException;",
            "",
            "    @Retryable(maxAttempts = 3, delay = \"100ms\", retryOnResult = \"unavailable\", waitFrom = \"retryAfter\")",
            "    CompletionStage<String> getAsync(String path);",
            "",
            "    @Retryable(retryOnResult = \"negative\")",
            "    int count();",
            "",
            "    /** \"503\", or \"503 after 2\": unavailable, asking for a wait of 2 seconds. */",
            "    default boolean unavailable(String response) {",
            "        return response.startsWith(\"503\");",
            "    }",
            "",
            "    default Duration retryAfter(String response) {",
            "        int after = response.indexOf(\" after \");",
            "        return after < 0 ? null : Duration.ofSeconds(Long.parseLong(response.substring(after + 7)));",
            "    }",
            "",
            "    default Duration retryAfter(Throwable failure) {",
            "        return failure instanceof Throttled throttled ? throttled.wait : null;",
            "    }",
            "",
            "    default boolean negative(Object count) {",
            "        return (Integer) count < 0;",
            "    }",
            "",
            "    final class Throttled extends IOException {",
            "        private static final long serialVersionUID = 1L;",
            "        final transient Duration wait;",
            "",
            "        public Throttled(long seconds) {",
            "            super(\"throttled\");",
            "            this.wait = Duration.ofSeconds(seconds);",
            "        }",
            "    }",
            "}");

    /** Judges that name raw and deprecated types, and attributes written as "" (none), compile clean under -Werror. */
    static final Compiled LENIENT = Compiled.strictly("test.Lenient",
            "package test;",
            "",
            "import dev.resilient.annotations.*;",
            "import java.util.List;",
            "",
            "public interface Lenient {",
            "    @Retryable(retryOnResult = \"empty\", waitFrom = \"\")",
            "    @Breaker(failOnResult = \"\")",
            "    @SuppressWarnings(\"rawtypes\")",
            "    List names();",
            "",
            "    @SuppressWarnings(\"rawtypes\")",
            "    default boolean empty(List names) {",
            "        return names.isEmpty();",
            "    }",
            "",
            "    @Retryable(retryOnResult = \"\")",
            "    void refresh();",
            "}");

    /**
     * The inline shapes' own calls of their judges: a breaker's one attempt, two judges on one
     * loop, and values whose type is not the judge's parameter's (an {@code int} judged by an
     * {@code Object}, beside an overload javac would pick for it; a raw {@code List} judged as a
     * {@code List<String>}), all compiled under -Werror.
     */
    static final Compiled INLINE = Compiled.strictly("test.Judged",
            "package test;",
            "",
            "import dev.resilient.annotations.*;",
            "import java.util.List;",
            "",
            "public interface Judged {",
            "    @Breaker(name = \"once\", failureThreshold = 2, openFor = \"1m\", failOnResult = \"error\")",
            "    String once(String path);",
            "",
            "    @Retryable(maxAttempts = 3, delay = \"100ms\", retryOnResult = \"busy\")",
            "    @Breaker(name = \"twice\", failureThreshold = 2, openFor = \"1m\", failOnResult = \"error\")",
            "    String twice(String path);",
            "",
            "    @Retryable(maxAttempts = 2, delay = \"100ms\", retryOnResult = \"negative\")",
            "    int count();",
            "",
            "    @Retryable(maxAttempts = 2, delay = \"100ms\", retryOnResult = \"blank\")",
            "    @SuppressWarnings(\"rawtypes\")",
            "    List lines();",
            "",
            "    default boolean error(String response) {",
            "        if (response.equals(\"broken\")) {",
            "            throw new IllegalStateException(\"the judge broke\");",
            "        }",
            "        return response.startsWith(\"500\");",
            "    }",
            "",
            "    default boolean busy(String response) {",
            "        return response.startsWith(\"503\");",
            "    }",
            "",
            "    default boolean negative(Object count) {",
            "        return (Integer) count < 0;",
            "    }",
            "",
            "    /** No judge of an int value (no widening), though javac would choose it for one. */",
            "    default boolean negative(long count) {",
            "        throw new AssertionError(\"negative(long) judged an int\");",
            "    }",
            "",
            "    default boolean blank(List<String> lines) {",
            "        return lines.isEmpty();",
            "    }",
            "}");

    private final ManualTime time = new ManualTime();
    private final ResilienceContext context = ResilienceContext.builder().time(time).build();

    private Object wrap(Scripted delegate) throws Exception {
        Class<?> iface = COMPILED.load("test.Remote");
        return COMPILED.load("test.ResilientRemote").getConstructor(iface, ResilienceContext.class)
                .newInstance(delegate.proxy(iface), context);
    }

    private Throwable throttled(long seconds) throws Exception {
        return (Throwable) COMPILED.load("test.Remote$Throttled").getConstructor(long.class).newInstance(seconds);
    }

    @Test
    void aRejectedValueIsRetriedAfterTheWaitTheServerAskedForAndCountsAgainstTheBreaker() throws Throwable {
        Scripted delegate = new Scripted().then("503 after 2", "200 ok");
        Object remote = wrap(delegate);

        assertEquals("200 ok", call(remote, "get", "/"));
        assertEquals(List.of(Duration.ofSeconds(2)), time.sleeps(), "the server's wait, not the computed 100ms");
        assertEquals(2, delegate.calls.size());
    }

    @Test
    void whenTheBreakerOpensOnRejectedValuesTheCallerGetsTheLastOneAtOnce() throws Throwable {
        Scripted delegate = new Scripted().then("503", "503 again");
        Object remote = wrap(delegate);

        assertEquals("503 again", call(remote, "get", "/"), "returned normally: no wait could lead to an attempt");
        assertEquals(List.of(Duration.ofMillis(100)), time.sleeps());
        assertEquals(State.OPEN, context.breaker("remote").state(), "failOnResult counted both");
    }

    @Test
    void anAsynchronousMethodWaitsAsAFailureAsksThenRetriesARejectedValue() throws Throwable {
        Scripted delegate = new Scripted().then(CompletableFuture.failedFuture(throttled(3)),
                CompletableFuture.completedFuture("503"), CompletableFuture.completedFuture("200 ok"));
        Object remote = wrap(delegate);

        CompletableFuture<?> answer = ((CompletionStage<?>) call(remote, "getAsync", "/")).toCompletableFuture();
        time.advance(Duration.ofMillis(2999));
        assertFalse(answer.isDone(), "the server asked for 3s");
        time.advance(Duration.ofMillis(1));
        assertFalse(answer.isDone(), "then a rejected value, and the computed wait of 200ms");
        time.advance(Duration.ofMillis(200));
        assertTrue(answer.isDone());
        assertEquals("200 ok", answer.join());
    }

    @Test
    void judgesOfRawTypesCompileCleanAndRetry() throws Throwable {
        Class<?> iface = LENIENT.load("test.Lenient");
        Scripted delegate = new Scripted().then(List.of(), List.of("Oslo"));
        Object lenient = LENIENT.load("test.ResilientLenient").getConstructor(iface, ResilienceContext.class)
                .newInstance(delegate.proxy(iface), context);
        assertEquals(List.of("Oslo"), call(lenient, "names"));
    }

    @Test
    void aPrimitiveResultIsJudgedBoxed() throws Throwable {
        Scripted delegate = new Scripted().then(-1, -2, 7);
        assertEquals(7, call(wrap(delegate), "count"));
    }

    private Object judged(Scripted delegate, Recorder events) throws Exception {
        Class<?> iface = INLINE.load("test.Judged");
        ResilienceContext listened = ResilienceContext.builder().time(time).listener(events).build();
        return INLINE.load("test.ResilientJudged").getConstructor(iface, ResilienceContext.class)
                .newInstance(delegate.proxy(iface), listened);
    }

    @Test
    void aBreakersOneAttemptCountsTheValuesItsJudgeFailsAndFailsWithWhatTheJudgeThrows() throws Throwable {
        Recorder events = new Recorder();
        Object judged = judged(new Scripted().then("500", "broken"), events);

        assertEquals("500", call(judged, "once", "/"), "the caller still gets the value");
        IllegalStateException broken = assertThrows(IllegalStateException.class, () -> call(judged, "once", "/"));
        assertEquals("the judge broke", broken.getMessage());
        assertEquals(List.of("attempt Judged.once #1 ok", "attempt Judged.once #1 ok"), events.events("attempt"),
                "the delegate answered both times");
        assertEquals(List.of("state once CLOSED -> OPEN"), events.events("state"),
                "two failures in a row: the value the judge failed, then what it threw");
    }

    @Test
    void twoJudgesOfOneLoopEachDecideTheirOwn() throws Throwable {
        Recorder events = new Recorder();
        Object judged = judged(new Scripted().then("503", "500", "500"), events);

        assertEquals("500", call(judged, "twice", "/"), "busy retried the 503; error does not retry");
        assertEquals(List.of(Duration.ofMillis(100)), time.sleeps());
        assertEquals(List.of(), events.events("state"), "the 503 counted as a success, the 500 as one failure");
        assertEquals("500", call(judged, "twice", "/"));
        assertEquals(List.of("state twice CLOSED -> OPEN"), events.events("state"), "the second failure in a row");
    }

    @Test
    void valuesOfAnotherTypeThanTheJudgesParameterReachTheJudgeNamed() throws Throwable {
        Object judged = judged(new Scripted().then(-1, 7, List.of(), List.of("Oslo")), new Recorder());

        assertEquals(7, call(judged, "count"), "negative(Object) judged the int -1, boxed");
        assertEquals(List.of("Oslo"), call(judged, "lines"), "blank(List<String>) judged the raw empty list");
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(100)), time.sleeps());
    }
}
