package dev.resilient.processor.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;

/**
 * The methods of the interface that a method's annotations name to judge its outcomes: {@code
 * @Retryable.retryOnResult}, {@code @Breaker.failOnResult}, and {@code @Retryable.waitFrom} in its
 * form for a rejected value and its form for a failure.
 */
public record OutcomesModel(
        Optional<Judge> retryOn,
        Optional<Judge> failOn,
        Optional<Judge> waitAfterResult,
        Optional<Judge> waitAfterFailure) {

    /** A named method, and the type of its one parameter as a member of the interface. */
    public record Judge(ExecutableElement method, TypeMirror parameter) {}

    /** Whether a method judges the values its attempts return, not only its waits. */
    public boolean judgesValues() {
        return retryOn.isPresent() || failOn.isPresent();
    }

    public boolean isEmpty() {
        return retryOn.isEmpty() && failOn.isEmpty() && waitAfterResult.isEmpty() && waitAfterFailure.isEmpty();
    }

    /** The types of the named methods' parameters, which the wrapper names. */
    public List<TypeMirror> parameterTypes() {
        List<TypeMirror> types = new ArrayList<>();
        for (Optional<Judge> judge : List.of(retryOn, failOn, waitAfterResult, waitAfterFailure)) {
            judge.ifPresent(present -> types.add(present.parameter()));
        }
        return types;
    }
}
