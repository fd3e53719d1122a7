package dev.resilient.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Every mistake is one compile error, with its id, on the line of the value that caused it. */
class CompileErrorsTest {

    /** {@code test/Client.java} of {@code body}, after the package and imports of our annotations and IOException. */
    private static JavaFileObject client(String... body) {
        String[] lines = new String[body.length + 3];
        lines[0] = "package test;";
        lines[1] = "import dev.resilient.annotations.*;";
        lines[2] = "import java.io.IOException;";
        System.arraycopy(body, 0, lines, 3, body.length);
        return Compiled.source("test.Client", lines);
    }

    private static void assertOneError(String expected, String lineContaining, String... body) {
        JavaFileObject file = client(body);
        Compilation compilation = Compiled.compile(List.of(), file);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining(expected).inFile(file).onLineContaining(lineContaining);
    }

    @Test
    void annotationOnAClass() {
        assertOneError("[ResilientTarget] @Retryable applies to interfaces and their methods, but Client is a class",
                "@Retryable",
                "@Retryable",
                "public class Client {}");
    }

    @Test
    void annotationOnAMethodOfAClass() {
        assertOneError("[ResilientTarget] @Breaker applies to interfaces and their methods, but Client.call() is declared in a class",
                "@Breaker",
                "public abstract class Client {",
                "    @Breaker",
                "    abstract void call();",
                "}");
    }

    @Test
    void annotationOnARecordAndAnEnum() {
        assertOneError("but Client is a record", "@Breaker", "@Breaker", "public record Client(int x) {}");
        assertOneError("but Client is an enum", "@Breaker", "@Breaker", "public enum Client { A }");
    }

    @Test
    void maxAttemptsBelowOne() {
        assertOneError("[RetryableMaxAttempts] maxAttempts must be at least 1, was 0",
                "maxAttempts = 0",
                "public interface Client {",
                "    @Retryable(",
                "        maxAttempts = 0)",
                "    String call() throws IOException;",
                "}");
    }

    @Test
    void unparsableDuration() {
        assertOneError("[ResilientDuration] delay = \"soon\" is not a duration",
                "delay = \"soon\"",
                "public interface Client {",
                "    @Retryable(maxAttempts = 2,",
                "        delay = \"soon\")",
                "    String call() throws IOException;",
                "}");
    }

    @Test
    void negativeIsoDuration() {
        assertOneError("[ResilientDuration] openFor = \"PT-1S\" is negative",
                "openFor",
                "@Breaker(openFor = \"PT-1S\")",
                "public interface Client {",
                "    String call();",
                "}");
    }

    /** Issue #11, case 10: a duration beyond Long.MAX_VALUE nanoseconds overflowed inside the processor. */
    @Test
    void durationTooLong() {
        assertOneError("[ResilientDuration] openFor = \"9999999999h\" is too long"
                        + " (hint: durations are at most 2562047h, about 292 years: Long.MAX_VALUE nanoseconds)",
                "openFor",
                "@Breaker(",
                "    openFor = \"9999999999h\")",
                "public interface Client {",
                "    String call();",
                "}");
        assertOneError("[ResilientDuration] delay = \"PT99999999999999999999S\" is too long",
                "delay",
                "public interface Client {",
                "    @Retryable(delay = \"PT99999999999999999999S\")",
                "    String call();",
                "}");
    }

    @Test
    void multiplierBelowOne() {
        assertOneError("[RetryableMultiplier] multiplier must be a finite number of at least 1.0, was 0.5",
                "multiplier = 0.5",
                "public interface Client {",
                "    @Retryable(",
                "        multiplier = 0.5)",
                "    String call();",
                "}");
    }

    @Test
    void maxDelayBelowDelay() {
        assertOneError("[RetryableMaxDelay] maxDelay (50ms) must be at least delay (100ms)",
                "maxDelay = \"50ms\"",
                "public interface Client {",
                "    @Retryable(delay = \"100ms\",",
                "        maxDelay = \"50ms\")",
                "    String call();",
                "}");
    }

    @Test
    void retryOnCoveredByAbortOn() {
        assertOneError("[RetryableContradiction] java.io.IOException falls under abortOn's java.lang.Exception, so retryOn can never retry it",
                "retryOn = IOException.class",
                "public interface Client {",
                "    @Retryable(abortOn = Exception.class,",
                "        retryOn = IOException.class)",
                "    String call();",
                "}");
    }

    @Test
    void failureRateWithoutWindow() {
        assertOneError("[BreakerMixedModes] failureRate needs window > 0",
                "failureRate = 0.2",
                "@Breaker(",
                "    failureRate = 0.2)",
                "public interface Client {",
                "    String call();",
                "}");
    }

    @Test
    void failureThresholdWithWindow() {
        assertOneError("[BreakerMixedModes] failureThreshold counts consecutive failures and cannot be set together with window = 10",
                "failureThreshold = 3",
                "@Breaker(window = 10,",
                "    failureThreshold = 3)",
                "public interface Client {",
                "    String call();",
                "}");
    }

