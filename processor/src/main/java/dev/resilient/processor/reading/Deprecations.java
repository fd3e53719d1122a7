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
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeMirror;
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
        Set<String> warnings = scan(InterfaceReader.signatureTypes(asMember));
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
        for (DeclaredType type : TypeScan.declaredTypes(types)) {
            if (elements.isDeprecated(type.asElement())) {
                warnings.add(forRemoval(type.asElement()) ? "removal" : "deprecation");
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
