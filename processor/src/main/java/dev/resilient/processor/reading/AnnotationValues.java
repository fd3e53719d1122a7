package dev.resilient.processor.reading;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * The attributes of one annotation, read through its mirror, never through the annotation's
 * methods (which throw for {@code Class} values). Defaults are filled in; {@link #value(String)}
 * tells which attributes the user wrote, so that errors point at them.
 */
public final class AnnotationValues {
    private final AnnotationMirror mirror;
    private final Map<String, AnnotationValue> withDefaults = new HashMap<>();
    private final Map<String, AnnotationValue> explicit = new HashMap<>();

    public AnnotationValues(AnnotationMirror mirror, Elements elements) {
        this.mirror = mirror;
        elements.getElementValuesWithDefaults(mirror).forEach((key, value) -> withDefaults.put(name(key), value));
        mirror.getElementValues().forEach((key, value) -> explicit.put(name(key), value));
    }

    private static String name(ExecutableElement attribute) {
        return attribute.getSimpleName().toString();
    }

    public AnnotationMirror mirror() {
        return mirror;
    }

    /** The value the user wrote for {@code name}, or {@code null} when it has its default. */
    public AnnotationValue value(String name) {
        return explicit.get(name);
    }

    public boolean isSet(String name) {
        return explicit.containsKey(name);
    }

    public int intValue(String name) {
        return ((Number) raw(name)).intValue();
    }

    public double doubleValue(String name) {
        return ((Number) raw(name)).doubleValue();
    }

    public String string(String name) {
        return (String) raw(name);
    }

    /** The simple name of an enum constant value. */
    public String enumConstant(String name) {
        return ((VariableElement) raw(name)).getSimpleName().toString();
    }

    /**
     * The types of a {@code Class[]} value; one that does not resolve (another processor may
     * generate it) is an error type, and a value javac could not read at all is left out.
     */
    public List<TypeMirror> classes(String name) {
        List<TypeMirror> types = new ArrayList<>();
        for (Object entry : (List<?>) raw(name)) {
            if (((AnnotationValue) entry).getValue() instanceof TypeMirror type) {
                types.add(type);
            }
        }
        return types;
    }

    /** Whether a {@code Class[]} value has an entry that does not resolve. */
    public boolean unresolved(String name) {
        return ((List<?>) raw(name)).stream().anyMatch(entry -> !(((AnnotationValue) entry).getValue() instanceof TypeMirror type)
                || type.getKind() == TypeKind.ERROR);
    }

    /**
     * Whether a value the user wrote did not resolve: a constant of a class that does not exist
     * (yet: another processor may generate it), which javac gives as an error value in place of
     * the number, string or enum constant. {@code Class} values are left to {@link #unresolved}.
     */
    public boolean erroneous() {
        return mirror.getElementValues().entrySet().stream()
                .anyMatch(entry -> erroneous(entry.getKey().getReturnType(), entry.getValue()));
    }

    private static boolean erroneous(TypeMirror expected, AnnotationValue value) {
        Object raw = value.getValue();
        if (expected instanceof ArrayType array) {
            return !(raw instanceof List<?> entries) || entries.stream()
                    .anyMatch(entry -> !(entry instanceof AnnotationValue each) || erroneous(array.getComponentType(), each));
        }
        if (expected.getKind().isPrimitive()) {
            return !(raw instanceof Number || raw instanceof Boolean || raw instanceof Character);
        }
        String type = expected instanceof DeclaredType declared
                ? ((TypeElement) declared.asElement()).getQualifiedName().toString() : "";
        return switch (type) {
            // javac's error value reads "<error>" unquoted; a string literal that says so is quoted.
            case "java.lang.String" -> !(raw instanceof String) || value.toString().equals("<error>");
            case "java.lang.Class" -> false;
            default -> !(raw instanceof VariableElement || raw instanceof AnnotationMirror);
        };
    }

    /** Every {@code Class[]} attribute of the annotation, written or not. */
    public List<String> classAttributes() {
        return withDefaults.entrySet().stream().filter(entry -> entry.getValue().getValue() instanceof List<?>)
                .map(Map.Entry::getKey).sorted().toList();
    }

    private Object raw(String name) {
        AnnotationValue value = withDefaults.get(name);
        if (value == null) {
            throw new IllegalArgumentException("@" + mirror.getAnnotationType() + " has no attribute " + name);
        }
        return value.getValue();
    }
}