    @Test
    void minimumCallsAboveWindow() {
        assertOneError("[BreakerMinimumCalls] minimumCalls must be in 1..window (10), was 11",
                "minimumCalls = 11",
                "@Breaker(window = 10,",
                "    minimumCalls = 11)",
                "public interface Client {",
                "    String call();",
                "}");
    }

    @Test
    void windowWithWindowDuration() {
        assertOneError("[BreakerTwoWindows] windowDuration (10s) cannot be set together with window = 10",
                "windowDuration = \"10s\"",
                "@Breaker(window = 10,",
                "    windowDuration = \"10s\")",
                "public interface Client {",
                "    String call();",
                "}");
    }

    @Test
    void slowCallInConsecutiveMode() {
        assertOneError("[BreakerMixedModes] slowCall needs window > 0 or windowDuration",
                "slowCall = \"2s\"",
                "@Breaker(halfOpenCalls = 3,",
                "    slowCall = \"2s\")",
                "public interface Client {",
                "    String call();",
                "}");
    }

    @Test
    void slowCallRateWithoutSlowCall() {
        assertOneError("[BreakerSlowCallMissing] slowCallRate needs slowCall: without it no call is slow",
                "slowCallRate = 0.5",
                "@Breaker(windowDuration = \"1m\",",
                "    slowCallRate = 0.5)",
                "public interface Client {",
                "    String call();",
                "}");
    }

    @Test
    void maxOpenForBelowOpenFor() {
        assertOneError("[BreakerMaxOpenFor] maxOpenFor (5s) must be at least openFor (10s)",
                "maxOpenFor = \"5s\"",
                "@Breaker(openFor = \"10s\",",
                "    maxOpenFor = \"5s\")",
                "public interface Client {",
                "    String call();",
                "}");
    }

    @Test
    void failureThresholdWithWindowDuration() {
        assertOneError("[BreakerMixedModes] failureThreshold counts consecutive failures and cannot be set together with windowDuration = 1m",
                "failureThreshold = 3",
                "@Breaker(windowDuration = \"1m\",",
                "    failureThreshold = 3)",
                "public interface Client {",
                "    String call();",
                "}");
    }

    @Test
    void minimumCallsBelowOneInATimeWindow() {
        assertOneError("[BreakerMinimumCalls] minimumCalls must be at least 1, was 0",
                "minimumCalls = 0",
                "@Breaker(windowDuration = \"1m\",",
                "    minimumCalls = 0)",
                "public interface Client {",
                "    String call();",
                "}");
    }

    @Test
    void windowDurationTooShort() {
        assertOneError("[BreakerWindowDuration] windowDuration must be at least 10ms, was \"9ms\"",
                "windowDuration = \"9ms\"",
                "@Breaker(",
                "    windowDuration = \"9ms\")",
                "public interface Client {",
                "    String call();",
                "}");
    }

    @Test
    void slowCallZero() {
        assertOneError("[BreakerSlowCall] slowCall must be longer than 0, was \"0\"",
                "slowCall = \"0\"",
                "@Breaker(window = 10,",
                "    slowCall = \"0\")",
                "public interface Client {",
                "    String call();",
                "}");
    }

    @Test
    void slowCallRateOutOfRange() {
        assertOneError("[BreakerSlowCallRate] slowCallRate must be in (0, 1], was 1.5",
                "slowCallRate = 1.5",
                "@Breaker(window = 10, slowCall = \"1s\",",
                "    slowCallRate = 1.5)",
                "public interface Client {",
                "    String call();",
                "}");
    }

    @Test
    void maxHalfOpenZero() {
        assertOneError("[BreakerMaxHalfOpen] maxHalfOpen must be longer than 0, was \"0\"",
                "maxHalfOpen = \"0\"",
                "@Breaker(",
                "    maxHalfOpen = \"0\")",
                "public interface Client {",
                "    String call();",
                "}");
    }

    @Test
    void openForMultiplierBelowOne() {
        assertOneError("[BreakerOpenForMultiplier] openForMultiplier must be a finite number of at least 1.0, was 0.5",
                "openForMultiplier = 0.5",
                "@Breaker(",
                "    openForMultiplier = 0.5)",
                "public interface Client {",
                "    String call();",
                "}");
    }

    @Test
    void maxOpenForNotADuration() {
        assertOneError("[ResilientDuration] maxOpenFor = \"soon\" is not a duration",
                "maxOpenFor = \"soon\"",
                "@Breaker(",
                "    maxOpenFor = \"soon\")",
                "public interface Client {",
                "    String call();",
                "}");
    }

    @Test
    void failureRateOutOfRange() {
        assertOneError("[BreakerFailureRate] failureRate must be in (0, 1], was 1.5",
                "failureRate = 1.5",
                "@Breaker(window = 10,",
                "    failureRate = 1.5)",
                "public interface Client {",
                "    String call();",
                "}");
    }

