package dev.resilient.processor.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeMirror;

/**
 * One method the wrapper implements.
 *
 * @param element the method as declared (possibly in a super-interface)
 * @param type the method as a member of the interface: its types as the override declares them
 * @param typeVariableNames the names under which the override declares the method's type variables,
 *     in order: a variable named like one of the interface's is renamed, since it would hide it
 * @param id {@code "Interface.method"}, with parameter types when overloaded: names the method in
 *     events and is the default breaker name
 * @param retry the method's retry policy, if any
 * @param breaker the method's breaker, if any
 * @param fallback the method's fallback, if any
 * @param timeout the method's timeout per attempt, if any
 * @param bulkhead the method's bulkhead, if any
 * @param async whether it returns a {@code CompletionStage} or {@code CompletableFuture}
 * @param deprecated whether the method is deprecated, so its override must be too
 * @param suppressions the warnings its signature forces ({@code "deprecation"}, {@code "rawtypes"}...) or its
 *     declarations suppress
 */
public record MethodModel(
        ExecutableElement element,
        ExecutableType type,
        List<String> typeVariableNames,
        String id,
        Optional<RetryModel> retry,
        Optional<BreakerModel> breaker,
        Optional<FallbackModel> fallback,
        Optional<Duration> timeout,
        Optional<BulkheadModel> bulkhead,
        boolean async,
        boolean deprecated,
        List<String> suppressions) {

    public MethodModel {
        typeVariableNames = List.copyOf(typeVariableNames);
        suppressions = List.copyOf(suppressions);
    }

    /** The failure types its annotations list ({@code retryOn}, {@code failOn}, {@code applyOn}...), which the wrapper names. */
    public List<TypeMirror> listedFailures() {
        List<TypeMirror> listed = new ArrayList<>();
        retry.ifPresent(policy -> {
            listed.addAll(policy.retryOn());
            listed.addAll(policy.abortOn());
        });
        breaker.ifPresent(policy -> {
            listed.addAll(policy.failOn());
            listed.addAll(policy.skipOn());
        });
        fallback.ifPresent(policy -> {
            listed.addAll(policy.applyOn());
            listed.addAll(policy.skipOn());
        });
        return listed;
    }

    public boolean hasPolicy() {
        return retry.isPresent() || breaker.isPresent() || fallback.isPresent() || timeout.isPresent() || bulkhead.isPresent();
    }

    /**
     * Whether the generated method writes its retry loop and breaker out inline, allocating
     * nothing; the others go through {@code MethodPolicies}.
     */
    public boolean inline() {
        return !async && fallback.isEmpty() && timeout.isEmpty() && bulkhead.isEmpty();
    }
}
