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
 * @param deprecated whether the interface is deprecated, so the class must be too
 * @param suppressions the warnings the interface's own header forces on the class
 * @param failover whether to write {@code failover(...)}: not for a sealed interface, which
 *     permits the wrapper only
 * @param methods every method the class overrides, in declaration order
 */
public record WrapperModel(
        TypeElement iface,
        String packageName,
        String simpleName,
        boolean isPublic,
        boolean generatedAnnotation,
        boolean deprecated,
        List<String> suppressions,
        boolean failover,
        List<MethodModel> methods) {

    public WrapperModel {
        suppressions = List.copyOf(suppressions);
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