    @Test
    void timeoutOfZero() {
        assertOneError("[TimeoutValue] the timeout must be longer than 0, was \"0\"",
                "@Timeout(\"0\")",
                "public interface Client {",
                "    @Timeout(\"0\")",
                "    String call();",
                "}");
    }

    @Test
    void bulkheadRanges() {
        assertOneError("[BulkheadMaxConcurrent] maxConcurrent must be at least 1, was 0", "maxConcurrent = 0",
                "public interface Client {",
                "    @Bulkhead(maxConcurrent = 0)",
                "    String call();",
                "}");
        assertOneError("[BulkheadAsyncWait] maxWait must be \"0\" on an asynchronous method, was \"10ms\"", "maxWait = \"10ms\"",
                "public interface Client {",
                "    @Bulkhead(maxConcurrent = 2,",
                "        maxWait = \"10ms\")",
                "    java.util.concurrent.CompletionStage<String> call();",
                "}");
    }

    @Test
    void rateLimitRanges() {
        assertOneError("[RateLimitPermits] permits must be at least 1, was 0", "permits = 0",
                "public interface Client {",
                "    @RateLimit(permits = 0)",
                "    String call();",
                "}");
        assertOneError("[RateLimitPer] per must be longer than 0, was \"0\"", "per = \"0\"",
                "@RateLimit(permits = 5,",
                "    per = \"0\")",
                "public interface Client {",
                "    String call();",
                "}");
        assertOneError("[RateLimitInterval] per (5ns) must be at least 1ns for each of the 10 permits", "per = \"5ns\"",
                "public interface Client {",
                "    @RateLimit(permits = 10,",
                "        per = \"5ns\")",
                "    String call();",
                "}");
        assertOneError("[ResilientDuration] maxWait = \"-1s\" is not a duration", "maxWait = \"-1s\"",
                "public interface Client {",
                "    @RateLimit(maxWait = \"-1s\")",
                "    String call();",
                "}");
        assertOneError("[RateLimitName] name must not be blank, was \" \"", "name = \" \"",
                "public interface Client {",
                "    @RateLimit(name = \" \")",
                "    String call();",
                "}");
    }

    @Test
    void breakersOfOneNameWithOtherSettingsAreReportedOnTheLaterOnesName() {
        assertOneError("[BreakerNameConflict] circuit breaker \"shared\" is declared with other settings on other() than on call()",
                "@Breaker(name = \"shared\", failureThreshold = 3)",
                "public interface Client {",
                "    @Breaker(name = \"shared\", failureThreshold = 2)",
                "    String call();",
                "    @Breaker(name = \"shared\", failureThreshold = 3)",
                "    String other();",
                "}");
    }

    @Test
    void rateLimitsOfOneNameWithOtherSettings() {
        assertOneError("[RateLimitNameConflict] rate limit \"quota\" is declared with other settings on other() than on call()",
                "@RateLimit(name = \"quota\", permits = 6)",
                "public interface Client {",
                "    @RateLimit(name = \"quota\", permits = 5)",
                "    String call();",
                "    @RateLimit(name = \"quota\", permits = 6)",
                "    String other();",
                "}");
    }

    @Test
    void retryBudgetRanges() {
        assertOneError("[RetryBudgetRatio] ratio must be in [0, 1000], was 1000.5", "ratio = 1000.5",
                "@Retryable",
                "@RetryBudget(ratio = 1000.5)",
                "public interface Client {",
                "    String call();",
                "}");
        assertOneError("[RetryBudgetMinPerSecond] minPerSecond must not be negative, was -1", "minPerSecond = -1",
                "public interface Client {",
                "    @Retryable",
                "    @RetryBudget(ratio = 0.1,",
                "        minPerSecond = -1)",
                "    String call();",
                "}");
        assertOneError("[RetryBudgetWindow] window must be between 1s and 60s, was \"500ms\"", "window = \"500ms\"",
                "public interface Client {",
                "    @Retryable",
                "    @RetryBudget(window = \"500ms\")",
                "    String call();",
                "}");
        assertOneError("[RetryBudgetWindow] window must be between 1s and 60s, was \"2m\"", "window = \"2m\"",
                "public interface Client {",
                "    @RetryBudget(window = \"2m\")",
                "    String notRetried();",
                "}");
        assertOneError("[RetryBudgetName] name must not be blank, was \" \"", "name = \" \"",
                "public interface Client {",
                "    @Retryable",
                "    @RetryBudget(name = \" \")",
                "    String call();",
                "}");
    }

    @Test
    void retryBudgetsOfOneNameWithOtherSettings() {
        assertOneError("[RetryBudgetNameConflict] retry budget \"Client\" is declared with other settings on other() than on call()",
                "@RetryBudget(ratio = 0.3)",
                "@Retryable",
                "public interface Client {",
                "    @RetryBudget(ratio = 0.1)",
                "    String call();",
                "    @RetryBudget(ratio = 0.3)",
                "    String other();",
                "}");
    }

