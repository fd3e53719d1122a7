package dev.resilient.processor.model;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import javax.lang.model.element.TypeElement;

/**
 * One generated class.
 *
 * @param iface the annotated interface
 * @param packageName the package of both
 * @param simpleName the generated class's simple name, as in {@code ResilientOuter_Foo}
 * @param isPublic whether the interface, and so the class, is public
 * @param generatedAnnotation whether {@code javax.annotation.processing.Generated} is accessible
 * @param methods every method the class overrides, in declaration order
 */
public record WrapperModel(
        TypeElement iface,
        String packageName,
        String simpleName,
        boolean isPublic,
        boolean generatedAnnotation,
        List<MethodModel> methods) {

    public WrapperModel {
        methods = List.copyOf(methods);
    }

    /** The distinct breakers the methods use, in the order first used. */
    public List<BreakerModel> breakers() {
        return methods.stream()
                .flatMap(method -> method.breaker().stream())
                .filter(distinctByName())
                .toList();
    }

    private static Predicate<BreakerModel> distinctByName() {
        Set<String> seen = new HashSet<>();
        return breaker -> seen.add(breaker.name());
    }
}
