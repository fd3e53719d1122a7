package dev.resilient.processor.reading;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * The attributes of one annotation, read through its mirror, never through the annotation's
 * methods (which throw for {@code Class} values). Defaults are filled in; {@link #value(String)}
 * tells which attributes the user wrote, so that errors point at them.
 */
final class AnnotationValues {
    private final AnnotationMirror mirror;
    private final Map<String, AnnotationValue> withDefaults = new HashMap<>();
    private final Map<String, AnnotationValue> explicit = new HashMap<>();

    AnnotationValues(AnnotationMirror mirror, Elements elements) {
        this.mirror = mirror;
        elements.getElementValuesWithDefaults(mirror).forEach((key, value) -> withDefaults.put(name(key), value));
        mirror.getElementValues().forEach((key, value) -> explicit.put(name(key), value));
    }

    private static String name(ExecutableElement attribute) {
        return attribute.getSimpleName().toString();
    }

    AnnotationMirror mirror() {
        return mirror;
    }

    /** The value the user wrote for {@code name}, or {@code null} when it has its default. */
    AnnotationValue value(String name) {
        return explicit.get(name);
    }

    boolean isSet(String name) {
        return explicit.containsKey(name);
    }

    int intValue(String name) {
        return ((Number) raw(name)).intValue();
    }

    double doubleValue(String name) {
        return ((Number) raw(name)).doubleValue();
    }

    String string(String name) {
        return (String) raw(name);
    }

    /** The simple name of an enum constant value. */
    String enumConstant(String name) {
        return ((VariableElement) raw(name)).getSimpleName().toString();
    }

    /**
     * The types of a {@code Class[]} value; an entry that does not resolve is reported as
     * unresolved (another processor may generate it) and left out.
     */
    List<TypeMirror> classes(String name, Diagnostics diagnostics) {
        List<TypeMirror> types = new ArrayList<>();
        for (Object entry : (List<?>) raw(name)) {
            Object value = ((AnnotationValue) entry).getValue();
            if (value instanceof TypeMirror type && type.getKind() != TypeKind.ERROR) {
                types.add(type);
            } else {
                diagnostics.unresolvedType();
            }
        }
        return types;
    }

    private Object raw(String name) {
        AnnotationValue value = withDefaults.get(name);
        if (value == null) {
            throw new IllegalArgumentException("@" + mirror.getAnnotationType() + " has no attribute " + name);
        }
        return value.getValue();
    }
}