    @Test
    void hedgeRanges() {
        assertOneError("[HedgeMaxAttempts] maxAttempts must be at least 2, was 1", "maxAttempts = 1",
                "public interface Client {",
                "    @Hedge(delay = \"10ms\",",
                "        maxAttempts = 1)",
                "    String call();",
                "}");
        assertOneError("[ResilientDuration] delay = \"PT-0.1S\" is negative", "delay = \"PT-0.1S\"",
                "public interface Client {",
                "    @Hedge(maxAttempts = 3,",
                "        delay = \"PT-0.1S\")",
                "    String call();",
                "}");
        assertOneError("[ResilientDuration] delay = \"soon\" is not a duration", "delay = \"soon\"",
                "public interface Client {",
                "    @Hedge(delay = \"soon\")",
                "    java.util.concurrent.CompletionStage<String> call();",
                "}");
    }

    @Test
    void hedgeWithRetryableOnOneMethod() {
        assertOneError("[HedgeWithRetryable] call() has both @Hedge and @Retryable: hedging replaces retrying"
                        + " (hint: keep @Hedge to race another attempt against a slow one, or @Retryable to try again after a failure)",
                "@Hedge",
                "public interface Client {",
                "    @Retryable(maxAttempts = 2)",
                "    @Hedge",
                "    String call() throws IOException;",
                "}");
    }

    @Test
    void hedgeInheritedWithARetryableFromAnotherParent() {
        assertOneError("[HedgeWithRetryable] call() has both @Hedge and @Retryable", "@Hedge",
                "public interface Client extends Retried, Hedged {",
                "}",
                "interface Retried {",
                "    @Retryable String call();",
                "}",
                "interface Hedged {",
                "    @Hedge String call();",
                "}");
    }

    @Test
    void rateLimitWaitOnAnAsynchronousMethod() {
        assertOneError("[RateLimitAsyncWait] maxWait must be \"0\" on an asynchronous method, was \"10ms\"", "maxWait = \"10ms\"",
                "public interface Client {",
                "    @RateLimit(permits = 2,",
                "        maxWait = \"10ms\")",
                "    java.util.concurrent.CompletionStage<String> call();",
                "}");
    }

    @Test
    void fallbackToAMethodThatDoesNotExist() {
        assertOneError("[FallbackMissing] Client has no method named cached to fall back to"
                        + " (hint: declare it in the interface as java.lang.String cached(int id[, java.lang.Exception failure]))",
                "@Fallback(\"cached\")",
                "public interface Client {",
                "    @Fallback(\"cached\")",
                "    String call(int id);",
                "}");
    }

    /** Issue #11, case 14: a misspelt target is answered with the names it was probably meant to be. */
    @Test
    void fallbackToAMisspeltMethodSuggestsTheNearNames() {
        assertOneError("[FallbackMissing] Client has no method named cachedForcast to fall back to"
                        + " (hint: did you mean cachedForecast or cachedForecasts?)",
                "@Fallback(\"cachedForcast\")",
                "public interface Client {",
                "    @Fallback(\"cachedForcast\")",
                "    String forecast(String city);",
                "    default String cachedForecast(String city) { return \"\"; }",
                "    default String cachedForecasts(String city) { return \"\"; }",
                "    String unrelated(String city);",
                "}");
        assertOneError("(hint: did you mean cached or Cache?)",
                "@Fallback(\"CACHED\")",
                "public interface Client {",
                "    @Fallback(\"CACHED\")",
                "    String forecast(String city);",
                "    default String Cache(String city) { return \"\"; }",
                "    default String cached(String city) { return \"\"; }",
                "}");
    }

    @Test
    void retryOnResultNamingAMethodThatDoesNotExist() {
        assertOneError("[OutcomeMethodMissing] Client has no method named rejects for @Retryable.retryOnResult"
                        + " (hint: declare it in the interface as boolean rejects(java.lang.String result))",
                "@Retryable(retryOnResult",
                "public interface Client {",
                "    @Retryable(retryOnResult = \"rejects\")",
                "    String call(int id);",
                "}");
    }

    @Test
    void failOnResultNamingAMisspeltMethodSuggestsTheNearNames() {
        assertOneError("[OutcomeMethodMissing] Client has no method named unavailble for @Breaker.failOnResult"
                        + " (hint: did you mean unavailable?)",
                "@Breaker(failOnResult",
                "public interface Client {",
                "    @Breaker(failOnResult = \"unavailble\")",
                "    String call(int id);",
                "    default boolean unavailable(String response) { return false; }",
                "}");
    }

