package dev.resilient.spring;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.internal.Breaker;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@link CircuitBreaker} does not tell yet: a breaker's settings and how long it stays open.
 * The only place where the starter reaches into the runtime's internals, until
 * {@code CircuitBreaker} offers both; the endpoint's tests fail if this stops working.
 */
final class BreakerDetails {
    private BreakerDetails() {}

    /**
     * How long from now the breaker rejects every call: zero unless OPEN, empty while it is held
     * open until reset.
     */
    static Optional<Duration> timeLeftOpen(CircuitBreaker breaker) {
        if (!(breaker instanceof Breaker internal)) {
            return Optional.of(Duration.ZERO);
        }
        long nanos = internal.openNanos();
        return nanos == Long.MAX_VALUE ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
    }

    /**
     * The settings in force, overrides applied, as in
     * {@code {failureThreshold=4, openFor=PT1S, halfOpenCalls=1, failOn=[IOException], skipOn=[]}};
     * {@code null} when they cannot be read.
     */
    static String settings(CircuitBreaker breaker) {
        try {
            Field specField = Breaker.class.getDeclaredField("spec");
            specField.setAccessible(true);
            Object spec = specField.get(breaker);
            Method settings = spec.getClass().getDeclaredMethod("settings");
            settings.setAccessible(true);
            return (String) settings.invoke(spec);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
