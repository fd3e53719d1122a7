package dev.resilient.processor.validation;

/**
 * Every diagnostic the processor reports, in one place, but the problems with the values of
 * numeric and duration attributes: those are stated by the runtime's {@code Attribute} and
 * {@code Settings}, which configuration overrides are checked with too. Each has a stable id, shown first in
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
    RETRYABLE_CONTRADICTION(
            "RetryableContradiction",
            "%s falls under abortOn's %s, so retryOn can never retry it",
            "remove it from one of the two lists"),
    BREAKER_CONTRADICTION(
            "BreakerContradiction",
            "%s falls under skipOn's %s, so failOn can never count it",
            "remove it from one of the two lists"),
    BREAKER_NAME_CONFLICT(
            "BreakerNameConflict",
            "circuit breaker \"%s\" is declared with other settings on %s than on %s",
            "breakers of one name share their state, so give them the same settings, or give one of them another name"),
    BREAKER_NAME(
            "BreakerName",
            "name must not be blank, was \"%s\"",
            "leave it out for a breaker per method, or give a name that breakers sharing state use"),
    BULKHEAD_ASYNC_WAIT(
            "BulkheadAsyncWait",
            "maxWait must be \"0\" on an asynchronous method, was \"%s\"",
            "an asynchronous call never blocks a thread waiting for a slot; remove maxWait"),
    RATE_LIMIT_NAME_CONFLICT(
            "RateLimitNameConflict",
            "rate limit \"%s\" is declared with other settings on %s than on %s",
            "limits of one name share their tokens, so give them the same settings, or give one of them another name"),
    RETRY_BUDGET_NAME_CONFLICT(
            "RetryBudgetNameConflict",
            "retry budget \"%s\" is declared with other settings on %s than on %s",
            "retries of one budget name draw on one count, so give them the same settings, or give one of them another name"),
    RETRY_BUDGET_NAME(
            "RetryBudgetName",
            "name must not be blank, was \"%s\"",
            "leave it out for a budget per interface, or give a name that interfaces sharing one budget use"),
    RATE_LIMIT_NAME(
            "RateLimitName",
            "name must not be blank, was \"%s\"",
            "leave it out for a rate limit per method, or give a name that methods sharing one quota use"),
    HEDGE_WITH_RETRYABLE(
            "HedgeWithRetryable",
            "%s has both @Hedge and @Retryable: hedging replaces retrying",
            "keep @Hedge to race another attempt against a slow one, or @Retryable to try again after a failure"),
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
    OUTCOME_MISSING(
            "OutcomeMethodMissing",
            "%s has no method named %s for %s",
            "declare it in the interface as %s"),
    OUTCOME_MISSPELT(
            "OutcomeMethodMissing",
            "%s has no method named %s for %s",
            "did you mean %s?"),
    OUTCOME_SIGNATURE(
            "OutcomeMethodSignature",
            "%s cannot be the %s of %s(): %s",
            "declare it as %s"),
    OUTCOME_AMBIGUOUS(
            "OutcomeMethodAmbiguous",
            "%s names %s, and %d methods of that name fit it: %s",
            "keep one of them, or give %s the name of the one meant"),
    OUTCOME_ON_VOID(
            "OutcomeMethodVoid",
            "%s names %s, but %s() returns no value to judge",
            "remove %s, or return the response the remote sends"),
    RETURN_CLASH(
            "ResilientReturnClash",
            "%s() returns %s, which cannot replace the %s that %s.%s() returns, so no wrapper was generated for %s",
            "give the methods return types that agree"),
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
    WRAPPER_NAME_TAKEN(
            "ResilientWrapperName",
            "the wrapper of %s would be %s, the name of the wrapper of %s",
            "rename one of the two interfaces, or move one to another package"),
    WRAPPER_NAME_DECLARED(
            "ResilientWrapperName",
            "the wrapper of %s would be %s, a type this compilation already declares",
            "rename that type, or the interface"),
    INTERNAL_ERROR(
            "ResilientInternalError",
            "internal error while processing %s: %s",
            "please report it at https://github.com/resilient-dev/resilient/issues with the interface"),
    AUXILIARY_INTERFACE(
            "ResilientAuxiliaryInterface",
            "%s is declared in %s, a file named after another type: javac's -Xlint:auxiliaryclass (part of -Xlint:all) warns"
                    + " wherever the generated %s names %s",
            "declare %s in %s.java, or nest it in another type, or compile with -Xlint:all,-auxiliaryclass"),
    UNRESOLVED_TYPE(
            "ResilientUnresolvedType",
            "%s refers to types or constants that could not be resolved, so no wrapper was generated for it",
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
