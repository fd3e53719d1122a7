package dev.resilient.processor.validation;

import dev.resilient.processor.model.OutcomesModel;
import dev.resilient.processor.model.OutcomesModel.Judge;
import dev.resilient.processor.reading.MethodDeclaration;
import dev.resilient.processor.reading.MethodDeclaration.Found;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.PrimitiveType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks the methods a method's annotations name to judge its outcomes — {@code retryOnResult}
 * and {@code waitFrom} of its {@code @Retryable}, {@code failOnResult} of its {@code @Breaker} —
 * as a fallback's target is checked: each exists (near names are suggested when not), is the only
 * one of its name that fits, and has the signature expected.
 */
final class OutcomeValidator {
    private final Elements elements;
    private final Types types;
    private final Check.Factory checks;

    OutcomeValidator(Elements elements, Types types, Check.Factory checks) {
        this.elements = elements;
        this.types = types;
        this.checks = checks;
    }

    /**
     * The named methods of {@code method}, or empty when it names none or one is wrong.
     *
     * @param retryable its {@code @Retryable}, when it retries; {@code breaker} its {@code @Breaker}
     */
    Optional<OutcomesModel> validate(TypeElement iface, MethodDeclaration method, Optional<Found> retryable, Optional<Found> breaker,
            List<ExecutableElement> candidates, Diagnostics diagnostics) {
        Site site = new Site(iface, method, valueType(method), candidates);
        Optional<Judge> retryOn = Optional.empty();
        List<Optional<Judge>> waits = List.of(Optional.empty(), Optional.empty());
        if (retryable.isPresent()) {
            Check check = checks.of(iface, retryable.get(), diagnostics);
            retryOn = predicate(check, "@Retryable.retryOnResult", site);
            waits = waits(check, site);
        }
        Optional<Judge> failOn = breaker.flatMap(found -> predicate(checks.of(iface, found, diagnostics), "@Breaker.failOnResult", site));
        OutcomesModel model = new OutcomesModel(retryOn, failOn, waits.get(0), waits.get(1));
        return model.isEmpty() ? Optional.empty() : Optional.of(model);
    }

    /** The method being judged, the type of its values ({@code null} for none), and the methods it may name. */
    private record Site(TypeElement iface, MethodDeclaration method, TypeMirror value, List<ExecutableElement> candidates) {
        String methodName() {
            return method.element().getSimpleName().toString();
        }

        String valueText() {
            return value == null ? "R" : value.toString();
        }
    }

    /** What the method's attempts return: its return type, or its stage's value type; {@code null} for {@code void}. */
    private TypeMirror valueType(MethodDeclaration method) {
        TypeMirror returned = method.type().getReturnType();
        if (returned.getKind() == TypeKind.VOID) {
            return null;
        }
        if (!method.async()) {
            return returned;
        }
        List<? extends TypeMirror> arguments = ((DeclaredType) returned).getTypeArguments();
        TypeMirror value = arguments.isEmpty() ? null : arguments.get(0);
        if (value instanceof WildcardType wildcard) {
            value = wildcard.getExtendsBound();
        }
        return value != null ? value : elements.getTypeElement(Object.class.getCanonicalName()).asType();
    }

    /** {@code retryOnResult} or {@code failOnResult}: {@code boolean name(R result)}. */
    private Optional<Judge> predicate(Check check, String what, Site site) {
        String attribute = what.substring(what.indexOf('.') + 1);
        String name = check.values.isSet(attribute) ? check.values.string(attribute) : "";
        if (name.isEmpty()) {
            return Optional.empty(); // "" names no method, written or not
        }
        String expected = "boolean " + name + "(" + site.valueText() + " result)";
        if (site.value() == null) {
            check.that(false, attribute, Message.OUTCOME_ON_VOID, what, name, site.methodName(), attribute);
            return Optional.empty();
        }
        List<Judge> fits = new ArrayList<>();
        String firstProblem = null;
        for (ExecutableElement target : named(check, attribute, what, name, expected, site)) {
            ExecutableType type = (ExecutableType) types.asMemberOf((DeclaredType) site.iface().asType(), target);
            String problem = callable(target, type, "boolean");
            if (problem == null && type.getReturnType().getKind() != TypeKind.BOOLEAN) {
                problem = "it returns " + type.getReturnType() + ", not boolean";
            }
            if (problem == null && !receives(type.getParameterTypes().get(0), site.value())) {
                problem = "its parameter " + type.getParameterTypes().get(0) + " cannot receive " + site.value();
            }
            if (problem == null) {
                fits.add(new Judge(target, type.getParameterTypes().get(0)));
            } else if (firstProblem == null) {
                firstProblem = problem;
            }
        }
        return one(check, attribute, what, name, fits, firstProblem, expected, site);
    }

