package dev.resilient.processor.model;

import java.util.List;
import java.util.Optional;
import javax.lang.model.type.TypeMirror;

/**
 * A validated {@code @Retryable} that retries ({@code maxAttempts > 1}), as written.
 *
 * @param constant the name of its spec constant, shared by every method it applies to
 * @param jitter the name of a {@code Jitter} constant, when written
 */
public record RetryModel(
        String constant,
        Written written,
        Optional<String> jitter,
        Optional<List<TypeMirror>> retryOn,
        Optional<List<TypeMirror>> abortOn) {}
