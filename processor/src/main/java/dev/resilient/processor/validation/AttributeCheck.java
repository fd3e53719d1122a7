package dev.resilient.processor.validation;

import dev.resilient.processor.model.Written;
import dev.resilient.processor.reading.AnnotationValues;
import dev.resilient.runtime.internal.Attribute;
import dev.resilient.runtime.internal.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.Element;

/**
 * Checks the numeric and duration attributes one annotation writes with the runtime's own
 * {@link Attribute} and {@link Settings}, so a compile error reads exactly as the
 * {@code IllegalArgumentException} of a configuration override would, with the same id.
 */
final class AttributeCheck {
    private AttributeCheck() {}

    /**
     * The attributes of {@code values} as written, or empty when one of them, or a rule between
     * them, has a problem, which is reported on the attribute's value.
     *
     * @param annotation the annotation's simple name, as in {@code "Breaker"}
     */
    static Optional<Written> written(String annotation, Element on, AnnotationValues values, Diagnostics diagnostics) {
        Settings settings = Settings.of(annotation);
        Map<Attribute, Object> written = new LinkedHashMap<>();
        boolean sound = true;
        for (Attribute attribute : Attribute.values()) {
            String name = attribute.attributeName();
            if (!attribute.annotation().equals(annotation) || !values.isSet(name)) {
                continue;
            }
            Object value = switch (attribute.kind()) {
                case INT -> values.intValue(name);
                case DOUBLE -> values.doubleValue(name);
                case DURATION -> duration(attribute, values.string(name));
            };
            if (value == null) {
                continue; // "": an optional duration left unset
            }
            String shown = attribute.kind() == Attribute.Kind.DURATION ? values.string(name) : String.valueOf(value);
            Optional<Attribute.Problem> problem = value == NOT_READ ? Optional.of(attribute.unreadable(shown)) : attribute.check(value, shown);
            problem.ifPresent(found -> diagnostics.error(on, values.mirror(), values.value(name), found));
            sound &= problem.isEmpty();
            if (problem.isEmpty()) {
                written.put(attribute, value);
                settings.put(attribute, value);
            }
        }
        if (!sound) {
            return Optional.empty();
        }
        var problems = settings.rules();
        problems.forEach(problem ->
                diagnostics.error(on, values.mirror(), values.value(problem.attribute().attributeName()), problem));
        return problems.isEmpty() ? Optional.of(new Written(written)) : Optional.empty();
    }

    private static final Object NOT_READ = new Object();

    /** The duration {@code text} writes; {@code null} for {@code ""}, which leaves an optional one unset. */
    private static Object duration(Attribute attribute, String text) {
        if (text.isEmpty() && attribute.defaultValue() == null && attribute != Attribute.TIMEOUT) {
            return null;
        }
        return attribute.parse(text).orElse(NOT_READ);
    }
}
