package dev.resilient.processor.validation;

import dev.resilient.processor.model.BreakerModel;
import dev.resilient.processor.model.RetryModel;
import dev.resilient.processor.reading.Annotations;
import dev.resilient.processor.reading.MethodDeclaration;
import dev.resilient.runtime.internal.Attribute;
import dev.resilient.runtime.internal.DurationFormat;
import java.time.Duration;
import java.util.Optional;
import javax.lang.model.element.TypeElement;

/**
 * Checks what a method's policies add up to, across annotations: combinations that can never
 * work. (Those within one annotation, such as a {@code maxDuration} shorter than the first wait,
 * are the runtime's rules, which overrides are checked with too.)
 */
final class CombinationValidator {
    private final Check.Factory checks;

    CombinationValidator(Check.Factory checks) {
        this.checks = checks;
    }

    void validate(TypeElement iface, MethodDeclaration method, Optional<RetryModel> retry, Optional<BreakerModel> breaker,
            Optional<Duration> timeout, Diagnostics diagnostics) {
        if (timeout.isEmpty()) {
            return;
        }
        Duration perAttempt = timeout.get();
        retry.map(present -> (Duration) present.written().value(Attribute.MAX_DURATION))
                .filter(maxDuration -> perAttempt.compareTo(maxDuration) >= 0)
                .ifPresent(maxDuration -> checks.of(iface, method.annotation(Annotations.TIMEOUT).orElseThrow(), diagnostics)
                        .that(false, "value", Message.TIMEOUT_BEYOND_BUDGET, DurationFormat.text(perAttempt),
                                DurationFormat.text(maxDuration)));
        breaker.map(present -> (Duration) present.written().value(Attribute.SLOW_CALL))
                .filter(slowCall -> slowCall.compareTo(perAttempt) >= 0)
                .ifPresent(slowCall -> checks.of(iface, method.annotation(Annotations.BREAKER).orElseThrow(), diagnostics)
                        .that(false, "slowCall", Message.SLOW_CALL_BEYOND_TIMEOUT, DurationFormat.text(slowCall),
                                DurationFormat.text(perAttempt)));
    }
}
