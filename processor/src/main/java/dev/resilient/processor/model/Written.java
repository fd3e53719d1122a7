package dev.resilient.processor.model;

import dev.resilient.runtime.internal.Attribute;
import java.util.Map;

/**
 * The numeric and duration attributes of one annotation as the user wrote them, in their
 * {@link Attribute}'s order: generated code passes exactly these on, and the runtime starts from
 * the same defaults the processor checked against.
 */
public record Written(Map<Attribute, Object> values) {
    public Written {
        values = Map.copyOf(values);
    }

    /** The value written, or the attribute's default. */
    public Object value(Attribute attribute) {
        return values.getOrDefault(attribute, attribute.defaultValue());
    }

    public boolean has(Attribute attribute) {
        return values.containsKey(attribute);
    }

    /**
     * The values, a key under which annotations that write alike share one spec constant. Spelled
     * out: a record's own {@code toString} is linked on its first call, about 15 ms of the first
     * interface's validation.
     */
    @Override
    public String toString() {
        return values.toString();
    }
}
