package dev.resilient.processor.reading;

import dev.resilient.processor.model.BreakerModel;
import dev.resilient.processor.model.BulkheadModel;
import dev.resilient.processor.model.FallbackModel;
import dev.resilient.processor.model.RetryModel;
import dev.resilient.runtime.internal.DurationFormat;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import javax.lang.model.element.AnnotationMirror;
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
 * Reads one {@code @Retryable} or {@code @Breaker} into its model, checking every attribute. Each
 * problem is reported on the attribute's value; the model is returned only when there was none.
 */
final class PolicyReader {
    private final Elements elements;
    private final Types types;
    private final Accessibility accessibility;

    PolicyReader(Elements elements, Types types, Accessibility accessibility) {
        this.elements = elements;
        this.types = types;
        this.accessibility = accessibility;
    }

    Optional<RetryModel> retry(TypeElement iface, Element annotated, AnnotationMirror mirror, Diagnostics diagnostics) {
        Checker check = new Checker(iface, annotated, new AnnotationValues(mirror, elements), diagnostics);
        int maxAttempts = check.values.intValue("maxAttempts");
        check.that(maxAttempts >= 1, "maxAttempts", Message.RETRYABLE_MAX_ATTEMPTS, maxAttempts);
        Optional<Duration> delay = check.duration("delay");
        double multiplier = check.values.doubleValue("multiplier");
        check.that(multiplier >= 1.0 && !Double.isInfinite(multiplier), "multiplier", Message.RETRYABLE_MULTIPLIER, multiplier);
        Optional<Duration> maxDelay = check.optionalDuration("maxDelay");
        if (delay.isPresent() && maxDelay.isPresent()) {
            check.that(maxDelay.get().compareTo(delay.get()) >= 0, "maxDelay", Message.RETRYABLE_MAX_DELAY,
                    check.values.string("maxDelay"), check.values.string("delay"));
        }
        Optional<Duration> maxDuration = check.optionalDuration("maxDuration");
        List<TypeMirror> retryOn = check.classes("retryOn");
        List<TypeMirror> abortOn = check.classes("abortOn");
        check.disjoint(retryOn, abortOn, "retryOn", Message.RETRYABLE_CONTRADICTION);
        if (check.failed || delay.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RetryModel(maxAttempts, delay.get(), multiplier, maxDelay,
                check.values.enumConstant("jitter"), maxDuration, retryOn, abortOn));
    }

    /** @param defaultName the breaker's name when the annotation leaves {@code name} empty */
    Optional<BreakerModel> breaker(TypeElement iface, Element annotated, AnnotationMirror mirror, String defaultName,
            Diagnostics diagnostics) {
        Checker check = new Checker(iface, annotated, new AnnotationValues(mirror, elements), diagnostics);
        String name = check.values.string("name");
        check.that(name.isEmpty() || !name.isBlank(), "name", Message.BREAKER_NAME, name);
        int window = check.values.intValue("window");
        check.that(window >= 0, "window", Message.BREAKER_WINDOW, window);
        boolean rateMode = window > 0;
        int failureThreshold = check.values.intValue("failureThreshold");
        check.that(failureThreshold >= 1, "failureThreshold", Message.BREAKER_FAILURE_THRESHOLD, failureThreshold);
        check.that(!rateMode || !check.values.isSet("failureThreshold"), "failureThreshold", Message.BREAKER_MIXED_MODES,
                "failureThreshold counts consecutive failures and cannot be set together with window = " + window);
        double failureRate = check.values.doubleValue("failureRate");
        check.that(failureRate > 0 && failureRate <= 1, "failureRate", Message.BREAKER_FAILURE_RATE, failureRate);
        check.that(rateMode || !check.values.isSet("failureRate"), "failureRate", Message.BREAKER_MIXED_MODES,
                "failureRate needs window > 0: without a window the breaker counts consecutive failures");
        OptionalInt minimumCalls = OptionalInt.empty();
        if (check.values.isSet("minimumCalls")) {
            int value = check.values.intValue("minimumCalls");
            check.that(rateMode, "minimumCalls", Message.BREAKER_MIXED_MODES,
                    "minimumCalls needs window > 0: without a window the breaker counts consecutive failures");
            check.that(!rateMode || (value >= 1 && value <= window), "minimumCalls", Message.BREAKER_MINIMUM_CALLS, window, value);
            minimumCalls = OptionalInt.of(value);
        }
        Optional<Duration> openFor = check.duration("openFor");
        int halfOpenCalls = check.values.intValue("halfOpenCalls");
        check.that(halfOpenCalls >= 1, "halfOpenCalls", Message.BREAKER_HALF_OPEN_CALLS, halfOpenCalls);
        List<TypeMirror> failOn = check.classes("failOn");
        List<TypeMirror> skipOn = check.classes("skipOn");
        check.disjoint(failOn, skipOn, "failOn", Message.BREAKER_CONTRADICTION);
        if (check.failed || openFor.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BreakerModel(name.isEmpty() ? defaultName : name, failureThreshold, window, failureRate,
                minimumCalls, openFor.get(), halfOpenCalls, failOn, skipOn));
    }

