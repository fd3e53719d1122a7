package dev.resilient.processor.validation;

import dev.resilient.processor.model.BreakerModel;
import dev.resilient.processor.model.Written;
import dev.resilient.processor.reading.MethodDeclaration.Found;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/** Checks a {@code @Breaker}: its name, its numbers and durations by the runtime's rules, its failure lists. */
final class BreakerValidator {
    private final Check.Factory checks;

    BreakerValidator(Check.Factory checks) {
        this.checks = checks;
    }

    /**
     * @param defaultName the breaker's name when the annotation leaves {@code name} empty
     * @param constant gives the name of its spec constant from what it writes (breakers that write
     *     alike share one) and its name when written ({@code ""} otherwise)
     * @param field gives a breaker's name the name of its field
     */
    Optional<BreakerModel> validate(TypeElement iface, Found found, String defaultName, BiFunction<String, String, String> constant,
            Function<String, String> field, Diagnostics diagnostics) {
        Check check = checks.of(iface, found, diagnostics);
        String name = check.values.string("name");
        check.that(name.isEmpty() || !name.isBlank(), "name", Message.BREAKER_NAME, name);
        Optional<Written> written = check.written("Breaker");
        List<TypeMirror> failOn = check.classes("failOn");
        List<TypeMirror> skipOn = check.classes("skipOn");
        check.disjoint(failOn, skipOn, "failOn", Message.BREAKER_CONTRADICTION);
        if (check.failed() || written.isEmpty()) {
            return Optional.empty();
        }
        String resolved = name.isEmpty() ? defaultName : name;
        Optional<List<TypeMirror>> failOnWritten = check.asWritten("failOn", failOn);
        Optional<List<TypeMirror>> skipOnWritten = check.asWritten("skipOn", skipOn);
        String contents = written.get() + " " + failOnWritten + " " + skipOnWritten;
        return Optional.of(new BreakerModel(resolved, constant.apply(contents, name), field.apply(resolved), written.get(),
                failOnWritten, skipOnWritten));
    }
}
