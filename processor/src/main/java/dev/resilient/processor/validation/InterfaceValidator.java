package dev.resilient.processor.validation;

import dev.resilient.processor.reading.AnnotationValues;
import dev.resilient.processor.reading.Annotations;
import dev.resilient.processor.reading.InterfaceDeclaration;
import dev.resilient.processor.reading.InterfaceReader;
import dev.resilient.processor.reading.MethodDeclaration;
import dev.resilient.processor.reading.TypeScan;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks the interface's shape: that a generated class can implement it (not private, a sealed
 * one permits it), that its methods' annotations are where a wrapper calls them and agree across
 * a diamond, that the wrapper can name every type of its signatures, and that none of its
 * methods takes the signature of the wrapper's own {@code failover(...)}.
 */
final class InterfaceValidator {
    private final Elements elements;
    private final Types types;
    private final Accessibility accessibility;
    private final InterfaceReader reader;

    InterfaceValidator(Elements elements, Types types, Accessibility accessibility, InterfaceReader reader) {
        this.elements = elements;
        this.types = types;
        this.accessibility = accessibility;
        this.reader = reader;
    }

    /** Whether a wrapper can implement {@code iface} at all; when not, the reason is reported. */
    boolean implementable(TypeElement iface, Diagnostics diagnostics) {
        for (Element e = iface; e instanceof TypeElement; e = e.getEnclosingElement()) {
            if (e.getModifiers().contains(Modifier.PRIVATE)) {
                diagnostics.error(iface, Message.PRIVATE_INTERFACE,
                        e.equals(iface) ? iface.getSimpleName() : iface.getSimpleName() + " (inside private " + e.getSimpleName() + ")");
                return false;
            }
        }
        if (iface.getModifiers().contains(Modifier.SEALED)) {
            String wrapper = InterfaceReader.wrapperName(iface);
            boolean permitted = iface.getPermittedSubclasses().stream()
                    .anyMatch(type -> types.asElement(type).getSimpleName().contentEquals(wrapper));
            if (!permitted) {
                diagnostics.error(iface, Message.SEALED_INTERFACE, iface.getSimpleName(), wrapper, wrapper);
                return false;
            }
        }
        return true;
    }

    /** Whether javac rejects the interface itself for a return type that cannot override another; reported when so. */
    boolean returnClash(InterfaceDeclaration declaration, Diagnostics diagnostics) {
        declaration.returnClash().ifPresent(clash -> diagnostics.error(declaration.iface(), Message.RETURN_CLASH,
                clash.method().getSimpleName(), clash.returned(), clash.otherReturned(),
                clash.other().getEnclosingElement().getSimpleName(), clash.other().getSimpleName(),
                declaration.iface().getSimpleName()));
        return declaration.returnClash().isPresent();
    }

    /**
     * Whether a value of an annotation governing a method did not resolve: a constant that another
     * processor may still generate, as a type in a signature may be. The annotations are then not
     * read at all (their values are javac's placeholders), and the interface is deferred.
     */
    boolean unresolvedValues(InterfaceDeclaration declaration, Diagnostics diagnostics) {
        boolean unresolved = declaration.methods().stream().flatMap(method -> method.annotations().values().stream())
                .anyMatch(found -> new AnnotationValues(found.mirror(), elements).erroneous());
        if (unresolved) {
            diagnostics.unresolvedType();
        }
        return unresolved;
    }