    Optional<Duration> timeout(TypeElement iface, Element annotated, AnnotationMirror mirror, Diagnostics diagnostics) {
        Checker check = new Checker(iface, annotated, new AnnotationValues(mirror, elements), diagnostics);
        Optional<Duration> timeout = check.duration("value");
        timeout.ifPresent(value -> check.that(!value.isZero(), "value", Message.TIMEOUT_VALUE, check.values.string("value")));
        return check.failed ? Optional.empty() : timeout;
    }

    Optional<BulkheadModel> bulkhead(TypeElement iface, Element annotated, AnnotationMirror mirror, boolean async,
            Diagnostics diagnostics) {
        Checker check = new Checker(iface, annotated, new AnnotationValues(mirror, elements), diagnostics);
        int maxConcurrent = check.values.intValue("maxConcurrent");
        check.that(maxConcurrent >= 1, "maxConcurrent", Message.BULKHEAD_MAX_CONCURRENT, maxConcurrent);
        Optional<Duration> maxWait = check.duration("maxWait");
        maxWait.ifPresent(wait -> check.that(!async || wait.isZero(), "maxWait", Message.BULKHEAD_ASYNC_WAIT,
                check.values.string("maxWait")));
        return check.failed || maxWait.isEmpty() ? Optional.empty() : Optional.of(new BulkheadModel(maxConcurrent, maxWait.get()));
    }

    /**
     * Reads a {@code @Fallback} of {@code method} and finds its target among {@code candidates},
     * the interface's methods, checking the target's signature against the method's.
     *
     * @param annotated the declaration of {@code method} that carries it (in a diamond, maybe not {@code method})
     * @param signature {@code method} as a member of {@code iface}, as its candidates are compared
     */
    Optional<FallbackModel> fallback(Element annotated, ExecutableElement method, ExecutableType signature, AnnotationMirror mirror,
            TypeElement iface, List<ExecutableElement> candidates, Diagnostics diagnostics) {
        DeclaredType site = (DeclaredType) iface.asType();
        Checker check = new Checker(iface, annotated, new AnnotationValues(mirror, elements), diagnostics);
        String name = check.values.string("value");
        List<TypeMirror> applyOn = check.classes("applyOn");
        List<TypeMirror> skipOn = check.classes("skipOn");
        String expected = expectedSignature(method, signature, name, applyOn);
        List<ExecutableElement> named = candidates.stream().filter(candidate -> candidate.getSimpleName().contentEquals(name)).toList();
        if (named.isEmpty()) {
            List<String> near = nearNames(name, candidates.stream().filter(candidate -> !candidate.equals(method))
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
                failureType.ifPresent(type -> accessibility.check(iface, List.of(type), target.toString(), annotated, mirror,
                        check.values.value("value"), diagnostics));
                return check.failed ? Optional.empty() : Optional.of(new FallbackModel(target, failureType, applyOn, skipOn));
            }
            firstProblem = firstProblem == null ? problem : firstProblem;
        }
        check.that(false, "value", Message.FALLBACK_SIGNATURE, name + "()", method.getSimpleName() + "()", firstProblem, expected);
        return Optional.empty();
    }

    /**
     * The names among {@code names} that {@code name} was probably meant to be, nearest first, at
     * most three: the same but for case, or at most two edits away (one for short names).
     */
    private static List<String> nearNames(String name, List<String> names) {
        int allowed = name.length() <= 4 ? 1 : 2;
        Comparator<String> nearestFirst = Comparator.comparingInt(candidate -> distance(name, candidate));
        return names.stream()
                .filter(candidate -> distance(name, candidate) <= allowed)
                .sorted(nearestFirst.thenComparing(Comparator.naturalOrder()))
                .limit(3)
                .toList();
    }

