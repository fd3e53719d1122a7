package dev.resilient.processor.reading;

import dev.resilient.processor.model.BreakerModel;
import dev.resilient.processor.model.RetryModel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
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

    PolicyReader(Elements elements, Types types) {
        this.elements = elements;
        this.types = types;
    }

    Optional<RetryModel> retry(Element annotated, AnnotationMirror mirror, Diagnostics diagnostics) {
        Checker check = new Checker(annotated, new AnnotationValues(mirror, elements), diagnostics);
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
        List<TypeMirror> retryOn = check.values.classes("retryOn", diagnostics);
        List<TypeMirror> abortOn = check.values.classes("abortOn", diagnostics);
        check.disjoint(retryOn, abortOn, "retryOn", Message.RETRYABLE_CONTRADICTION);
        if (check.failed || delay.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RetryModel(maxAttempts, delay.get(), multiplier, maxDelay,
                check.values.enumConstant("jitter"), maxDuration, retryOn, abortOn));
    }

    /** @param defaultName the breaker's name when the annotation leaves {@code name} empty */
    Optional<BreakerModel> breaker(Element annotated, AnnotationMirror mirror, String defaultName, Diagnostics diagnostics) {
        Checker check = new Checker(annotated, new AnnotationValues(mirror, elements), diagnostics);
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
        List<TypeMirror> failOn = check.values.classes("failOn", diagnostics);
        List<TypeMirror> skipOn = check.values.classes("skipOn", diagnostics);
        check.disjoint(failOn, skipOn, "failOn", Message.BREAKER_CONTRADICTION);
        if (check.failed || openFor.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BreakerModel(name.isEmpty() ? defaultName : name, failureThreshold, window, failureRate,
                minimumCalls, openFor.get(), halfOpenCalls, failOn, skipOn));
    }

    /** Reports problems on one annotation's values and remembers whether there were any. */
    private final class Checker {
        private final Element annotated;
        private final AnnotationValues values;
        private final Diagnostics diagnostics;
        private boolean failed;

        Checker(Element annotated, AnnotationValues values, Diagnostics diagnostics) {
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

        /** A required duration attribute. */
        Optional<Duration> duration(String attribute) {
            String text = values.string(attribute);
            Optional<Duration> duration = DurationParser.parse(text);
            that(duration.isPresent(), attribute, Message.DURATION_FORMAT, attribute, text);
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