    /**
     * {@code waitFrom}: {@code Duration name(R result)}, {@code Duration name(Throwable failure)},
     * or one of each; the form for results first.
     */
    private List<Optional<Judge>> waits(Check check, Site site) {
        String attribute = "waitFrom";
        String what = "@Retryable.waitFrom";
        String name = check.values.isSet(attribute) ? check.values.string(attribute) : "";
        if (name.isEmpty()) {
            return List.of(Optional.empty(), Optional.empty());
        }
        String expected = "java.time.Duration " + name + "(java.lang.Throwable failure)"
                + (site.value() == null ? "" : " or java.time.Duration " + name + "(" + site.valueText() + " result)");
        TypeMirror throwable = elements.getTypeElement(Throwable.class.getCanonicalName()).asType();
        TypeMirror duration = elements.getTypeElement("java.time.Duration").asType();
        List<Judge> afterResult = new ArrayList<>();
        List<Judge> afterFailure = new ArrayList<>();
        String firstProblem = null;
        List<ExecutableElement> named = named(check, attribute, what, name, expected, site);
        for (ExecutableElement target : named) {
            ExecutableType type = (ExecutableType) types.asMemberOf((DeclaredType) site.iface().asType(), target);
            String problem = callable(target, type, "Duration");
            if (problem == null && !types.isSameType(type.getReturnType(), duration)) {
                problem = "it returns " + type.getReturnType() + ", not java.time.Duration";
            }
            if (problem == null) {
                TypeMirror parameter = type.getParameterTypes().get(0);
                if (types.isSameType(parameter, throwable)) {
                    afterFailure.add(new Judge(target, parameter));
                } else if (site.value() != null && receives(parameter, site.value())) {
                    afterResult.add(new Judge(target, parameter));
                } else {
                    problem = "its parameter " + parameter + " is neither Throwable nor a type that receives "
                            + (site.value() == null ? "a value: " + site.methodName() + "() returns none" : site.value());
                }
            }
            if (problem != null && firstProblem == null) {
                firstProblem = problem;
            }
        }
        if (named.isEmpty()) {
            return List.of(Optional.empty(), Optional.empty());
        }
        if (afterResult.isEmpty() && afterFailure.isEmpty()) {
            check.that(false, attribute, Message.OUTCOME_SIGNATURE, name + "()", what, site.methodName(), firstProblem, expected);
            return List.of(Optional.empty(), Optional.empty());
        }
        return List.of(atMostOne(check, attribute, what, name, afterResult), atMostOne(check, attribute, what, name, afterFailure));
    }

    /**
     * Whether a parameter of type {@code parameter} receives every value of type {@code value} as
     * the runtime hands it over, boxed: a reference type the boxed value is assignable to, or the
     * value's own primitive type (no widening: an {@code Integer} is no {@code long}).
     */
    private boolean receives(TypeMirror parameter, TypeMirror value) {
        if (parameter.getKind().isPrimitive()) {
            return types.isSameType(parameter, value);
        }
        TypeMirror boxed = value.getKind().isPrimitive() ? types.boxedClass((PrimitiveType) value).asType() : value;
        return types.isAssignable(boxed, parameter);
    }

    /** The methods of that name; when there is none, says so, suggesting near names. */
    private List<ExecutableElement> named(Check check, String attribute, String what, String name, String expected, Site site) {
        List<ExecutableElement> named = site.candidates().stream()
                .filter(candidate -> candidate.getSimpleName().contentEquals(name)).toList();
        if (named.isEmpty()) {
            List<String> near = NamedMethods.nearNames(name, site.candidates().stream()
                    .map(candidate -> candidate.getSimpleName().toString()).distinct().toList());
            if (near.isEmpty()) {
                check.that(false, attribute, Message.OUTCOME_MISSING, site.iface().getSimpleName(), name, what, expected);
            } else {
                check.that(false, attribute, Message.OUTCOME_MISSPELT, site.iface().getSimpleName(), name, what, String.join(" or ", near));
            }
        }
        return named;
    }

    /** Why the wrapper cannot call {@code target} with one value, or {@code null} when it can. */
    private String callable(ExecutableElement target, ExecutableType type, String returns) {
        if (target.getModifiers().contains(Modifier.STATIC) || target.getModifiers().contains(Modifier.PRIVATE)) {
            return "it is " + (target.getModifiers().contains(Modifier.STATIC) ? "static" : "private")
                    + ", so the wrapper cannot call it on itself";
        }
        if (!target.getTypeParameters().isEmpty()) {
            return "it is generic";
        }
        if (type.getParameterTypes().size() != 1) {
            return "it takes " + type.getParameterTypes().size() + " parameters, not one";
        }
        for (TypeMirror thrown : type.getThrownTypes()) {
            if (NamedMethods.isChecked(elements, types, thrown)) {
                return "it throws " + thrown + ", a checked exception, which a " + returns + " judgement cannot";
            }
        }
        return null;
    }

    private Optional<Judge> one(Check check, String attribute, String what, String name, List<Judge> fits, String firstProblem,
            String expected, Site site) {
        if (fits.isEmpty()) {
            if (firstProblem != null) {
                check.that(false, attribute, Message.OUTCOME_SIGNATURE, name + "()", what, site.methodName(), firstProblem, expected);
            }
            return Optional.empty();
        }
        return atMostOne(check, attribute, what, name, fits);
    }

    /** The one method that fits, whose parameter type the wrapper can name; reports several, or one it cannot name. */
    private static Optional<Judge> atMostOne(Check check, String attribute, String what, String name, List<Judge> fits) {
        if (fits.size() > 1) {
            check.that(false, attribute, Message.OUTCOME_AMBIGUOUS, what, name, fits.size(),
                    String.join(", ", fits.stream().map(fit -> fit.method().toString()).toList()), attribute);
            return Optional.empty();
        }
        return fits.stream().findFirst()
                .filter(fit -> check.accessible(List.of(fit.parameter()), fit.method().toString(), attribute));
    }
}
