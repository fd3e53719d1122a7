package dev.resilient.processor.validation;

import dev.resilient.processor.model.RateLimitModel;
import dev.resilient.processor.model.Written;
import dev.resilient.processor.reading.MethodDeclaration.Found;
import dev.resilient.runtime.internal.Attribute;
import dev.resilient.runtime.internal.Settings;
import java.time.Duration;
import java.util.Optional;
import javax.lang.model.element.TypeElement;

/** Checks a {@code @RateLimit}: its name, its numbers and durations by the runtime's rules, and that a stage's never waits. */
final class RateLimitValidator {
    private final Check.Factory checks;

    RateLimitValidator(Check.Factory checks) {
        this.checks = checks;
    }

    /**
     * @param defaultName the limit's name when the annotation leaves {@code name} empty
     * @param async whether the method returns a stage, which may not wait for a token
     */
    Optional<RateLimitModel> validate(TypeElement iface, Found found, String defaultName, boolean async, Diagnostics diagnostics) {
        Check check = checks.of(iface, found, diagnostics);
        String name = check.values.string("name");
        check.that(name.isEmpty() || !name.isBlank(), "name", Message.RATE_LIMIT_NAME, name);
        Optional<Written> written = check.written("RateLimit");
        written.filter(limit -> async).ifPresent(limit -> Settings.asynchronousRateLimit(
                (Duration) limit.value(Attribute.RATE_LIMIT_MAX_WAIT)).forEach(check::problem));
        if (check.failed()) {
            return Optional.empty();
        }
        return Optional.of(new RateLimitModel(name.isEmpty() ? defaultName : name, !name.isEmpty(), written.orElseThrow()));
    }
}
