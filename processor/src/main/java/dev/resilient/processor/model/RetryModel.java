package dev.resilient.processor.model;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.lang.model.type.TypeMirror;

/**
 * A validated {@code @Retryable}.
 *
 * @param jitter the name of a {@code Jitter} constant
 */
public record RetryModel(
        int maxAttempts,
        Duration delay,
        double multiplier,
        Optional<Duration> maxDelay,
        String jitter,
        Optional<Duration> maxDuration,
        List<TypeMirror> retryOn,
        List<TypeMirror> abortOn) {

    public RetryModel {
        retryOn = List.copyOf(retryOn);
        abortOn = List.copyOf(abortOn);
    }
}
