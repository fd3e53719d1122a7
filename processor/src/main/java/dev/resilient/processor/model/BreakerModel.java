package dev.resilient.processor.model;

import java.util.List;
import java.util.Optional;
import javax.lang.model.type.TypeMirror;

/**
 * A validated {@code @Breaker}, its name resolved, as written.
 *
 * @param constant the name of its spec constant, shared by the breakers that write alike
 * @param field the name of the wrapper's field holding it
 */
public record BreakerModel(
        String name,
        String constant,
        String field,
        Written written,
        Optional<List<TypeMirror>> failOn,
        Optional<List<TypeMirror>> skipOn) {}
