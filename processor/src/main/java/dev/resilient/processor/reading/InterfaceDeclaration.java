package dev.resilient.processor.reading;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;

/**
 * An annotated interface as read, not yet validated.
 *
 * @param hierarchy the interface and its super-interfaces, nearest first
 * @param candidates every method of the interface, as declared or inherited: the targets a
 *     {@code @Fallback} may name
 * @param methods the methods a wrapper overrides, in declaration order
 * @param wrapperName the generated class's simple name
 * @param packageName the package of both; {@code ""} for the unnamed one
 * @param suppressions the warnings the wrapper's header and shared code would raise
 * @param declaredNames every name the interface and its super-interfaces declare
 * @param takenNames the simple names that a type in scope in the wrapper's body takes: the
 *     nested types of the interface and its super-interfaces, and the types of its package
 * @param returnClash the first method the wrapper would override whose return type cannot replace
 *     another declaration's of the same signature; javac rejects such an interface itself
 */
public record InterfaceDeclaration(
        TypeElement iface,
        DeclaredType site,
        List<TypeElement> hierarchy,
        List<ExecutableElement> candidates,
        List<MethodDeclaration> methods,
        String wrapperName,
        String packageName,
        boolean generatedAnnotation,
        boolean deprecated,
        List<String> suppressions,
        Set<String> declaredNames,
        Set<String> takenNames,
        Optional<ReturnClash> returnClash) {

    /**
     * {@code method}, returning {@code returned} as a member of the interface, cannot override
     * {@code other}, returning {@code otherReturned}: {@code String get()} in an interface extending
     * {@code Supplier<Integer>}, or two super-interfaces' {@code Integer get()} and {@code String get()}.
     */
    public record ReturnClash(ExecutableElement method, TypeMirror returned, ExecutableElement other, TypeMirror otherReturned) {}
}
