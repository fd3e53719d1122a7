package dev.resilient.processor.reading;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.Elements;

/**
 * Finds what the interface's own signatures force on the generated code: a deprecated method
 * needs a deprecated override, and a deprecated type named in a signature a targeted
 * {@code @SuppressWarnings}.
 */
final class Deprecations {
    private final Elements elements;

    Deprecations(Elements elements) {
        this.elements = elements;
    }

    boolean isDeprecated(Element element) {
        return elements.isDeprecated(element);
    }

    /** The warnings the signature of {@code method}, as a member of the interface, would raise. */
    List<String> suppressions(ExecutableElement method, ExecutableType asMember) {
        List<TypeMirror> used = new ArrayList<>(asMember.getParameterTypes());
        used.add(asMember.getReturnType());
        used.addAll(asMember.getThrownTypes());
        for (TypeVariable variable : asMember.getTypeVariables()) {
            used.add(variable.getUpperBound());
        }
        Set<String> warnings = scan(used);
        if (forRemoval(method)) {
            warnings.add("removal"); // overriding it; @Deprecated on the override covers "deprecation" only
        }
        return List.copyOf(warnings);
    }

    /** The warnings the class header (implements clause, type parameter bounds) would raise. */
    List<String> suppressions(TypeElement iface) {
        List<TypeMirror> used = new ArrayList<>();
        for (TypeParameterElement parameter : iface.getTypeParameters()) {
            used.addAll(parameter.getBounds());
        }
        Set<String> warnings = scan(used);
        if (forRemoval(iface)) {
            warnings.add("removal");
        }
        return List.copyOf(warnings);
    }

    private Set<String> scan(List<TypeMirror> types) {
        Set<String> warnings = new TreeSet<>();
        List<TypeMirror> queue = new ArrayList<>(types);
        Set<String> seen = new java.util.HashSet<>();
        while (!queue.isEmpty()) {
            TypeMirror type = queue.remove(queue.size() - 1);
            if (!seen.add(type.toString())) {
                continue;
            }
            if (type instanceof DeclaredType declared) {
                Element element = declared.asElement();
                if (elements.isDeprecated(element)) {
                    warnings.add(forRemoval(element) ? "removal" : "deprecation");
                }
                queue.addAll(declared.getTypeArguments());
                if (declared.getEnclosingType() instanceof DeclaredType outer) {
                    queue.add(outer);
                }
            } else if (type instanceof ArrayType array) {
                queue.add(array.getComponentType());
            } else if (type instanceof WildcardType wildcard) {
                if (wildcard.getExtendsBound() != null) {
                    queue.add(wildcard.getExtendsBound());
                }
                if (wildcard.getSuperBound() != null) {
                    queue.add(wildcard.getSuperBound());
                }
            }
        }
        return warnings;
    }

    private static boolean forRemoval(Element element) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().contentEquals("java.lang.Deprecated")) {
                return mirror.getElementValues().entrySet().stream().anyMatch(entry ->
                        entry.getKey().getSimpleName().contentEquals("forRemoval") && Boolean.TRUE.equals(entry.getValue().getValue()));
            }
        }
        return false;
    }
}
