package dev.resilient.processor.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * @param overrideKeys whether to write the static {@code overrideKeys()}: not when the interface
 *     has a method of that signature
 * @param delegateField the name of the field holding the delegate
 * @param localNames names the generated methods' locals must not take (the interface's members
 *     and type parameters), besides each method's parameters
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
        boolean overrideKeys,
        String delegateField,
        Set<String> localNames,
        Set<String> qualifiedNames,
        List<MethodModel> methods) {

    public WrapperModel {
        suppressions = List.copyOf(suppressions);
        localNames = Set.copyOf(localNames);
        qualifiedNames = Set.copyOf(qualifiedNames);
        methods = List.copyOf(methods);
    }

    /** The generated class's qualified name, as in {@code p.ResilientOuter_Foo}: its simple name in the unnamed package. */
    public String qualifiedName() {
        return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
    }

    /** The distinct breakers the methods use, in the order first used. */
    public List<BreakerModel> breakers() {
        Map<String, BreakerModel> breakers = new LinkedHashMap<>();
        methods.forEach(method -> method.breaker().ifPresent(breaker -> breakers.putIfAbsent(breaker.name(), breaker)));
        return List.copyOf(breakers.values());
    }

    /** The distinct spec constants of the breakers the methods use: breakers that write alike share one. */
    public List<BreakerModel> breakerSpecs() {
        Map<String, BreakerModel> specs = new LinkedHashMap<>();
        methods.forEach(method -> method.breaker().ifPresent(breaker -> specs.putIfAbsent(breaker.constant(), breaker)));
        return List.copyOf(specs.values());
    }

    /** The distinct retries the methods use, in the order first used: one spec constant each. */
    public List<RetryModel> retries() {
        Map<String, RetryModel> retries = new LinkedHashMap<>();
        methods.forEach(method -> method.retry().ifPresent(retry -> retries.putIfAbsent(retry.constant(), retry)));
        return List.copyOf(retries.values());
    }
}
