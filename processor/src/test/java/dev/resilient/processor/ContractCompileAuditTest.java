package dev.resilient.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The edges of CONTRACT.md's ranges and compile-time rules: each bound the contract states as
 * allowed compiles clean under -Xlint:all -Werror, and the value just past it is one error with
 * its id on the line of the attribute.
 */
class ContractCompileAuditTest {
    private static String[] client(String... body) {
        String[] lines = new String[body.length + 4];
        lines[0] = "package audit;";
        lines[1] = "import dev.resilient.annotations.*;";
        lines[2] = "public interface Client {";
        System.arraycopy(body, 0, lines, 3, body.length);
        lines[lines.length - 1] = "}";
        return lines;
    }

    private static void assertOneError(String expected, String lineContaining, String... body) {
        JavaFileObject file = Compiled.source("audit.Client", client(body));
        Compilation compilation = Compiled.compile(List.of(), file);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining(expected).inFile(file).onLineContaining(lineContaining);
    }

    @Test
    void everyBoundTheContractAllowsCompilesClean() {
        Compiled.strictly("audit.Client", client(
                "    @Retryable(maxAttempts = 1) String once();",
                "    @Retryable(maxAttempts = 3, delay = \"1s\", multiplier = 1.0, maxDelay = \"1s\", maxDuration = \"1s\")",
                "    String edges();",
                "    @Retryable(maxAttempts = 1, delay = \"1s\", maxDuration = \"1ms\") String oneAttemptNeedsNoRoom();",
                "    @Retryable(maxAttempts = 2, delay = \"0\", maxDuration = \"0\") String zeroBudget();",
                "    @Retryable(maxAttempts = 2, maxDuration = \"2s\") @Timeout(\"1999ms\") String timeoutBelowBudget();",
                "    @Retryable(maxAttempts = 1, maxDuration = \"2s\") @Timeout(\"5s\") String noRetryToFollow();",
                "    @Breaker(failureThreshold = 1, halfOpenCalls = 1, openFor = \"0\") String breakerLows();",
                "    @Breaker(window = 1, failureRate = 1.0, minimumCalls = 1) String windowLows();",
                "    @Breaker(window = 4, failureRate = 0.01, minimumCalls = 4) String windowHighs();",
                "    @Breaker(windowDuration = \"10ms\", minimumCalls = 1, slowCall = \"1ns\", slowCallRate = 1.0) String timed();",
                "    @Breaker(window = 2, slowCall = \"999ms\", slowCallRate = 0.001) @Timeout(\"1s\") String slowBelowTimeout();",
                "    @Breaker(openFor = \"10s\", openForMultiplier = 1.0, maxOpenFor = \"10s\", maxHalfOpen = \"1ns\") String open();",
                "    @Bulkhead(maxConcurrent = 1, maxWait = \"1h\") String bulkhead();",
                "    @Bulkhead(maxConcurrent = 1) java.util.concurrent.CompletionStage<String> asyncBulkhead();",
                "    @RateLimit(permits = 1, per = \"1ns\", maxWait = \"0\") String rate();",
                "    @RetryBudget(ratio = 0, minPerSecond = 0, window = \"1s\") @Retryable String budgetLows();",
                "    @RetryBudget(name = \"high\", ratio = 1000, minPerSecond = 2147483647, window = \"60s\") @Retryable String budgetHighs();",
                "    @Hedge(maxAttempts = 2, delay = \"0\") String hedge();",
                "    @Timeout(\"1ns\") String timeout();",
                "    @Retryable(delay = \"0s\", maxDelay = \"PT0S\") String zeroes();",
                "    @Retryable(delay = \"0ms\", maxDelay = \"2562047h\") String longest();",
                "    @Retryable(delay = \"PT1M30S\", maxDelay = \"P1D\") String iso();"));
    }

    /**
     * "Each generated method's Javadoc gives the most delegate calls one call can make ... and its
     * worst-case time (... or "unbounded" where nothing bounds it)" — a method without a policy too.
     */
    @Test
    void everyGeneratedMethodsJavadocStatesItsDelegateCallsAndWorstCase() {
        Compiled compiled = Compiled.strictly("audit.Client", client(
                "    @Retryable(maxAttempts = 4) @Timeout(\"1s\") String retried();",
                "    @Breaker String broken();",
                "    String plain();"));
        String source = compiled.source("audit.ResilientClient").replaceAll("\\n\\s*\\* ", " ");
        java.util.regex.Matcher javadocs = java.util.regex.Pattern.compile("/\\*\\*(.*?)\\*/\\s*@Override", java.util.regex.Pattern.DOTALL)
                .matcher(source);
        int methods = 0;
        while (javadocs.find()) {
            methods++;
            String javadoc = javadocs.group(1);
            org.junit.jupiter.api.Assertions.assertTrue(javadoc.contains("At most ") && javadoc.contains(" per call")
                    && (javadoc.contains("unbounded") || javadoc.contains("it takes at most")), javadoc);
        }
        org.junit.jupiter.api.Assertions.assertEquals(3, methods, source);
    }

