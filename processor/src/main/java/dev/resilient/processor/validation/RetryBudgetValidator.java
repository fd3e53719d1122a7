package dev.resilient.processor.validation;

import dev.resilient.processor.model.RetryBudgetModel;
import dev.resilient.processor.model.Written;
import dev.resilient.processor.reading.MethodDeclaration.Found;
import java.util.Optional;
import javax.lang.model.element.TypeElement;

/** Checks a {@code @RetryBudget}: its name, and its numbers and durations by the runtime's rules. */
final class RetryBudgetValidator {
    private final Check.Factory checks;

    RetryBudgetValidator(Check.Factory checks) {
        this.checks = checks;
    }

    /** @param defaultName the budget's name when the annotation leaves {@code name} empty */
    Optional<RetryBudgetModel> validate(TypeElement iface, Found found, String defaultName, Diagnostics diagnostics) {
        Check check = checks.of(iface, found, diagnostics);
        String name = check.values.string("name");
        check.that(name.isEmpty() || !name.isBlank(), "name", Message.RETRY_BUDGET_NAME, name);
        Optional<Written> written = check.written("RetryBudget");
        if (check.failed()) {
            return Optional.empty();
        }
        return Optional.of(new RetryBudgetModel(name.isEmpty() ? defaultName : name, written.orElseThrow()));
    }
}
