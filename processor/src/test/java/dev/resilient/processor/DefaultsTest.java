package dev.resilient.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.resilient.runtime.internal.Attribute;
import dev.resilient.runtime.internal.DurationFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Generated code writes only the attributes the user wrote; the runtime starts from the defaults
 * its {@link Attribute} states. Java makes the annotations state their defaults too: the two
 * must agree, attribute by attribute.
 */
class DefaultsTest {
    @ParameterizedTest
    @EnumSource(Attribute.class)
    void theRuntimeStartsFromTheAnnotationsDefault(Attribute attribute) throws Exception {
        Class<?> annotation = Class.forName("dev.resilient.annotations." + attribute.annotation());
        Object declared = annotation.getMethod(attribute.attributeName()).getDefaultValue();
        Object expected = switch (attribute.kind()) {
            case DURATION -> declared == null || declared.equals("") ? null : DurationFormat.parse((String) declared).orElseThrow();
            case INT -> attribute == Attribute.MINIMUM_CALLS && declared.equals(-1) ? null : declared; // -1: the window's
            case DOUBLE -> declared;
        };
        assertEquals(expected, attribute.defaultValue(), "@" + attribute.annotation() + "." + attribute.attributeName());
    }
}
