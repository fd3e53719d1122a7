package dev.resilient.processor.validation;

import dev.resilient.processor.reading.InterfaceReader;
import dev.resilient.processor.reading.TypeScan;
import java.util.Collection;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * Whether the generated wrapper, a top-level class in the interface's package, can name the types
 * it must write. The interface itself may name a private type of its enclosing class, or a
 * package-private one of its super-interface's package; the wrapper cannot, and javac would
 * report that inside the generated file.
 */
final class Accessibility {
    private final Elements elements;

    Accessibility(Elements elements) {
        this.elements = elements;
    }

    /**
     * Reports each type named by {@code used} (however deeply) that the wrapper of {@code iface}
     * cannot name, on {@code element} (at {@code annotation}'s {@code value} where not null);
     * whether there was none.
     *
     * @param subject what uses them, as the message shows it: {@code "get()"}, {@code "retryOn"}
     */
    boolean check(TypeElement iface, Collection<? extends TypeMirror> used, String subject, Element element,
            AnnotationMirror annotation, AnnotationValue value, Diagnostics diagnostics) {
        PackageElement from = elements.getPackageOf(iface);
        boolean accessible = true;
        for (DeclaredType type : TypeScan.declaredTypes(used)) {
            TypeElement named = (TypeElement) type.asElement();
            Optional<TypeElement> hidden = hidden(named, from);
            accessible &= hidden.isEmpty();
            hidden.ifPresent(culprit -> {
                boolean isPrivate = culprit.getModifiers().contains(Modifier.PRIVATE);
                String why = isPrivate ? "private"
                        : culprit.getModifiers().contains(Modifier.PROTECTED) ? "protected in " + elements.getPackageOf(culprit)
                        : "package-private in " + elements.getPackageOf(culprit);
                diagnostics.error(element, annotation, value, Message.INACCESSIBLE_TYPE, subject, named.getQualifiedName(),
                        InterfaceReader.wrapperName(iface), culprit.getQualifiedName(), why,
                        culprit.getQualifiedName(), isPrivate ? "package-private or public" : "public");
            });
        }
        return accessible;
    }

    /** The outermost type of {@code type}'s nesting that a top-level class of {@code from} cannot name. */
    private Optional<TypeElement> hidden(TypeElement type, PackageElement from) {
        TypeElement culprit = null;
        for (Element e = type; e instanceof TypeElement found; e = e.getEnclosingElement()) {
            TypeElement nesting = resolved(found);
            boolean accessible = nesting.getModifiers().contains(Modifier.PUBLIC)
                    || !nesting.getModifiers().contains(Modifier.PRIVATE) && elements.getPackageOf(nesting).equals(from);
            if (!accessible) {
                culprit = nesting;
            }
        }
        return Optional.ofNullable(culprit);
    }

    /**
     * {@code type} as its name resolves. Ecj hands out a class named by a class file's annotation
     * default ({@code retryOn() default Exception.class}) before it has read that class, with no
     * modifiers at all, so {@code java.lang.Exception} would look package-private; looked up by
     * name, in its own module, it has them. Javac's are complete, and the lookup finds the same element.
     */
    private TypeElement resolved(TypeElement type) {
        if (type.getModifiers().contains(Modifier.PUBLIC)) {
            return type;
        }
        ModuleElement module = elements.getModuleOf(type);
        TypeElement named = module != null ? elements.getTypeElement(module, type.getQualifiedName())
                : elements.getTypeElement(type.getQualifiedName());
        return named != null ? named : type;
    }
}
