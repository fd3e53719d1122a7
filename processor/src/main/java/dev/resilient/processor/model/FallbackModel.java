package dev.resilient.processor.model;

import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;

/**
 * A validated {@code @Fallback}.
 *
 * @param target the method of the interface to call instead
 * @param failureType the type of the target's trailing failure parameter, when it has one
 */
public record FallbackModel(
        ExecutableElement target,
        Optional<TypeMirror> failureType,
        Optional<List<TypeMirror>> applyOn,
        Optional<List<TypeMirror>> skipOn) {}
