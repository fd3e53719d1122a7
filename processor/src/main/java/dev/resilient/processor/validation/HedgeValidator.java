package dev.resilient.processor.validation;

import dev.resilient.processor.model.Written;
import dev.resilient.processor.reading.MethodDeclaration.Found;
import java.util.Optional;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/**
 * Checks a {@code @Hedge}: its number and duration by the runtime's rules, and that its method
 * does not also carry a {@code @Retryable} of its own, since hedging replaces retrying. A
 * {@code @Retryable} on the interface is replaced by the method's {@code @Hedge}, as any
 * annotation on a method replaces the interface's of its kind.
 */
final class HedgeValidator {
    private final Check.Factory checks;

    HedgeValidator(Check.Factory checks) {
        this.checks = checks;
    }

    /** @param retryable the {@code @Retryable} that governs the method, if any: its own, or its interface's */
    Optional<Written> validate(TypeElement iface, Found found, Optional<Found> retryable, Diagnostics diagnostics) {
        Check check = checks.of(iface, found, diagnostics);
        Optional<Written> written = check.written("Hedge");
        boolean retriedToo = retryable.filter(retry -> retry.on().getKind() == ElementKind.METHOD).isPresent();
        if (retriedToo) {
            diagnostics.error(found.on(), found.mirror(), null, Message.HEDGE_WITH_RETRYABLE, found.on().getSimpleName() + "()");
        }
        return retriedToo ? Optional.empty() : written;
    }
}
