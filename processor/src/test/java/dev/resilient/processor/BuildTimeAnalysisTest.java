package dev.resilient.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * What a method's policies add up to, stated in its Javadoc (the most delegate calls, the worst
 * case time) and checked: combinations that can never work are compile errors.
 */
class BuildTimeAnalysisTest {
    private static void assertJavadocSays(String expected, String... body) {
        Compilation compilation = Compiled.compile(Compiled.STRICT, Compiled.source("test.Client", prepend(body)));
        assertThat(compilation).succeededWithoutWarnings();
        String source;
        try {
            source = compilation.generatedSourceFile("test.ResilientClient").orElseThrow().getCharContent(true).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String prose = source.replaceAll("\\n\\s*\\* ", " "); // the Javadoc's lines joined
        assertTrue(prose.contains(expected), () -> "expected the Javadoc to say: " + expected + "\nin:\n" + source);
    }

    private static void assertOneError(String expected, String lineContaining, String... body) {
        JavaFileObject file = Compiled.source("test.Client", prepend(body));
        Compilation compilation = Compiled.compile(List.of(), file);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining(expected).inFile(file).onLineContaining(lineContaining);
    }

    private static String[] prepend(String... body) {
        String[] lines = new String[body.length + 2];
        lines[0] = "package test;";
        lines[1] = "import dev.resilient.annotations.*;";
        System.arraycopy(body, 0, lines, 2, body.length);
        return lines;
    }

    @Test
    void theWorstCaseAddsTimedOutAttemptsAndTheirWaits() {
        assertJavadocSays("At most 3 delegate calls per call (under failover, 3 to each delegate); it takes at most"
                        + " 3300ms over one delegate.",
                "public interface Client {",
                "    @Timeout(\"1s\") @Retryable(maxAttempts = 3, delay = \"100ms\", multiplier = 2.0)",
                "    String call();",
                "}");
    }

    /**
     * failsafe-lib/failsafe#215 and onosproject/onos-lib-go#127 (backoff arithmetic overflowing):
     * a delay of 0 times 2^1024 is NaN, which made the worst case "0"; a timeout plus a token
     * wait beyond Long.MAX_VALUE ns, added as longs, came out negative.
     */
    @Test
    void theWorstCaseNeitherWrapsNorVanishesWhenItsArithmeticOverflows() {
        assertJavadocSays("At most 2000 delegate calls per call (under failover, 2000 to each delegate); it takes at most"
                        + " 2s over one delegate.",
                "public interface Client {",
                "    @Timeout(\"1ms\") @Retryable(maxAttempts = 2000, delay = \"0\")",
                "    String call();",
                "}");
        assertJavadocSays("it takes at most 9223372036854775807ns over one delegate",
                "public interface Client {",
                "    @Timeout(\"2562047h\") @Hedge(delay = \"1s\") @RateLimit(maxWait = \"2562047h\")",
                "    String call();",
                "}");
    }

    @Test
    void maxDurationBoundsTheWorstCaseToTheBudgetAndOneMoreAttempt() {
        assertJavadocSays("it takes at most 2500ms over one delegate",
                "public interface Client {",
                "    @Timeout(\"1s\") @Retryable(maxAttempts = 3, delay = \"100ms\", maxDuration = \"1500ms\")",
                "    String call();",
                "}");
    }

    @Test
    void aHedgeStartsEachAttemptAtTheLatestOneDelayAfterTheLastAndEndsWithTheLastOnesTimeout() {
        assertJavadocSays("At most 3 delegate calls per call (under failover, 3 to each delegate); it takes at most"
                        + " 1200ms over one delegate.",
                "public interface Client {",
                "    @Timeout(\"1s\") @Hedge(delay = \"100ms\", maxAttempts = 3)",
                "    String call();",
                "}");
    }

    @Test
    void aHedgedAttemptThatTimesOutBeforeTheDelayStartsTheNextAtItsTimeout() {
        assertJavadocSays("At most 3 delegate calls per call (under failover, 3 to each delegate); it takes at most"
                        + " 1500ms over one delegate.",
                "public interface Client {",
                "    @Timeout(\"500ms\") @Hedge(delay = \"2s\", maxAttempts = 3)",
                "    String call();",
                "}");
    }

    @Test
    void withoutATimeoutNothingBoundsTheTime() {
        assertJavadocSays("its time is unbounded, as no timeout bounds an attempt",
                "public interface Client {",
                "    @Retryable(maxAttempts = 5)",
                "    String call();",
                "}");
    }

    @Test
    void aMaxDurationShorterThanTheFirstWait() {
        assertOneError("[RetryableHopelessBudget] maxDuration (50ms) is shorter than the first wait (delay = 100ms), so no retry"
                        + " could ever start",
                "maxDuration",
                "public interface Client {",
                "    @Retryable(maxAttempts = 3,",
                "            maxDuration = \"50ms\")",
                "    String call();",
                "}");
    }

    @Test
    void aTimeoutAtLeastAsLongAsMaxDuration() {
        assertOneError("[TimeoutBeyondBudget] a timeout of 2s per attempt is at least the retry's maxDuration (2s)",
                "@Timeout",
                "public interface Client {",
                "    @Retryable(maxAttempts = 3, maxDuration = \"2s\")",
                "    @Timeout(\"2s\")",
                "    String call();",
                "}");
    }

    @Test
    void aSlowCallAtLeastAsLongAsTheTimeout() {
        assertOneError("[BreakerSlowCallBeyondTimeout] slowCall (3s) is at least the method's @Timeout (1s)",
                "slowCall",
                "public interface Client {",
                "    @Breaker(window = 10,",
                "            slowCall = \"3s\")",
                "    @Timeout(\"1s\")",
                "    String call();",
                "}");
    }
}
