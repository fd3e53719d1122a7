package dev.resilient.processor.validation;

import dev.resilient.processor.model.Written;
import dev.resilient.processor.reading.MethodDeclaration.Found;
import dev.resilient.runtime.internal.Attribute;
import java.time.Duration;
import java.util.Optional;
import javax.lang.model.element.TypeElement;

/** Checks a {@code @Bulkhead}: its number and duration by the runtime's rules, and that a stage's never waits. */
final class BulkheadValidator {
    private final Check.Factory checks;

    BulkheadValidator(Check.Factory checks) {
        this.checks = checks;
    }

    /** @param async whether the method returns a stage, which may not wait for a slot */
    Optional<Written> validate(TypeElement iface, Found found, boolean async, Diagnostics diagnostics) {
        Check check = checks.of(iface, found, diagnostics);
        Optional<Written> written = check.written("Bulkhead");
        written.ifPresent(bulkhead -> check.that(!async || ((Duration) bulkhead.value(Attribute.MAX_WAIT)).isZero(), "maxWait",
                Message.BULKHEAD_ASYNC_WAIT, check.values.string("maxWait")));
        return check.failed() ? Optional.empty() : written;
    }
}
