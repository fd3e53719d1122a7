package dev.resilient.processor;

import static dev.resilient.processor.Scripted.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code @Fallback} on a generated wrapper against Resilience4j's bug reports, where fallbacks were
 * not called for a {@code CompletableFuture} method, not called on an open breaker, or called for
 * failures configured to be ignored.
 */
class PeerR4jFallbackTest {
    static final Compiled COMPILED = Compiled.strictly("peer.Quotes",
            "package peer;",
            "",
            "import dev.resilient.annotations.*;",
            "import java.io.IOException;",
            "import java.util.concurrent.CompletableFuture;",
            "",
            "public interface Quotes {",
            "    @Fallback(\"cachedAsync\")",
            "    @Retryable(maxAttempts = 3, delay = \"1s\")",
            "    CompletableFuture<String> quoteAsync(String symbol);",
            "",
            "    @Fallback(value = \"cached\", skipOn = IllegalArgumentException.class)",
            "    @Breaker(failureThreshold = 1, openFor = \"1m\")",
            "    String quote(String symbol) throws IOException;",
            "",
            "    default CompletableFuture<String> cachedAsync(String symbol, Throwable failure) {",
            "        return CompletableFuture.completedFuture(\"cached \" + symbol + \" after \" + failure.getClass().getSimpleName());",
            "    }",
            "",
            "    default String cached(String symbol, Throwable failure) {",
            "        return \"cached \" + symbol + \" after \" + failure.getClass().getSimpleName();",
            "    }",
            "}");

    private final ManualTime time = new ManualTime();
    private final ResilienceContext context = ResilienceContext.builder().time(time).build();
    private final Scripted delegate = new Scripted();
    private final Object quotes = wrap();

    private Object wrap() {
        try {
            Class<?> type = COMPILED.load("peer.Quotes");
            return COMPILED.load("peer.ResilientQuotes").getConstructor(type, ResilienceContext.class)
                    .newInstance(delegate.proxy(type), context);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * resilience4j#984 and #1574 (a fallback of a {@code CompletableFuture} method was not called
     * when its stages failed): the stage of every attempt fails, the retries are made, and the
     * returned stage completes with the fallback's value, the fallback called once, after the last.
     */
    @Test
    void anAsynchronousMethodFallsBackOnceItsRetriedStagesHaveAllFailed() throws Throwable {
        delegate.then(CompletableFuture.failedFuture(new IOException("1")), CompletableFuture.failedFuture(new IOException("2")),
                CompletableFuture.failedFuture(new IOException("3")));
        CompletableFuture<?> quote = (CompletableFuture<?>) call(quotes, "quoteAsync", "ACME");
        time.advance(Duration.ofMinutes(1));
        assertEquals("cached ACME after IOException", quote.get());
        assertEquals(3, delegate.calls.size(), "every attempt was made before falling back");
    }

    /**
     * resilience4j#1740 and #863 (asked how to fall back when the breaker is open and answered
     * with a fallback catching {@code CallNotPermittedException}): an open breaker's rejection
     * falls back like any other failure, without calling the delegate.
     */
    @Test
    void anOpenBreakersRejectionFallsBack() throws Throwable {
        delegate.then(new IOException("down"));
        assertEquals("cached ACME after IOException", call(quotes, "quote", "ACME"));
        assertEquals("cached ACME after CircuitOpenException", call(quotes, "quote", "ACME"));
        assertEquals(List.of("quote[ACME]"), delegate.calls);
    }

    /**
     * resilience4j#780 and #759 (the fallback ran for exceptions the configuration said to
     * ignore): a failure in the fallback's {@code skipOn} reaches the caller itself, and the
     * fallback is not called.
     */
    @Test
    void aFailureInSkipOnReachesTheCallerWithoutTheFallback() {
        IllegalArgumentException mistake = new IllegalArgumentException("no such symbol");
        delegate.then(mistake);
        assertSame(mistake, assertThrows(IllegalArgumentException.class, () -> call(quotes, "quote", "??")));
    }
}
