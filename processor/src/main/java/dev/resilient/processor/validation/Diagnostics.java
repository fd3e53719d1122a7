package dev.resilient.processor.validation;

import dev.resilient.runtime.internal.Attribute;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Predicate;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * The problems found while reading one interface. Readers add to it and never throw; the
 * processor reports them all at the end, each on the element and annotation value that caused it.
 */
public final class Diagnostics {
    private record Problem(String text, Element element, AnnotationMirror annotation, AnnotationValue value) {}

    private final Set<Problem> problems = new LinkedHashSet<>();
    private boolean unresolvedTypes;

    /** An error on {@code element}, at {@code annotation}'s {@code value} where they are not null. */
    public void error(Element element, AnnotationMirror annotation, AnnotationValue value, Message message, Object... args) {
        problems.add(new Problem(message.format(args), element, annotation, value));
    }

    /** One of the runtime's problems with an attribute's value, reported with the same text as an override's. */
    public void error(Element element, AnnotationMirror annotation, AnnotationValue value, Attribute.Problem problem) {
        problems.add(new Problem(problem.text(), element, annotation, value));
    }

    /** An error on {@code element} itself. */
    public void error(Element element, Message message, Object... args) {
        error(element, null, null, message, args);
    }

    /** Notes that the interface uses a type that is not (yet) resolvable: another round may generate it. */
    public void unresolvedType() {
        unresolvedTypes = true;
    }

    public boolean hasUnresolvedTypes() {
        return unresolvedTypes;
    }

    public boolean hasErrors() {
        return !problems.isEmpty();
    }

    /**
     * Prints every problem once, in the order found. A problem on an element without source (a
     * super-interface from a jar) is printed on {@code subject}, the interface being processed,
     * naming the element, so that the user sees where it comes from.
     */
    public void reportTo(Messager messager, TypeElement subject, Predicate<Element> hasSource) {
        for (Problem problem : problems) {
            if (hasSource.test(problem.element())) {
                messager.printMessage(Diagnostic.Kind.ERROR, problem.text(), problem.element(), problem.annotation(), problem.value());
            } else {
                messager.printMessage(Diagnostic.Kind.ERROR, "in " + describe(problem.element()) + " (inherited by "
                        + subject.getSimpleName() + "): " + problem.text(), subject);
            }
        }
    }

    private static String describe(Element element) {
        if (element instanceof TypeElement type) {
            return type.getQualifiedName().toString();
        }
        return describe(element.getEnclosingElement()) + "." + element.getSimpleName() + "()";
    }
}
