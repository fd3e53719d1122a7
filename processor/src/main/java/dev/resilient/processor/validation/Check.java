package dev.resilient.processor.validation;

import dev.resilient.processor.model.Written;
import dev.resilient.processor.reading.AnnotationValues;
import dev.resilient.processor.reading.MethodDeclaration;
import dev.resilient.runtime.internal.Attribute;
import java.util.List;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * The checks of one annotation's values, reported on the value that has the problem; remembers
 * whether there was any, so its validator returns a model only for a sound annotation.
 */
final class Check {
    final TypeElement iface;
    final Element on;
    final AnnotationValues values;
    final Diagnostics diagnostics;
    private final Types types;
    private final Accessibility accessibility;
    private boolean failed;

    /** Makes the checks of one annotation. */
    static final class Factory {
        private final ProcessingEnvironment env;
        private final Accessibility accessibility;

        Factory(ProcessingEnvironment env, Accessibility accessibility) {
            this.env = env;
            this.accessibility = accessibility;
        }

        Check of(TypeElement iface, MethodDeclaration.Found found, Diagnostics diagnostics) {
            return new Check(env, accessibility, iface, found.on(), found.mirror(), diagnostics);
        }
    }

    private Check(ProcessingEnvironment env, Accessibility accessibility, TypeElement iface, Element on, AnnotationMirror mirror,
            Diagnostics diagnostics) {
        this.iface = iface;
        this.on = on;
        this.values = new AnnotationValues(mirror, env.getElementUtils());
        this.diagnostics = diagnostics;
        this.types = env.getTypeUtils();
        this.accessibility = accessibility;
    }

    boolean failed() {
        return failed;
    }

    void that(boolean condition, String attribute, Message message, Object... args) {
        if (!condition) {
            diagnostics.error(on, values.mirror(), values.value(attribute), message, args);
            failed = true;
        }
    }

    /** Reports a rule of the runtime's broken, on the value of the attribute it names. */
    void problem(Attribute.Problem problem) {
        diagnostics.error(on, values.mirror(), values.value(problem.attribute().attributeName()), problem);
        failed = true;
    }

    /** The numeric and duration attributes written, checked by the runtime's rules. */
    Optional<Written> written(String annotation) {
        Optional<Written> written = AttributeCheck.written(annotation, on, values, diagnostics);
        failed |= written.isEmpty();
        return written;
    }

    /**
     * A {@code Class[]} attribute, with its default when not written, each of whose types the
     * wrapper must be able to name. One that does not resolve yet defers the interface.
     */
    List<TypeMirror> classes(String attribute) {
        List<TypeMirror> classes = values.classes(attribute);
        if (values.unresolved(attribute) || classes.stream().anyMatch(type -> type.getKind() == TypeKind.ERROR)) {
            diagnostics.unresolvedType();
        }
        failed |= !accessibility.check(iface, classes, attribute, on, values.mirror(), values.value(attribute), diagnostics);
        return classes;
    }

    /** Whether the wrapper can name each of {@code used}, which {@code attribute} brings in; reports the ones it cannot. */
    boolean accessible(List<TypeMirror> used, String subject, String attribute) {
        boolean accessible = accessibility.check(iface, used, subject, on, values.mirror(), values.value(attribute), diagnostics);
        failed |= !accessible;
        return accessible;
    }

    /** {@code classes} as written: empty when the attribute has its default. */
    Optional<List<TypeMirror>> asWritten(String attribute, List<TypeMirror> classes) {
        return values.isSet(attribute) ? Optional.of(classes) : Optional.empty();
    }

    /** Reports each type of {@code listed} that {@code winning} always overrides. */
    void disjoint(List<TypeMirror> listed, List<TypeMirror> winning, String attribute, Message message) {
        for (TypeMirror type : listed) {
            for (TypeMirror winner : winning) {
                if (types.isSubtype(types.erasure(type), types.erasure(winner))) {
                    that(false, attribute, message, type, winner);
                }
            }
        }
    }
}
