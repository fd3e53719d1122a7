package dev.resilient.processor.validation;

import dev.resilient.processor.model.BreakerModel;
import dev.resilient.processor.model.RetryModel;
import dev.resilient.processor.model.Written;
import dev.resilient.processor.reading.AnnotationValues;
import dev.resilient.processor.reading.MethodDeclaration;
import dev.resilient.processor.reading.MethodDeclaration.Found;
import dev.resilient.runtime.internal.Attribute;
import dev.resilient.runtime.internal.Settings;
import java.time.Duration;
import java.util.Optional;
import javax.lang.model.util.Elements;

/**
 * Checks what a method's policies add up to, across annotations, by the runtime's own rules
 * ({@code Settings.between}), which the policies of a method built with configuration overrides
 * are checked with too: each problem is reported on the annotation value it names.
 */
final class CombinationValidator {
    private final Elements elements;

    CombinationValidator(Elements elements) {
        this.elements = elements;
    }

    void validate(MethodDeclaration method, Optional<RetryModel> retry, Optional<BreakerModel> breaker, Optional<Duration> timeout,
            Diagnostics diagnostics) {
        if (timeout.isEmpty()) {
            return;
        }
        for (Attribute.Problem problem : Settings.between(retry.map(present -> settings("Retryable", present.written())).orElse(null),
                breaker.map(present -> settings("Breaker", present.written())).orElse(null), timeout.get())) {
            Found found = method.annotation(problem.attribute().annotation()).orElseThrow();
            AnnotationValues values = new AnnotationValues(found.mirror(), elements);
            diagnostics.error(found.on(), found.mirror(), values.value(problem.attribute().attributeName()), problem);
        }
    }

    private static Settings settings(String annotation, Written written) {
        Settings settings = Settings.of(annotation);
        written.values().forEach(settings::put);
        return settings;
    }
}