    @Test
    void resultMethodsWithTheWrongSignatureSayWhatIsExpected() {
        assertOneError("[OutcomeMethodSignature] rejects() cannot be the @Retryable.retryOnResult of call(): it returns int,"
                        + " not boolean (hint: declare it as boolean rejects(java.lang.String result))",
                "@Retryable(retryOnResult",
                "public interface Client {",
                "    @Retryable(retryOnResult = \"rejects\")",
                "    String call(int id);",
                "    default int rejects(String response) { return 0; }",
                "}");
        assertOneError("[OutcomeMethodSignature] rejects() cannot be the @Breaker.failOnResult of call(): its parameter"
                        + " java.lang.Integer cannot receive java.lang.String",
                "@Breaker(failOnResult",
                "public interface Client {",
                "    @Breaker(failOnResult = \"rejects\")",
                "    java.util.concurrent.CompletionStage<String> call(int id);",
                "    default boolean rejects(Integer response) { return false; }",
                "}");
        assertOneError("[OutcomeMethodSignature] rejects() cannot be the @Retryable.retryOnResult of call(): it throws"
                        + " java.io.IOException, a checked exception",
                "@Retryable(retryOnResult",
                "public interface Client {",
                "    @Retryable(retryOnResult = \"rejects\")",
                "    String call(int id);",
                "    default boolean rejects(String response) throws IOException { return false; }",
                "}");
        assertOneError("[OutcomeMethodSignature] pause() cannot be the @Retryable.waitFrom of call(): its parameter"
                        + " java.lang.Integer is neither Throwable nor a type that receives java.lang.String (hint: declare it as"
                        + " java.time.Duration pause(java.lang.Throwable failure) or java.time.Duration pause(java.lang.String result))",
                "@Retryable(waitFrom",
                "public interface Client {",
                "    @Retryable(waitFrom = \"pause\")",
                "    String call(int id);",
                "    default java.time.Duration pause(Integer response) { return null; }",
                "}");
    }

    /** The runtime hands a judge the value boxed: an Integer is no long, and a stage's value may be null. */
    @Test
    void aJudgeMustReceiveTheValueWithoutWidening() {
        assertOneError("[OutcomeMethodSignature] negative() cannot be the @Retryable.retryOnResult of count(): its parameter long"
                        + " cannot receive int",
                "@Retryable(retryOnResult",
                "public interface Client {",
                "    @Retryable(retryOnResult = \"negative\")",
                "    int count();",
                "    default boolean negative(long count) { return count < 0; }",
                "}");
        assertOneError("its parameter int cannot receive java.lang.Integer",
                "@Retryable(retryOnResult",
                "public interface Client {",
                "    @Retryable(retryOnResult = \"negative\")",
                "    java.util.concurrent.CompletionStage<Integer> count();",
                "    default boolean negative(int count) { return count < 0; }",
                "}");
    }

    @Test
    void aJudgeWhoseParameterTypeTheWrapperCannotName() {
        assertOneError("[ResilientInaccessibleType]",
                "@Retryable(retryOnResult",
                "public interface Client {",
                "    @Retryable(retryOnResult = \"rejects\")",
                "    Holder.Shown call();",
                "    default boolean rejects(Holder.Hidden value) { return false; }",
                "    class Holder { private interface Hidden {} public interface Shown extends Hidden {} }",
                "}");
    }

    @Test
    void resultMethodsOnAVoidMethod() {
        assertOneError("[OutcomeMethodVoid] @Retryable.retryOnResult names rejects, but call() returns no value to judge",
                "@Retryable(retryOnResult",
                "public interface Client {",
                "    @Retryable(retryOnResult = \"rejects\")",
                "    void call(int id);",
                "    default boolean rejects(Object response) { return false; }",
                "}");
    }

    @Test
    void waitFromWithTwoMethodsOfOneForm() {
        assertOneError("[OutcomeMethodAmbiguous] @Retryable.waitFrom names pause, and 2 methods of that name fit it",
                "@Retryable(waitFrom",
                "public interface Client {",
                "    @Retryable(waitFrom = \"pause\")",
                "    String call(int id);",
                "    default java.time.Duration pause(String response) { return null; }",
                "    default java.time.Duration pause(CharSequence response) { return null; }",
                "}");
    }