    /** Levenshtein distance, ignoring case. */
    private static int distance(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        int[] previous = new int[y.length() + 1];
        int[] current = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int substitution = previous[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[y.length()];
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
        }
        boolean generic = !method.getTypeParameters().isEmpty();
        TypeMirror returned = generic ? types.erasure(targetType.getReturnType()) : targetType.getReturnType();
        TypeMirror wanted = generic ? types.erasure(signature.getReturnType()) : signature.getReturnType();
        boolean bothVoid = returned.getKind() == TypeKind.VOID && wanted.getKind() == TypeKind.VOID;
        if (!bothVoid && (returned.getKind() == TypeKind.VOID || wanted.getKind() == TypeKind.VOID || !types.isAssignable(returned, wanted))) {
            return "it returns " + targetType.getReturnType() + ", which is not assignable to " + signature.getReturnType();
        }
        for (TypeMirror thrown : targetType.getThrownTypes()) {
            if (isChecked(thrown) && signature.getThrownTypes().stream().noneMatch(declared -> types.isSubtype(thrown, declared))) {
                return "it throws " + thrown + ", which " + method.getSimpleName() + "() does not declare";
            }
        }
        return null;
    }

    private static String join(List<? extends TypeMirror> types) {
        return types.stream().map(TypeMirror::toString).collect(java.util.stream.Collectors.joining(", "));
    }

    private boolean isChecked(TypeMirror thrown) {
        TypeMirror runtime = elements.getTypeElement(RuntimeException.class.getCanonicalName()).asType();
        TypeMirror error = elements.getTypeElement(Error.class.getCanonicalName()).asType();
        return !types.isSubtype(thrown, runtime) && !types.isSubtype(thrown, error);
    }

    /** {@code Forecast cached(String city[, IOException failure])}, as the error messages show it. */
    private String expectedSignature(ExecutableElement method, ExecutableType signature, String name, List<TypeMirror> applyOn) {
        StringBuilder text = new StringBuilder();
        if (!method.getTypeParameters().isEmpty()) {
            text.append(method.getTypeParameters().stream().map(Object::toString).collect(java.util.stream.Collectors.joining(", ", "<", "> ")));
        }
        text.append(signature.getReturnType()).append(' ').append(name).append('(');
        List<? extends TypeMirror> parameters = signature.getParameterTypes();
        for (int i = 0; i < parameters.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(parameters.get(i)).append(' ').append(method.getParameters().get(i).getSimpleName());
        }
        String failure = applyOn.size() == 1 ? applyOn.get(0).toString() : "Throwable";
        return text.append(parameters.isEmpty() ? "[" : "[, ").append(failure).append(" failure])").toString();
    }

    /** Reports problems on one annotation's values and remembers whether there were any. */
    private final class Checker {
        private final TypeElement iface;
        private final Element annotated;
        private final AnnotationValues values;
        private final Diagnostics diagnostics;
        private boolean failed;

        Checker(TypeElement iface, Element annotated, AnnotationValues values, Diagnostics diagnostics) {
            this.iface = iface;
            this.annotated = annotated;
            this.values = values;
            this.diagnostics = diagnostics;
        }

        void that(boolean condition, String attribute, Message message, Object... args) {
            if (!condition) {
                diagnostics.error(annotated, values.mirror(), values.value(attribute), message, args);
                failed = true;
            }
        }

        /** A {@code Class[]} attribute, each of whose types the wrapper must be able to name. */
        List<TypeMirror> classes(String attribute) {
            List<TypeMirror> classes = values.classes(attribute, diagnostics);
            accessibility.check(iface, classes, attribute, annotated, values.mirror(), values.value(attribute), diagnostics);
            return classes;
        }

        /** A required duration attribute. */
        Optional<Duration> duration(String attribute) {
            String text = values.string(attribute);
            Optional<Duration> duration = DurationFormat.parse(text);
            boolean tooLong = DurationFormat.isTooLong(text);
            that(duration.isPresent() || tooLong, attribute, Message.DURATION_FORMAT, attribute, text);
            that(!tooLong, attribute, Message.DURATION_TOO_LONG, attribute, text);
            that(duration.isEmpty() || !duration.get().isNegative(), attribute, Message.DURATION_NEGATIVE, attribute, text);
            return duration.filter(parsed -> !parsed.isNegative());
        }

        /** A duration attribute where {@code ""} means not set. */
        Optional<Duration> optionalDuration(String attribute) {
            return values.string(attribute).isEmpty() ? Optional.empty() : duration(attribute);
        }

        /** Reports each type of {@code listed} that {@code winning} always overrides. */
        void disjoint(List<TypeMirror> listed, List<TypeMirror> winning, String attribute, Message message) {
            for (TypeMirror type : listed) {
                for (TypeMirror winner : winning) {
                    if (types.isSubtype(types.erasure(type), types.erasure(winner))) {
                        that(false, attribute, message, type);
                    }
                }
            }
        }
    }
}