    /** Everything else about the interface and its methods but their annotations' values. */
    void validate(InterfaceDeclaration declaration, Diagnostics diagnostics) {
        TypeElement iface = declaration.iface();
        for (MethodDeclaration method : declaration.methods()) {
            List<TypeMirror> signature = InterfaceReader.signatureTypes(method.type());
            if (TypeScan.anyUnresolved(signature)) {
                diagnostics.unresolvedType(); // another processor may still generate it
            }
            agree(iface, method.group(), diagnostics);
            accessibility.check(iface, signature, method.element().toString(), method.element(), null, null, diagnostics);
        }
        // A method that a policy names (a fallback, retryOnResult, waitFrom, failOnResult) is checked
        // against the signatures: javac's error type passes any such check, so wait until it resolves.
        for (ExecutableElement candidate : declaration.candidates()) {
            if (TypeScan.anyUnresolved(InterfaceReader.signatureTypes((ExecutableType) types.asMemberOf(declaration.site(), candidate)))) {
                diagnostics.unresolvedType();
            }
        }
        List<TypeMirror> bounds = new ArrayList<>();
        iface.getTypeParameters().forEach(parameter -> bounds.addAll(parameter.getBounds()));
        // The wrapper repeats the bounds and implements the interface: one that does not resolve would break it.
        List<TypeMirror> supertypes = new ArrayList<>();
        declaration.hierarchy().forEach(type -> supertypes.addAll(type.getInterfaces()));
        if (TypeScan.anyUnresolved(bounds) || TypeScan.anyUnresolved(supertypes)) {
            diagnostics.unresolvedType();
        }
        accessibility.check(iface, bounds, "the type parameters of " + iface.getSimpleName(), iface, null, null, diagnostics);
        unwrappable(iface, diagnostics);
        if (!iface.getModifiers().contains(Modifier.SEALED)) {
            failoverClash(declaration, diagnostics);
        }
    }

    /**
     * Unrelated super-interfaces that annotate one method with an annotation of one kind must
     * agree on it; one that does not annotate it leaves it to the others.
     */
    private void agree(TypeElement iface, List<ExecutableElement> group, Diagnostics diagnostics) {
        for (String kind : Annotations.ALL) {
            InterfaceReader.own(group, kind).ifPresent(first -> {
                for (ExecutableElement other : group) {
                    boolean differs = Annotations.find(other, kind).filter(mirror -> !mirror.toString().equals(first.mirror().toString()))
                            .isPresent();
                    if (differs) {
                        diagnostics.error(iface, Message.INHERITED_CONFLICT, other.getSimpleName(),
                                first.on().getEnclosingElement().getSimpleName(), other.getEnclosingElement().getSimpleName(),
                                kind, iface.getSimpleName());
                    }
                }
            });
        }
    }

    /** Static and private methods are never called through the wrapper, so policies on them are mistakes. */
    private void unwrappable(TypeElement iface, Diagnostics diagnostics) {
        for (ExecutableElement method : ElementFilter.methodsIn(iface.getEnclosedElements())) {
            Set<Modifier> modifiers = method.getModifiers();
            String what = modifiers.contains(Modifier.STATIC) ? "static" : modifiers.contains(Modifier.PRIVATE) ? "private" : null;
            if (what != null) {
                for (AnnotationMirror mirror : method.getAnnotationMirrors()) {
                    Annotations.kind(mirror).ifPresent(kind ->
                            diagnostics.error(method, mirror, null, Message.METHOD_NOT_WRAPPABLE, kind, what, method.getSimpleName()));
                }
            }
        }
    }

    /** A method of the signature of the generated static {@code failover(ResilienceContext, Foo, Foo...)} cannot coexist with it. */
    private void failoverClash(InterfaceDeclaration declaration, Diagnostics diagnostics) {
        TypeElement iface = declaration.iface();
        TypeMirror self = types.erasure(iface.asType());
        for (ExecutableElement method : declaration.candidates()) {
            List<? extends TypeMirror> parameters = ((ExecutableType) types.asMemberOf(declaration.site(), method)).getParameterTypes()
                    .stream().map(types::erasure).toList();
            boolean clash = method.getSimpleName().contentEquals("failover") && parameters.size() == 3
                    && parameters.get(0).toString().equals("dev.resilient.runtime.ResilienceContext")
                    && types.isSameType(parameters.get(1), self)
                    && types.isSameType(parameters.get(2), types.getArrayType(self));
            if (clash) {
                diagnostics.error(iface, Message.MEMBER_CLASH, parameters.stream().map(reader::simpleErasedName)
                        .collect(Collectors.joining(", ", "failover(", ")")), declaration.wrapperName());
            }
        }
    }
}
