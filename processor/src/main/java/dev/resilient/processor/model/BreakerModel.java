package dev.resilient.processor.model;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import javax.lang.model.type.TypeMirror;

/**
 * A validated {@code @Breaker}, with its name resolved.
 *
 * @param window 0 in consecutive mode
 * @param minimumCalls set only when the annotation set it; rate mode defaults it to {@code window}
 */
public record BreakerModel(
        String name,
        int failureThreshold,
        int window,
        double failureRate,
        OptionalInt minimumCalls,
        Duration openFor,
        int halfOpenCalls,
        List<TypeMirror> failOn,
        List<TypeMirror> skipOn) {

    public BreakerModel {
        failOn = List.copyOf(failOn);
        skipOn = List.copyOf(skipOn);
    }

    public boolean rateMode() {
        return window > 0;
    }

    /** Whether both describe the same settings, the name aside; failure types compared by name. */
    public boolean sameSettings(BreakerModel other) {
        return failureThreshold == other.failureThreshold
                && window == other.window
                && Double.compare(failureRate, other.failureRate) == 0
                && minimumCalls.equals(other.minimumCalls)
                && openFor.equals(other.openFor)
                && halfOpenCalls == other.halfOpenCalls
                && failOn.toString().equals(other.failOn.toString())
                && skipOn.toString().equals(other.skipOn.toString());
    }
}
