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
 * @param overrideKeys whether to write the static {@code overrideKeys()}: not when the interface
 *     has a method of that signature
 * @param declaredNames every name the interface and its super-interfaces declare (methods,
 *     fields, nested types, type parameters): the wrapper's own members and locals avoid them
 * @param qualifiedNames the simple names of classes that the wrapper writes qualified, since a type
 *     in scope there (nested in the interface's hierarchy, or of its package) takes them
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
        boolean overrideKeys,
        Set<String> declaredNames,
        Set<String> qualifiedNames,
        List<MethodModel> methods) {

    public WrapperModel {
        suppressions = List.copyOf(suppressions);
        declaredNames = Set.copyOf(declaredNames);
        qualifiedNames = Set.copyOf(qualifiedNames);
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
