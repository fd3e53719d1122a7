package dev.resilient.processor.model;

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
 */
public record MethodModel(ExecutableElement element, String id, Optional<RetryModel> retry, Optional<BreakerModel> breaker) {

    public boolean hasPolicy() {
        return retry.isPresent() || breaker.isPresent();
    }
}
