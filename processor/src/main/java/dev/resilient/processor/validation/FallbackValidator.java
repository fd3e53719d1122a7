package dev.resilient.processor.validation;

import dev.resilient.processor.model.FallbackModel;
import dev.resilient.processor.reading.MethodDeclaration.Found;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks a {@code @Fallback}: that its target exists (suggesting the near names when it does not)
 * and can stand in for the method, and that no chain of fallbacks comes back to where it started.
 */
final class FallbackValidator {
    private final Elements elements;
    private final Types types;
    private final Accessibility accessibility;
    private final Check.Factory checks;

    FallbackValidator(Elements elements, Types types, Accessibility accessibility, Check.Factory checks) {
        this.elements = elements;
        this.types = types;
        this.accessibility = accessibility;
        this.checks = checks;
    }

    /**
     * Reads a {@code @Fallback} of {@code method} and finds its target among {@code candidates},
     * the interface's methods, checking the target's signature against the method's.
     *
     * @param found the annotation, on the declaration of {@code method} that carries it (in a diamond, maybe not {@code method})
     * @param signature {@code method} as a member of {@code iface}, as its candidates are compared
     */
    Optional<FallbackModel> validate(Found found, ExecutableElement method, ExecutableType signature, TypeElement iface,
            List<ExecutableElement> candidates, Diagnostics diagnostics) {
        DeclaredType site = (DeclaredType) iface.asType();
        Element annotated = found.on();
        Check check = checks.of(iface, found, diagnostics);
        String name = check.values.string("value");
        List<TypeMirror> applyOn = check.classes("applyOn");
        List<TypeMirror> skipOn = check.classes("skipOn");
        String expected = expectedSignature(method, signature, name, applyOn);
        List<ExecutableElement> named = candidates.stream().filter(candidate -> candidate.getSimpleName().contentEquals(name)).toList();
        if (named.isEmpty()) {
            List<String> near = NamedMethods.nearNames(name, candidates.stream().filter(candidate -> !candidate.equals(method))
                    .map(candidate -> candidate.getSimpleName().toString()).distinct().toList());
            if (near.isEmpty()) {
                check.that(false, "value", Message.FALLBACK_MISSING, iface.getSimpleName(), name, expected);
            } else {
                check.that(false, "value", Message.FALLBACK_MISSPELT, iface.getSimpleName(), name, String.join(" or ", near));
            }
            return Optional.empty();
        }
        String firstProblem = null;
        for (ExecutableElement target : named) {
            ExecutableType targetType = (ExecutableType) types.asMemberOf(site, target);
            String problem = mismatch(method, signature, target, targetType, applyOn);
            if (problem == null) {
                List<? extends TypeMirror> parameters = targetType.getParameterTypes();
                Optional<TypeMirror> failureType = parameters.size() > signature.getParameterTypes().size()
                        ? Optional.of(parameters.get(parameters.size() - 1))
                        : Optional.empty();
                // The wrapper casts the failure to it.
                failureType.ifPresent(type -> accessibility.check(iface, List.of(type), target.toString(), annotated, found.mirror(),
                        check.values.value("value"), diagnostics));
                return check.failed() ? Optional.empty() : Optional.of(new FallbackModel(target, failureType,
                        check.asWritten("applyOn", applyOn), check.asWritten("skipOn", skipOn)));
            }
            firstProblem = firstProblem == null ? problem : firstProblem;
        }
        check.that(false, "value", Message.FALLBACK_SIGNATURE, name + "()", method.getSimpleName() + "()", firstProblem, expected);
        return Optional.empty();
    }

