package dev.resilient.processor.validation;

import dev.resilient.processor.reading.MethodDeclaration.Found;
import dev.resilient.runtime.internal.Attribute;
import java.time.Duration;
import java.util.Optional;
import javax.lang.model.element.TypeElement;

/** Checks a {@code @Timeout}: its one duration, by the runtime's rules. */
final class TimeoutValidator {
    private final Check.Factory checks;

    TimeoutValidator(Check.Factory checks) {
        this.checks = checks;
    }

    Optional<Duration> validate(TypeElement iface, Found found, Diagnostics diagnostics) {
        return checks.of(iface, found, diagnostics).written("Timeout").map(written -> (Duration) written.value(Attribute.TIMEOUT));
    }
}
