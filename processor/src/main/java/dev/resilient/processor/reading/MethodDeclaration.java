package dev.resilient.processor.reading;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.ExecutableType;

/**
 * One method a wrapper overrides, as read.
 *
 * @param group its declarations that no other declaration of it overrides (more than one when
 *     unrelated super-interfaces declare it), the one the override must match first
 * @param type the method as a member of the interface
 * @param id its unique name in events and override keys
 * @param annotations the annotation of each kind that governs it: its own, else its interface's
 * @param typeVariableNames the names its override gives its type variables
 * @param async whether it returns a {@code CompletionStage} or {@code CompletableFuture}
 * @param suppressions the warnings its override would raise
 */
public record MethodDeclaration(
        List<ExecutableElement> group,
        ExecutableType type,
        String id,
        Map<String, Found> annotations,
        List<String> typeVariableNames,
        boolean async,
        boolean deprecated,
        List<String> suppressions) {

    /** An annotation and the element it is written on. */
    public record Found(Element on, AnnotationMirror mirror) {}

    public ExecutableElement element() {
        return group.get(0);
    }

    public Optional<Found> annotation(String kind) {
        return Optional.ofNullable(annotations.get(kind));
    }
}
