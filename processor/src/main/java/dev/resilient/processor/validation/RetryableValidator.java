package dev.resilient.processor.validation;

import dev.resilient.processor.model.RetryModel;
import dev.resilient.processor.model.Written;
import dev.resilient.processor.reading.MethodDeclaration.Found;
import dev.resilient.runtime.internal.Attribute;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/** Checks a {@code @Retryable}: its numbers and durations by the runtime's rules, its failure lists here. */
final class RetryableValidator {
    private final Check.Factory checks;

    RetryableValidator(Check.Factory checks) {
        this.checks = checks;
    }

    /**
     * The retry, or empty when the annotation is not sound — and also when it does not retry
     * ({@code maxAttempts = 1}), which is no policy at all.
     *
     * @param constant gives the name of its spec constant from what it writes: retries that write
     *     alike share one
     */
    Optional<RetryModel> validate(TypeElement iface, Found found, Function<String, String> constant, Diagnostics diagnostics) {
        Check check = checks.of(iface, found, diagnostics);
        Optional<Written> written = check.written("Retryable");
        List<TypeMirror> retryOn = check.classes("retryOn");
        List<TypeMirror> abortOn = check.classes("abortOn");
        check.disjoint(retryOn, abortOn, "retryOn", Message.RETRYABLE_CONTRADICTION);
        if (check.failed() || written.isEmpty() || (int) written.get().value(Attribute.MAX_ATTEMPTS) == 1) {
            return Optional.empty();
        }
        Optional<String> jitter = check.values.isSet("jitter") ? Optional.of(check.values.enumConstant("jitter")) : Optional.empty();
        Optional<List<TypeMirror>> retryOnWritten = check.asWritten("retryOn", retryOn);
        Optional<List<TypeMirror>> abortOnWritten = check.asWritten("abortOn", abortOn);
        String contents = written.get() + " " + jitter + " " + retryOnWritten + " " + abortOnWritten;
        return Optional.of(new RetryModel(constant.apply(contents), written.get(), jitter, retryOnWritten, abortOnWritten));
    }
}
