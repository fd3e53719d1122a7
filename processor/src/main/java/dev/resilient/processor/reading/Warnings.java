package dev.resilient.processor.reading;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Finds the warnings that the interface's own signatures force on the generated code, so that it
 * suppresses exactly those: a deprecated method needs a deprecated override; a deprecated or raw
 * type in a signature, and a varargs parameter of a non-reifiable type, make the override warn.
 * These are computed from the types, so that an interface from a jar (whose
 * {@code @SuppressWarnings} is gone) gets a clean wrapper too; what the interface suppresses in
 * source is carried as well.
 */
final class Warnings {
    private static final String SUPPRESS_WARNINGS = "java.lang.SuppressWarnings";

    private final Elements elements;
    private final Types types;

    Warnings(Elements elements, Types types) {
        this.elements = elements;
        this.types = types;
    }

    boolean isDeprecated(Element element) {
        return elements.isDeprecated(element);
    }

    /**
     * The warnings to suppress on the override of {@code declarations} (one method, declared in
     * one or more super-interfaces), whose signature as a member of the interface is {@code type}.
     */
    List<String> suppressions(List<ExecutableElement> declarations, ExecutableType type) {
        Set<String> warnings = scan(InterfaceReader.signatureTypes(type));
        ExecutableElement method = declarations.get(0);
        if (method.isVarArgs() && !isReifiable(((ArrayType) last(type.getParameterTypes())).getComponentType())) {
            warnings.add("unchecked"); // possible heap pollution from a parameterized vararg type
        }
        for (ExecutableElement declaration : declarations) {
            if (forRemoval(declaration)) {
                warnings.add("removal"); // overriding it; @Deprecated on the override covers "deprecation" only
            }
            for (Element e = declaration; e instanceof ExecutableElement || e instanceof TypeElement; e = e.getEnclosingElement()) {
                warnings.addAll(suppressed(e));
            }
        }
        return List.copyOf(warnings);
    }

    /**
     * The warnings to suppress on the class: its header (type parameter bounds) names, and its
     * constants name (the {@code Class[]} attributes of {@code methods}), deprecated or raw types;
     * a serializable interface makes a serializable wrapper, whose fields are not.
     */
    List<String> suppressions(TypeElement iface, List<TypeMirror> listedFailures) {
        List<TypeMirror> used = new ArrayList<>(listedFailures);
        for (TypeParameterElement parameter : iface.getTypeParameters()) {
            used.addAll(parameter.getBounds());
        }
        Set<String> warnings = scan(used);
        if (forRemoval(iface)) {
            warnings.add("removal");
        }
        if (types.isAssignable(iface.asType(), elements.getTypeElement("java.io.Serializable").asType())) {
            warnings.add("serial");
        }
        ModuleElement module = elements.getModuleOf(iface);
        if (module != null && !module.isUnnamed()) {
            // The public wrapper of an exported package names @Generated and ResilienceContext, whose
            // modules the user's module may read without "requires transitive": javac warns [exports].
            warnings.add("exports");
        }
        return List.copyOf(warnings);
    }

    /** The warnings that naming {@code used} in the wrapper's body raises: deprecation, removal, raw types. */
    public List<String> ofTypes(Collection<? extends TypeMirror> used) {
        return List.copyOf(scan(used));
    }

    private Set<String> scan(Collection<? extends TypeMirror> used) {
        Set<String> warnings = new TreeSet<>();
        for (DeclaredType type : TypeScan.declaredTypes(used)) {
            Element element = type.asElement();
            if (elements.isDeprecated(element)) {
                warnings.add(forRemoval(element) ? "removal" : "deprecation");
            }
            if (isRaw(type)) {
                warnings.add("rawtypes");
            }
        }
        return warnings;
    }

    private static boolean isRaw(DeclaredType type) {
        return type.getTypeArguments().isEmpty() && !((TypeElement) type.asElement()).getTypeParameters().isEmpty();
    }

    /** JLS 4.7: primitives, non-generic and raw types, unbounded wildcard parameterizations, arrays of those. */
    private static boolean isReifiable(TypeMirror type) {
        if (type.getKind().isPrimitive()) {
            return true;
        }
        if (type instanceof ArrayType array) {
            return isReifiable(array.getComponentType());
        }
        if (type instanceof DeclaredType declared) {
            boolean arguments = declared.getTypeArguments().stream().allMatch(argument -> argument instanceof WildcardType wildcard
                    && wildcard.getExtendsBound() == null && wildcard.getSuperBound() == null);
            TypeMirror outer = declared.getEnclosingType();
            return arguments && (outer.getKind() != TypeKind.DECLARED || isReifiable(outer));
        }
        return false; // type variables, intersections
    }

    /** The values of {@code element}'s own {@code @SuppressWarnings}, if it has one. */
    private static List<String> suppressed(Element element) {
        List<String> values = new ArrayList<>();
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().contentEquals(SUPPRESS_WARNINGS)) {
                mirror.getElementValues().values().forEach(value -> {
                    for (Object entry : (List<?>) value.getValue()) {
                        values.add((String) ((AnnotationValue) entry).getValue());
                    }
                });
            }
        }
        return values;
    }

    private static <T> T last(List<? extends T> list) {
        return list.get(list.size() - 1);
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
