package dev.resilient.processor.reading;

/**
 * Every diagnostic the processor reports, in one place. Each has a stable id, shown first in
 * brackets so that users can search for it, a text with {@link String#format} arguments, and a
 * hint on how to fix it.
 */
public enum Message {
    TARGET_NOT_INTERFACE(
            "ResilientTarget",
            "@%s applies to interfaces and their methods, but %s is %s",
            "move the annotation to the interface the clients call, or to one of its methods"),
    METHOD_NOT_WRAPPABLE(
            "ResilientMethod",
            "@%s cannot apply to %s %s(): only abstract and default methods are called through a wrapper",
            "remove the annotation, or make the method abstract or default"),
    PRIVATE_INTERFACE(
            "ResilientPrivate",
            "%s is private, so no generated class can implement it",
            "make the interface package-private or public"),
    LOCAL_INTERFACE(
            "ResilientLocal",
            "%s is declared inside a method, so no generated class can name it",
            "move the interface to the top level or into a class"),
    SEALED_INTERFACE(
            "ResilientSealed",
            "%s is sealed and does not permit the generated %s",
            "add %s to its permits clause, or do not seal the interface"),
    DURATION_FORMAT(
            "ResilientDuration",
            "%s = \"%s\" is not a duration",
            "write \"0\", a whole number with one of ns us ms s m h (\"250ms\", \"10s\"), or ISO-8601 (\"PT0.25S\")"),
    DURATION_NEGATIVE(
            "ResilientDuration",
            "%s = \"%s\" is negative",
            "durations are never negative"),
    DURATION_TOO_LONG(
            "ResilientDuration",
            "%s = \"%s\" is too long",
            "durations are at most 2562047h, about 292 years: Long.MAX_VALUE nanoseconds"),
    RETRYABLE_MAX_ATTEMPTS(
            "RetryableMaxAttempts",
            "maxAttempts must be at least 1, was %s",
            "maxAttempts counts every attempt, the first included; 1 means no retry"),
    RETRYABLE_MULTIPLIER(
            "RetryableMultiplier",
            "multiplier must be a finite number of at least 1.0, was %s",
            "use 1.0 for a constant wait"),
    RETRYABLE_MAX_DELAY(
            "RetryableMaxDelay",
            "maxDelay (%s) must be at least delay (%s)",
            "raise maxDelay, lower delay, or remove maxDelay for no cap"),
    RETRYABLE_CONTRADICTION(
            "RetryableContradiction",
            "%s is listed in abortOn, so retryOn can never retry it",
            "remove it from one of the two lists"),
    BREAKER_FAILURE_THRESHOLD(
            "BreakerFailureThreshold",
            "failureThreshold must be at least 1, was %s",
            "it counts consecutive failures"),
    BREAKER_WINDOW(
            "BreakerWindow",
            "window must not be negative, was %s",
            "0 counts consecutive failures; a positive window counts the failure rate of the last calls"),
    BREAKER_FAILURE_RATE(
            "BreakerFailureRate",
            "failureRate must be in (0, 1], was %s",
            "0.5 opens the breaker when half the calls in the window failed"),
    BREAKER_MINIMUM_CALLS(
            "BreakerMinimumCalls",
            "minimumCalls must be in 1..window (%s), was %s",
            "lower minimumCalls or widen the window"),
    BREAKER_HALF_OPEN_CALLS(
            "BreakerHalfOpenCalls",
            "halfOpenCalls must be at least 1, was %s",
            "it is the number of trial calls that must succeed to close the breaker"),
    BREAKER_MIXED_MODES(
            "BreakerMixedModes",
            "%s",
            "failureThreshold belongs to consecutive mode (window = 0); failureRate and minimumCalls to rate mode (window > 0)"),
    BREAKER_CONTRADICTION(
            "BreakerContradiction",
            "%s is listed in skipOn, so failOn can never count it",
            "remove it from one of the two lists"),
    BREAKER_NAME(
            "BreakerName",
            "name must not be blank, was \"%s\"",
            "leave it out for a breaker per method, or give a name that breakers sharing state use"),
    TIMEOUT_VALUE(
            "TimeoutValue",
            "the timeout must be longer than 0, was \"%s\"",
            "give the longest time one attempt may take, as in @Timeout(\"2s\")"),
    BULKHEAD_MAX_CONCURRENT(
            "BulkheadMaxConcurrent",
            "maxConcurrent must be at least 1, was %s",
            "it is the number of calls allowed inside the delegate at once"),
    BULKHEAD_ASYNC_WAIT(
            "BulkheadAsyncWait",
            "maxWait must be \"0\" on an asynchronous method, was \"%s\"",
            "an asynchronous call never blocks a thread waiting for a slot; remove maxWait"),
    FALLBACK_MISSING(
            "FallbackMissing",
            "%s has no method named %s to fall back to",
            "declare it in the interface as %s"),
    FALLBACK_MISSPELT(
            "FallbackMissing",
            "%s has no method named %s to fall back to",
            "did you mean %s?"),
    FALLBACK_SIGNATURE(
            "FallbackSignature",
            "%s cannot be the fallback of %s: %s",
            "declare it as %s"),
    FALLBACK_CYCLE(
            "FallbackCycle",
            "the fallbacks of %s() form a cycle: %s",
            "end the chain with a method that has no @Fallback, or that falls back elsewhere"),
    INHERITED_CONFLICT(
            "ResilientInheritedConflict",
            "%s() is inherited from %s and %s with different @%s annotations",
            "redeclare the method in %s with the annotation it should have"),
    INACCESSIBLE_TYPE(
            "ResilientInaccessibleType",
            "%s uses %s, which the generated %s cannot name: %s is %s",
            "make %s %s"),
    MEMBER_CLASH(
            "ResilientMemberClash",
            "%s has the signature of the static %s.failover(...) that the wrapper declares",
            "rename the method, or give it other parameter types"),
    INTERNAL_ERROR(
            "ResilientInternalError",
            "internal error while processing %s: %s",
            "please report it at https://github.com/resilient-dev/resilient/issues with the interface"),
    UNRESOLVED_TYPE(
            "ResilientUnresolvedType",
            "%s refers to types that could not be resolved, so no wrapper was generated for it",
            "fix the errors reported for those types first");

    private final String id;
    private final String format;
    private final String hint;

    Message(String id, String format, String hint) {
        this.id = id;
        this.format = format;
        this.hint = hint;
    }

    /** The stable id, as in {@code RetryableMaxAttempts}. */
    public String id() {
        return id;
    }

    /** The full text: {@code [Id] what is wrong (hint: how to fix it)}. */
    public String format(Object... args) {
        String text = String.format(format, args);
        int used = countPlaceholders(format);
        Object[] rest = java.util.Arrays.copyOfRange(args, Math.min(used, args.length), args.length);
        return "[" + id + "] " + text + " (hint: " + String.format(hint, rest) + ")";
    }

    private static int countPlaceholders(String format) {
        int count = 0;
        for (int i = format.indexOf('%'); i >= 0; i = format.indexOf('%', i + 2)) {
            count++;
        }
        return count;
    }
}
