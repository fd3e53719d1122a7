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
 * @param typeVariableNames the names under which the override declares the method's type
 *     variables, in order: one that would hide a name the wrapper's code uses is renamed
 * @param id {@code "Interface.method"}, with parameter types when overloaded: names the method in
 *     events and override keys, and is the default breaker name
 * @param plan the name of its {@code MethodPlan} constant
 * @param field the name of the field holding what the wrapper built from the plan
 * @param failoverField for a method written out over one delegate, the name of the field
 *     holding its policies over a failover's delegates
 * @param shape which code the wrapper writes for it
 * @param hedge its {@code @Hedge}'s attributes as written; a method has a hedge or a retry, not both
 * @param outcomes the interface's methods its annotations name to judge its values and waits
 * @param deprecated whether the method is deprecated, so its override must be too
 * @param suppressions the warnings its signature forces or its declarations suppress
 */
public record MethodModel(
        ExecutableElement element,
        ExecutableType type,
        List<String> typeVariableNames,
        String id,
        String plan,
        String field,
        Optional<String> failoverField,
        Shape shape,
        Optional<RetryModel> retry,
        Optional<Written> hedge,
        Optional<BreakerModel> breaker,
        Optional<FallbackModel> fallback,
        Optional<OutcomesModel> outcomes,
        Optional<Duration> timeout,
        Optional<Written> bulkhead,
        Optional<RateLimitModel> rateLimit,
        Optional<RetryBudgetModel> retryBudget,
        boolean deprecated,
        List<String> suppressions) {

    /** The code a method gets. */
    public enum Shape {
        /** No policy: the delegate is called directly. */
        DIRECT,
        /** Only a breaker: one attempt written out. */
        BREAKER,
        /** Only a retry: its loop written out. */
        RETRY,
        /** Retry and breaker: the loop written out, each attempt through the breaker. */
        RETRY_BREAKER,
        /** Anything else, or asynchronous: the call goes through {@code MethodPolicies}. */
        POLICIES,
        /** Like {@link #POLICIES}, for a method returning a stage. */
        ASYNC;

        /** Whether the wrapper writes out the call to its one delegate, so that a failover needs policies of its own. */
        public boolean inline() {
            return this != POLICIES && this != ASYNC;
        }
    }

    public MethodModel {
        typeVariableNames = List.copyOf(typeVariableNames);
        suppressions = List.copyOf(suppressions);
    }

    /** The failure types its annotations list ({@code retryOn}, {@code failOn}, {@code applyOn}...), which the wrapper names. */
    public List<TypeMirror> listedFailures() {
        List<TypeMirror> listed = new ArrayList<>();
        retry.ifPresent(policy -> {
            policy.retryOn().ifPresent(listed::addAll);
            policy.abortOn().ifPresent(listed::addAll);
        });
        breaker.ifPresent(policy -> {
            policy.failOn().ifPresent(listed::addAll);
            policy.skipOn().ifPresent(listed::addAll);
        });
        fallback.ifPresent(policy -> {
            policy.applyOn().ifPresent(listed::addAll);
            policy.skipOn().ifPresent(listed::addAll);
        });
        return listed;
    }

    public boolean hasPolicy() {
        return shape != Shape.DIRECT;
    }
}
