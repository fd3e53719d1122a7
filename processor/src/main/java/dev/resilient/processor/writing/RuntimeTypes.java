package dev.resilient.processor.writing;

import com.palantir.javapoet.ClassName;

/** The runtime's types that generated code names. */
final class RuntimeTypes {
    private static final String RUNTIME = "dev.resilient.runtime";
    private static final String INTERNAL = RUNTIME + ".internal";

    static final ClassName CONTEXT = ClassName.get(RUNTIME, "ResilienceContext");
    static final ClassName RETRY = ClassName.get(INTERNAL, "Retry");
    static final ClassName RETRY_SPEC = ClassName.get(INTERNAL, "RetrySpec");
    static final ClassName BREAKER = ClassName.get(INTERNAL, "Breaker");
    static final ClassName BREAKER_SPEC = ClassName.get(INTERNAL, "BreakerSpec");
    static final ClassName PERMIT = ClassName.get(INTERNAL, "Permit");
    static final ClassName METHOD_PLAN = ClassName.get(INTERNAL, "MethodPlan");
    static final ClassName METHOD_POLICIES = ClassName.get(INTERNAL, "MethodPolicies");
    static final ClassName METHOD_EVENTS = ClassName.get(INTERNAL, "MethodEvents");
    static final ClassName OUTCOMES = ClassName.get(INTERNAL, "Outcomes");

    private RuntimeTypes() {}
}