    @Test
    void fallbackWithTheWrongSignature() {
        assertOneError("[FallbackSignature] cached() cannot be the fallback of call(): its parameters (long) are not (int),"
                        + " optionally followed by the failure",
                "@Fallback(\"cached\")",
                "public interface Client {",
                "    @Fallback(\"cached\")",
                "    String call(int id);",
                "    default String cached(long id) { return \"\"; }",
                "}");
        assertOneError("it returns java.lang.Object, which is not assignable to java.lang.String",
                "@Fallback(\"cached\")",
                "public interface Client {",
                "    @Fallback(\"cached\")",
                "    String call(int id);",
                "    default Object cached(int id) { return \"\"; }",
                "}");
        assertOneError("it throws java.io.IOException, which call() does not declare",
                "@Fallback(\"cached\")",
                "public interface Client {",
                "    @Fallback(\"cached\")",
                "    String call(int id);",
                "    String cached(int id) throws IOException;",
                "}");
        assertOneError("its failure parameter java.io.IOException cannot receive java.lang.Exception, which applyOn lists",
                "@Fallback(\"cached\")",
                "public interface Client {",
                "    @Fallback(\"cached\")",
                "    String call(int id);",
                "    String cached(int id, IOException failure);",
                "}");
        // microprofile-fault-tolerance#51 (a fallback that cannot match fails deployment, not the call), and the
        // failure parameter of smallrye-fault-tolerance#274: an empty applyOn vacuously let any failure parameter
        // through, and the wrapper's cast of the failure to an Integer failed javac in generated code.
        assertOneError("its failure parameter java.lang.Integer cannot receive a failure (a java.lang.Throwable)",
                "@Fallback(value",
                "public interface Client {",
                "    @Fallback(value = \"cached\", applyOn = {})",
                "    String call(int id);",
                "    String cached(int id, Integer failure);",
                "}");
        assertOneError("its failure parameter E cannot receive a failure (a java.lang.Throwable)",
                "@Fallback(value",
                "public interface Client {",
                "    @Fallback(value = \"cached\", applyOn = {})",
                "    <E extends Exception> String call(java.util.List<E> ids);",
                "    <E extends Exception> String cached(java.util.List<E> ids, E failure);",
                "}");
        assertOneError("a method cannot fall back to itself",
                "@Fallback(\"call\")",
                "public interface Client {",
                "    @Fallback(\"call\")",
                "    String call(int id);",
                "}");
    }

    @Test
    void privateNestedInterface() {
        assertOneError("[ResilientPrivate] Api is private, so no generated class can implement it",
                "private interface Api",
                "public class Client {",
                "    @Retryable",
                "    private interface Api {",
                "        String call();",
                "    }",
                "}");
    }

    /**
     * Issue #11, case 8: the wrapper is a top-level class, so it cannot name a private nested type
     * that the interface's signatures or {@code Class[]} attributes use; javac reported "has
     * private access" inside the generated file.
     */
    @Test
    void privateNestedTypesInSignaturesAndClassAttributes() {
        assertOneError("[ResilientInaccessibleType] get() uses test.Client.Secret, which the generated ResilientClient_Api"
                        + " cannot name: test.Client.Secret is private (hint: make test.Client.Secret package-private or public)",
                "Secret get()",
                "public class Client {",
                "    private static class Secret {}",
                "    interface Api { @Retryable Secret get(); }",
                "}");
        assertOneError("put(java.util.List<java.util.Map<java.lang.String,test.Client.Secret[]>>) uses test.Client.Secret",
                "void put(",
                "public class Client {",
                "    private static class Secret {}",
                "    @Breaker interface Api {",
                "        String get();",
                "        void put(java.util.List<java.util.Map<String, Secret[]>> values);",
                "    }",
                "}");
        assertOneError("uses test.Client.Hidden.Inner, which the generated ResilientClient_Api cannot name:"
                        + " test.Client.Hidden is private (hint: make test.Client.Hidden package-private or public)",
                "T pick()",
                "public class Client {",
                "    private static class Hidden { static class Inner {} }",
                "    @Breaker interface Api { <T extends Hidden.Inner> T pick(); }",
                "}");
        assertOneError("[ResilientInaccessibleType] retryOn uses test.Client.Failure, which the generated ResilientClient_Api"
                        + " cannot name: test.Client.Failure is private",
                "retryOn = Failure.class",
                "public class Client {",
                "    private static class Failure extends RuntimeException {}",
                "    interface Api {",
                "        @Retryable(maxAttempts = 2,",
                "            retryOn = Failure.class)",
                "        String get();",
                "    }",
                "}");
        assertOneError("[ResilientInaccessibleType] cached(test.Client.Marker) uses test.Client.Marker",
                "@Fallback(value = \"cached\"",
                "public class Client {",
                "    private interface Marker {}",
                "    static class Boom extends RuntimeException implements Marker {}",
                "    interface Api {",
                "        @Fallback(value = \"cached\", applyOn = Boom.class) String get();",
                "        default String cached(Marker failure) { return \"\"; }",
                "    }",
                "}");
        assertOneError("[ResilientInaccessibleType] skipOn uses test.Client.Failure",
                "skipOn = {IllegalStateException.class, Failure.class}",
                "public class Client {",
                "    private static class Failure extends RuntimeException {}",
                "    @Breaker(",
                "        skipOn = {IllegalStateException.class, Failure.class})",
                "    interface Api { String get(); }",
                "}");
    }

    /** Issue #11, case 8: a package-private type of another package is as unreachable as a private one. */
    @Test
    void aPackagePrivateTypeOfAnotherPackage() {
        JavaFileObject hidden = Compiled.source("lib.Hidden", "package lib;", "class Hidden {}");
        JavaFileObject api = Compiled.source("lib.Api", "package lib;", "public interface Api { Hidden get(); }");
        JavaFileObject client = Compiled.source("test.Client", "package test;", "import dev.resilient.annotations.*;",
                "@Retryable", "public interface Client extends lib.Api {}");
        Compilation compilation = Compiled.compile(List.of(), hidden, api, client);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("get() uses lib.Hidden, which the generated ResilientClient cannot name:"
                        + " lib.Hidden is package-private in lib (hint: make lib.Hidden public)")
                .inFile(api).onLineContaining("Hidden get()");
    }