    /**
     * Fallback: "optionally followed by one parameter of a type that every applyOn class is
     * assignable to; its return type is assignable to the annotated method's, and it declares no
     * checked exception the annotated method does not. ... Any mismatch is a compile error that
     * names the expected signature."
     */
    @Test
    void aFallbackMayNarrowTheReturnAndWidenTheFailureButNotAddACheckedException() {
        Compiled.strictly("audit.Client", client(
                "    @Fallback(value = \"narrower\", applyOn = {java.io.IOException.class, java.util.concurrent.TimeoutException.class})",
                "    CharSequence call(int id) throws java.io.IOException;",
                "    String narrower(int id, Exception failure);",
                "    @Fallback(\"sameThrows\") CharSequence other(int id) throws java.io.IOException;",
                "    String sameThrows(int id) throws java.io.FileNotFoundException;"));
        assertOneError("[FallbackSignature]", "@Fallback(value = \"tooNarrow\"",
                "    @Fallback(value = \"tooNarrow\", applyOn = {java.io.IOException.class, java.util.concurrent.TimeoutException.class})",
                "    String call(int id) throws java.io.IOException;",
                "    String tooNarrow(int id, java.io.IOException failure);");
        assertOneError("declare it as", "@Fallback(\"throwsMore\")",
                "    @Fallback(\"throwsMore\") String call(int id);",
                "    String throwsMore(int id) throws java.io.IOException;");
        assertOneError("[FallbackSignature]", "@Fallback(\"wider\")",
                "    @Fallback(\"wider\") String call(int id);",
                "    CharSequence wider(int id);");
    }

    @Test
    void justPastEachBoundIsOneErrorWithItsId() {
        assertOneError("[RetryableMaxAttempts]", "maxAttempts = 0", "    @Retryable(maxAttempts = 0) String call();");
        assertOneError("[RetryableMultiplier]", "multiplier = 0.99", "    @Retryable(multiplier = 0.99) String call();");
        assertOneError("[RetryableMaxDelay]", "maxDelay", "    @Retryable(delay = \"1s\", maxDelay = \"999ms\") String call();");
        assertOneError("[RetryableHopelessBudget]", "maxDuration",
                "    @Retryable(maxAttempts = 2, delay = \"1s\", maxDuration = \"999ms\") String call();");
        assertOneError("[TimeoutBeyondBudget]", "@Timeout",
                "    @Retryable(maxAttempts = 2, maxDuration = \"2s\")",
                "    @Timeout(\"2s\") String call();");
        assertOneError("[BreakerSlowCallBeyondTimeout]", "slowCall",
                "    @Breaker(window = 2, slowCall = \"1s\")",
                "    @Timeout(\"1s\") String call();");
        assertOneError("[BreakerFailureRate]", "failureRate", "    @Breaker(window = 2, failureRate = 0) String call();");
        assertOneError("[BreakerFailureRate]", "failureRate", "    @Breaker(window = 2, failureRate = 1.01) String call();");
        assertOneError("[BreakerMinimumCalls]", "minimumCalls", "    @Breaker(window = 2, minimumCalls = 3) String call();");
        assertOneError("[BreakerMinimumCalls]", "minimumCalls", "    @Breaker(window = 2, minimumCalls = 0) String call();");
        assertOneError("[BreakerSlowCallRate]", "slowCallRate",
                "    @Breaker(window = 2, slowCall = \"1s\", slowCallRate = 0) String call();");
        assertOneError("[BreakerOpenForMultiplier]", "openForMultiplier", "    @Breaker(openForMultiplier = 0.5) String call();");
        assertOneError("[BreakerMaxOpenFor]", "maxOpenFor", "    @Breaker(openFor = \"10s\", maxOpenFor = \"9s\") String call();");
        assertOneError("[BreakerHalfOpenCalls]", "halfOpenCalls", "    @Breaker(halfOpenCalls = 0) String call();");
        assertOneError("[BreakerFailureThreshold]", "failureThreshold", "    @Breaker(failureThreshold = 0) String call();");
        assertOneError("[BulkheadMaxConcurrent]", "maxConcurrent", "    @Bulkhead(maxConcurrent = 0) String call();");
        assertOneError("[BulkheadAsyncWait]", "maxWait",
                "    @Bulkhead(maxWait = \"1ms\") java.util.concurrent.CompletableFuture<String> call();");
        assertOneError("[RateLimitPermits]", "permits", "    @RateLimit(permits = 0) String call();");
        assertOneError("[RetryBudgetRatio]", "ratio", "    @RetryBudget(ratio = -0.01) @Retryable String call();");
        assertOneError("[RetryBudgetWindow]", "window", "    @RetryBudget(window = \"999ms\") @Retryable String call();");
        assertOneError("[RetryBudgetWindow]", "window", "    @RetryBudget(window = \"60001ms\") @Retryable String call();");
        assertOneError("[HedgeMaxAttempts]", "maxAttempts", "    @Hedge(maxAttempts = 1) String call();");
        assertOneError("[TimeoutValue]", "@Timeout", "    @Timeout(\"0\") String call();");
        assertOneError("[ResilientDuration]", "delay", "    @Retryable(delay = \"-1s\") String call();");
        assertOneError("[ResilientDuration]", "delay", "    @Retryable(delay = \"1.5s\") String call();");
        for (String notADuration : List.of("5", "5S", "5sec", " 5s", "5 s", "PT", "-0s")) {
            assertOneError("[ResilientDuration]", "delay", "    @Retryable(delay = \"" + notADuration + "\") String call();");
        }
        assertOneError("[HedgeWithRetryable]", "@Hedge", "    @Hedge @Retryable String call();");
    }
}
