package dev.resilient.processor.model;

import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;

/**
 * One method the wrapper implements.
 *
 * @param element the method as declared (possibly in a super-interface)
 * @param id {@code "Interface.method"}, with parameter types when overloaded: names the method in
 *     events and is the default breaker name
 * @param retry the method's retry policy, if any
 * @param breaker the method's breaker, if any
 * @param deprecated whether the method is deprecated, so its override must be too
 * @param suppressions the warnings its signature forces ({@code "deprecation"}, {@code "removal"})
 */
public record MethodModel(
        ExecutableElement element,
        String id,
        Optional<RetryModel> retry,
        Optional<BreakerModel> breaker,
        boolean deprecated,
        List<String> suppressions) {

    public MethodModel {
        suppressions = List.copyOf(suppressions);
    }

    public boolean hasPolicy() {
        return retry.isPresent() || breaker.isPresent();
    }
}