    @Test
    void staticInterfaceMethod() {
        assertOneError("[ResilientMethod] @Retryable cannot apply to static now()",
                "@Retryable",
                "public interface Client {",
                "    String call();",
                "    @Retryable",
                "    static long now() { return 0; }",
                "}");
    }

    @Test
    void breakerRanges() {
        assertOneError("[BreakerFailureThreshold] failureThreshold must be at least 1, was 0", "failureThreshold = 0",
                "@Breaker(failureThreshold = 0)", "public interface Client { String call(); }");
        assertOneError("[BreakerWindow] window must not be negative, was -1", "window = -1",
                "@Breaker(window = -1)", "public interface Client { String call(); }");
        assertOneError("[BreakerHalfOpenCalls] halfOpenCalls must be at least 1, was 0", "halfOpenCalls = 0",
                "@Breaker(halfOpenCalls = 0)", "public interface Client { String call(); }");
        assertOneError("[BreakerName] name must not be blank, was \" \"", "name = \" \"",
                "@Breaker(name = \" \")", "public interface Client { String call(); }");
    }

    @Test
    void failOnCoveredBySkipOn() {
        assertOneError("[BreakerContradiction] java.io.IOException falls under skipOn's java.lang.Exception, so failOn can never count it",
                "failOn = IOException.class",
                "@Breaker(skipOn = Exception.class,",
                "    failOn = IOException.class)",
                "public interface Client { String call(); }");
    }

    @Test
    void annotationOnAnAnnotationType() {
        assertOneError("but Client is an annotation type", "@Retryable", "@Retryable", "public @interface Client {}");
    }

    /**
     * Javac does not look into method bodies for annotations, so the processor sees a local
     * interface only in a compilation where it runs anyway (here, for {@code Remote}).
     */
    @Test
    void localInterface() {
        assertOneError("[ResilientLocal] Api is declared inside a method, so no generated class can name it",
                "interface Api",
                "public class Client {",
                "    @Breaker interface Remote { String call(); }",
                "    void run() {",
                "        @Retryable",
                "        interface Api { String call(); }",
                "    }",
                "}");
        assertOneError("[ResilientLocal] Api is declared inside a method, so no generated class can name it",
                "interface Api",
                "public class Client {",
                "    @Breaker interface Remote { String call(); }",
                "    Runnable task = () -> {",
                "        interface Api { @dev.resilient.annotations.Timeout(\"1s\") String call(); }",
                "    };",
                "}");
    }

    @Test
    void sealedInterfaceThatDoesNotPermitTheWrapper() {
        assertOneError("[ResilientSealed] Client is sealed and does not permit the generated ResilientClient",
                "sealed interface Client",
                "@Retryable",
                "public sealed interface Client permits Impl { String call(); }",
                "final class Impl implements Client { public String call() { return \"\"; } }");
    }

    @Test
    void sealedInterfaceThatPermitsTheWrapperIsFine() {
        Compiled.strictly("test.Client",
                "package test;",
                "import dev.resilient.annotations.*;",
                "@Retryable",
                "public sealed interface Client permits ResilientClient { String call(); }");
    }

    @Test
    void sameMethodFromTwoParentsWithDifferentAnnotations() {
        assertOneError("[ResilientInheritedConflict] call() is inherited from A and B with different @Retryable annotations"
                        + " (hint: redeclare the method in Client with the annotation it should have)",
                "public interface Client",
                "interface A { @Retryable(maxAttempts = 2) String call(); }",
                "interface B { @Retryable(maxAttempts = 5) String call(); }",
                "public interface Client extends A, B {}");
    }

    /** Issue #11, case 7: the wrapper's static failover(...) cannot coexist with a method of its signature. */
    @Test
    void aMethodWithTheSignatureOfTheGeneratedFailover() {
        assertOneError("[ResilientMemberClash] failover(ResilienceContext, Client, Client[]) has the signature of the static"
                        + " ResilientClient.failover(...) that the wrapper declares"
                        + " (hint: rename the method, or give it other parameter types)",
                "public interface Client",
                "@Retryable",
                "public interface Client {",
                "    String call();",
                "    default Client failover(dev.resilient.runtime.ResilienceContext context, Client first, Client... others) { return first; }",
                "}");
    }