    /** Why {@code target} cannot be {@code method}'s fallback, or {@code null} when it can. */
    private String mismatch(ExecutableElement method, ExecutableType signature, ExecutableElement target, ExecutableType targetType,
            List<TypeMirror> applyOn) {
        if (target.equals(method)) {
            return "a method cannot fall back to itself";
        }
        if (target.getModifiers().contains(Modifier.STATIC) || target.getModifiers().contains(Modifier.PRIVATE)) {
            return "it is " + (target.getModifiers().contains(Modifier.STATIC) ? "static" : "private")
                    + ", so the wrapper cannot call it on itself";
        }
        if (target.getTypeParameters().size() != method.getTypeParameters().size()) {
            return "it has " + target.getTypeParameters().size() + " type parameters, " + method.getSimpleName() + "() has "
                    + method.getTypeParameters().size();
        }
        List<? extends TypeMirror> expected = signature.getParameterTypes();
        List<? extends TypeMirror> actual = targetType.getParameterTypes();
        boolean sameParameters = actual.size() >= expected.size() && actual.size() <= expected.size() + 1;
        for (int i = 0; sameParameters && i < expected.size(); i++) {
            sameParameters = types.isSameType(types.erasure(expected.get(i)), types.erasure(actual.get(i)));
        }
        if (!sameParameters) {
            return "its parameters (" + join(actual) + ") are not (" + join(expected) + "), optionally followed by the failure";
        }
        if (actual.size() > expected.size()) {
            TypeMirror failure = actual.get(actual.size() - 1);
            for (TypeMirror handled : applyOn) {
                if (!types.isAssignable(handled, failure)) {
                    return "its failure parameter " + failure + " cannot receive " + handled + ", which applyOn lists";
                }
            }
            // The wrapper casts the Throwable it has to the parameter, which each applyOn class proves possible;
            // an empty applyOn proves nothing, and a cast to, say, an Integer would fail javac in the wrapper.
            TypeMirror throwable = elements.getTypeElement("java.lang.Throwable").asType();
            if (applyOn.isEmpty() && (failure.getKind() != TypeKind.DECLARED
                    || !types.isAssignable(failure, throwable) && !types.isAssignable(throwable, failure))) {
                return "its failure parameter " + failure + " cannot receive a failure (a " + throwable + ")";
            }
        }
        boolean generic = !method.getTypeParameters().isEmpty();
        TypeMirror returned = generic ? types.erasure(targetType.getReturnType()) : targetType.getReturnType();
        TypeMirror wanted = generic ? types.erasure(signature.getReturnType()) : signature.getReturnType();
        boolean bothVoid = returned.getKind() == TypeKind.VOID && wanted.getKind() == TypeKind.VOID;
        if (!bothVoid && (returned.getKind() == TypeKind.VOID || wanted.getKind() == TypeKind.VOID || !types.isAssignable(returned, wanted))) {
            return "it returns " + targetType.getReturnType() + ", which is not assignable to " + signature.getReturnType();
        }
        for (TypeMirror thrown : targetType.getThrownTypes()) {
            if (NamedMethods.isChecked(elements, types, thrown) && signature.getThrownTypes().stream().noneMatch(declared -> types.isSubtype(thrown, declared))) {
                return "it throws " + thrown + ", which " + method.getSimpleName() + "() does not declare";
            }
        }
        return null;
    }

    private static String join(List<? extends TypeMirror> types) {
        return types.stream().map(TypeMirror::toString).collect(Collectors.joining(", "));
    }

    /** {@code Forecast cached(String city[, IOException failure])}, as the error messages show it. */
    private String expectedSignature(ExecutableElement method, ExecutableType signature, String name, List<TypeMirror> applyOn) {
        StringBuilder text = new StringBuilder();
        if (!method.getTypeParameters().isEmpty()) {
            text.append(method.getTypeParameters().stream().map(Object::toString).collect(Collectors.joining(", ", "<", "> ")));
        }
        text.append(signature.getReturnType()).append(' ').append(name).append('(');
        List<? extends TypeMirror> parameters = signature.getParameterTypes();
        for (int i = 0; i < parameters.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(parameters.get(i)).append(' ').append(method.getParameters().get(i).getSimpleName());
        }
        String failure = applyOn.size() == 1 ? applyOn.get(0).toString() : "Throwable";
        return text.append(parameters.isEmpty() ? "[" : "[, ").append(failure).append(" failure])").toString();
    }

    /**
     * A fallback chain that comes back to where it started would recurse when every method in it
     * fails.
     *
     * @param fallbacks each method's fallback target, and where its {@code @Fallback} is written
     */
    void checkCycles(Map<ExecutableElement, ExecutableElement> fallbackOf, Map<ExecutableElement, Found> annotations,
            Diagnostics diagnostics) {
        for (ExecutableElement start : fallbackOf.keySet()) {
            List<String> chain = new ArrayList<>(List.of(start.getSimpleName() + "()"));
            for (ExecutableElement next = fallbackOf.get(start); next != null && chain.size() <= fallbackOf.size(); next = fallbackOf.get(next)) {
                chain.add(next.getSimpleName() + "()");
                if (next.equals(start)) {
                    Found found = annotations.get(start);
                    diagnostics.error(found.on(), found.mirror(), null, Message.FALLBACK_CYCLE, start.getSimpleName(), String.join(" -> ", chain));
                    break;
                }
            }
        }
    }
}