    @Test
    void redeclaringTheConflictingMethodResolvesIt() {
        Compilation compilation = Compiled.compile(Compiled.STRICT,
                Compiled.source("test.A", "package test;", "import dev.resilient.annotations.*;",
                        "public interface A { @Retryable(maxAttempts = 2) String call(); }"),
                Compiled.source("test.B", "package test;", "import dev.resilient.annotations.*;",
                        "public interface B { @Retryable(maxAttempts = 5) String call(); }"),
                Compiled.source("test.Client", "package test;", "import dev.resilient.annotations.*;",
                        "public interface Client extends A, B { @Retryable(maxAttempts = 3) String call(); }"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("test.ResilientClient");
    }

    @Test
    void everyProblemOfOneAnnotationIsReported() {
        JavaFileObject file = Compiled.source("test.Client",
                "package test;",
                "import dev.resilient.annotations.*;",
                "public interface Client {",
                "    @Retryable(maxAttempts = 0,",
                "        multiplier = 0.1,",
                "        delay = \"later\")",
                "    String call();",
                "}");
        Compilation compilation = Compiled.compile(List.of(), file);
        assertThat(compilation).hadErrorCount(3);
        assertThat(compilation).hadErrorContaining("[RetryableMaxAttempts]").inFile(file).onLineContaining("maxAttempts = 0");
        assertThat(compilation).hadErrorContaining("[RetryableMultiplier]").inFile(file).onLineContaining("multiplier = 0.1");
        assertThat(compilation).hadErrorContaining("[ResilientDuration]").inFile(file).onLineContaining("delay = \"later\"");
    }

    @Test
    void fallbackCycle() {
        JavaFileObject file = Compiled.source("test.Client",
                "package test;",
                "import dev.resilient.annotations.*;",
                "public interface Client {",
                "    @Fallback(\"secondary\")",
                "    String primary(int id);",
                "    @Fallback(\"primary\")",
                "    String secondary(int id);",
                "}");
        Compilation compilation = Compiled.compile(List.of(), file);
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("[FallbackCycle] the fallbacks of primary() form a cycle: primary() -> secondary() -> primary()")
                .inFile(file).onLineContaining("@Fallback(\"secondary\")");
        assertThat(compilation).hadErrorContaining("[FallbackCycle] the fallbacks of secondary() form a cycle")
                .inFile(file).onLineContaining("@Fallback(\"primary\")");
    }

    /**
     * Inspired by immutables/immutables#334: {@code Outer.Foo} and a top-level {@code Outer_Foo}
     * both make {@code ResilientOuter_Foo}. The Filer's refusal to write it twice was an internal
     * error with a stack trace; it is one error on the later interface, which says why.
     */
    @Test
    void twoInterfacesWhoseWrappersWouldShareOneName() {
        JavaFileObject outer = Compiled.source("test.Outer",
                "package test;",
                "public class Outer {",
                "    @dev.resilient.annotations.Retryable",
                "    public interface Foo { String get(); }",
                "}");
        JavaFileObject flat = Compiled.source("test.Outer_Foo",
                "package test;",
                "@dev.resilient.annotations.Retryable",
                "public interface Outer_Foo { String get(); }");
        Compilation compilation = Compiled.compile(List.of(), outer, flat);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadWarningCount(0);
        assertThat(compilation).hadErrorContaining("[ResilientWrapperName] the wrapper of test.Outer_Foo would be "
                + "test.ResilientOuter_Foo, the name of the wrapper of test.Outer.Foo (hint: rename one of the two interfaces")
                .inFile(flat).onLineContaining("interface Outer_Foo");
    }

    /** A type of the compilation already named like the wrapper: one error on the interface, not the Filer's exception. */
    @Test
    void aTypeNamedLikeTheWrapperAlreadyDeclared() {
        assertOneError("[ResilientWrapperName] the wrapper of test.Client would be test.ResilientClient, a type this "
                        + "compilation already declares (hint: rename that type, or the interface)",
                "interface Client",
                "@Retryable",
                "public interface Client { String get(); }",
                "class ResilientClient {}");
    }

    /**
     * An interface whose method cannot override an inherited one of the same signature (its return
     * type cannot replace the other's) does not compile: javac says so on the interface, and the
     * processor adds one error with an id there, never an error in a wrapper it wrote. Found by
     * {@code BrokenSourceFuzzTest} (seed 400026: {@code extends Supplier<Missing>} beside
     * {@code String get()}, once another processor generated {@code Missing}).
     */
    @Test
    void aMethodWhoseReturnTypeCannotReplaceAnInheritedOnesGetsNoWrapper() {
        List<String[]> shapes = List.of(
                new String[] {"@Retryable", "public interface Client extends java.util.function.Supplier<Integer> {",
                        "    String get();", "}"},
                new String[] {"@Retryable", "public interface Client extends A, B {", "}",
                        "interface A { Integer get(); }", "interface B { String get(); }"});
        for (String[] body : shapes) {
            JavaFileObject file = client(body);
            Compilation compilation = Compiled.compile(List.of(), file);
            assertThat(compilation).failed();
            assertThat(compilation).hadErrorContaining("[ResilientReturnClash] get() returns").inFile(file)
                    .onLineContaining("public interface Client");
            compilation.errors().forEach(error -> assertTrue(error.getSource() != null && error.getSource().getName().endsWith("Client.java")
                    && !error.getSource().getName().endsWith("ResilientClient.java"), () -> "an error outside Client.java: " + error));
        }
    }
}
