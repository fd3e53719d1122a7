package dev.resilient.runtime.internal;

import dev.resilient.runtime.internal.Attribute.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of one policy as written — by an annotation, by generated code, by configuration
 * overrides — and the rules between them. What is not written has its {@link Attribute}'s default.
 * The processor checks an annotation with it, and a spec builder checks the settings it was given
 * merged with the overrides, so both report one problem with one id and one text.
 */
public final class Settings {
    private final String annotation;
    private final Map<Attribute, Object> written = new EnumMap<>(Attribute.class);

    private Settings(String annotation) {
        this.annotation = annotation;
    }

    /** No attribute written yet, for the annotation of that simple name ({@code "Breaker"}). */
    public static Settings of(String annotation) {
        return new Settings(annotation);
    }

    Settings copy() {
        Settings copy = new Settings(annotation);
        copy.written.putAll(written);
        return copy;
    }

    /** Writes {@code value}; {@code null} takes the write back, leaving the default. */
    public Settings put(Attribute attribute, Object value) {
        if (!attribute.annotation().equals(annotation)) {
            throw new IllegalArgumentException(attribute + " is not an attribute of @" + annotation);
        }
        if (value == null) {
            written.remove(attribute);
        } else {
            written.put(attribute, value);
        }
        return this;
    }

    /**
     * Writes {@code value} after checking it on its own; {@code null} takes the write back.
     *
     * @throws IllegalArgumentException with the problem's text
     */
    Settings checked(Attribute attribute, Object value) {
        if (value != null) {
            attribute.check(value).ifPresent(problem -> {
                throw new IllegalArgumentException(problem.text());
            });
        }
        return put(attribute, value);
    }

    public boolean isWritten(Attribute attribute) {
        return written.containsKey(attribute);
    }

    /** The value written, or the default. */
    public Object get(Attribute attribute) {
        return written.getOrDefault(attribute, attribute.defaultValue());
    }

    int intValue(Attribute attribute) {
        return (int) get(attribute);
    }

    double doubleValue(Attribute attribute) {
        return (double) get(attribute);
    }

    /** A duration's nanoseconds, or {@code unset} when it has no value. */
    long nanos(Attribute attribute, long unset) {
        Duration duration = (Duration) get(attribute);
        return duration == null ? unset : duration.toNanos();
    }

    /** Every problem: each written value on its own, then the rules between attributes. */
    public List<Problem> problems() {
        List<Problem> problems = new ArrayList<>();
        written.forEach((attribute, value) -> attribute.check(value).ifPresent(problems::add));
        if (problems.isEmpty()) {
            problems.addAll(rules());
        }
        return problems;
    }

    /** The rules between attributes, for settings whose values are each fine. */
    public List<Problem> rules() {
        List<Problem> problems = new ArrayList<>();
        switch (annotation) {
            case "Retryable" -> {
                Duration delay = (Duration) get(Attribute.DELAY);
                Duration maxDelay = (Duration) get(Attribute.MAX_DELAY);
                if (maxDelay != null && maxDelay.compareTo(delay) < 0) {
                    problems.add(Attribute.MAX_DELAY.problem("RetryableMaxDelay",
                            "maxDelay (" + DurationFormat.text(maxDelay) + ") must be at least delay (" + DurationFormat.text(delay) + ")",
                            "raise maxDelay, lower delay, or remove maxDelay for no cap"));
                }
                Duration maxDuration = (Duration) get(Attribute.MAX_DURATION);
                if (maxDuration != null && intValue(Attribute.MAX_ATTEMPTS) > 1 && maxDuration.compareTo(delay) < 0) {
                    problems.add(Attribute.MAX_DURATION.problem("RetryableHopelessBudget",
                            "maxDuration (" + DurationFormat.text(maxDuration) + ") is shorter than the first wait (delay = "
                                    + DurationFormat.text(delay) + "), so no retry could ever start",
                            "raise maxDuration above delay, lower delay, or set maxAttempts = 1"));
                }
            }
            case "Breaker" -> problems.addAll(breakerRules());
            case "RateLimit" -> {
                Duration per = (Duration) get(Attribute.PER);
                int permits = intValue(Attribute.PERMITS);
                if (per.toNanos() < permits) {
                    problems.add(Attribute.PER.problem("RateLimitInterval",
                            "per (" + DurationFormat.text(per) + ") must be at least 1ns for each of the " + permits
                                    + " permits, so that tokens come back at a measurable pace",
                            "lower permits or raise per"));
                }
            }
            default -> {}
        }
        return problems;
    }

    private List<Problem> breakerRules() {
        List<Problem> problems = new ArrayList<>();
        int window = intValue(Attribute.WINDOW);
        Duration windowDuration = (Duration) get(Attribute.WINDOW_DURATION);
        String modes = "failureThreshold belongs to consecutive mode; failureRate, minimumCalls and slowCall to the rate modes"
                + " (window > 0 or windowDuration)";
        if (window > 0 && windowDuration != null) {
            problems.add(Attribute.WINDOW_DURATION.problem("BreakerTwoWindows", "windowDuration (" + DurationFormat.text(windowDuration)
                    + ") cannot be set together with window = " + window + ": the window is either a span of time or a number of calls",
                    "keep windowDuration to count the calls of the last while, or window to count the last calls"));
        }
        String rateMode = window > 0 ? "window = " + window : windowDuration != null ? "windowDuration = " + DurationFormat.text(windowDuration) : "";
        if (!rateMode.isEmpty() && isWritten(Attribute.FAILURE_THRESHOLD)) {
            problems.add(Attribute.FAILURE_THRESHOLD.problem("BreakerMixedModes",
                    "failureThreshold counts consecutive failures and cannot be set together with " + rateMode, modes));
        }
        for (Attribute rate : List.of(Attribute.FAILURE_RATE, Attribute.MINIMUM_CALLS, Attribute.SLOW_CALL)) {
            if (rateMode.isEmpty() && isWritten(rate)) {
                problems.add(rate.problem("BreakerMixedModes", rate.attributeName()
                        + " needs window > 0 or windowDuration: without a window the breaker counts consecutive failures", modes));
            }
        }
        if (!rateMode.isEmpty() && isWritten(Attribute.MINIMUM_CALLS)) {
            int minimumCalls = intValue(Attribute.MINIMUM_CALLS);
            if (window > 0 && (minimumCalls < 1 || minimumCalls > window)) {
                problems.add(Attribute.MINIMUM_CALLS.problem("BreakerMinimumCalls",
                        "minimumCalls must be in 1..window (" + window + "), was " + minimumCalls, "lower minimumCalls or widen the window"));
            } else if (window == 0 && minimumCalls < 1) {
                problems.add(Attribute.MINIMUM_CALLS.problem("BreakerMinimumCalls", "minimumCalls must be at least 1, was " + minimumCalls,
                        "it is the number of calls in the window before the breaker decides"));
            }
        }
        if (isWritten(Attribute.SLOW_CALL_RATE) && !isWritten(Attribute.SLOW_CALL)) {
            problems.add(Attribute.SLOW_CALL_RATE.problem("BreakerSlowCallMissing", "slowCallRate needs slowCall: without it no call is slow",
                    "set slowCall, the time from which an attempt is slow, or remove slowCallRate"));
        }
        Duration openFor = (Duration) get(Attribute.OPEN_FOR);
        Duration maxOpenFor = (Duration) get(Attribute.MAX_OPEN_FOR);
        if (maxOpenFor != null && maxOpenFor.compareTo(openFor) < 0) {
            problems.add(Attribute.MAX_OPEN_FOR.problem("BreakerMaxOpenFor",
                    "maxOpenFor (" + DurationFormat.text(maxOpenFor) + ") must be at least openFor (" + DurationFormat.text(openFor) + ")",
                    "raise maxOpenFor, lower openFor, or remove maxOpenFor for no cap"));
        }
        return problems;
    }

    /**
     * The rules between the policies of one method, on their settings as merged: a timeout that
     * leaves no retry room within {@code maxDuration}, and a {@code slowCall} that no attempt can
     * reach before its timeout.
     *
     * @param retry the settings of its {@code @Retryable}, when it retries; {@code breaker} of its
     *     {@code @Breaker}; {@code timeout} its {@code @Timeout}: each {@code null} when it has none
     */
    public static List<Problem> between(Settings retry, Settings breaker, Duration timeout) {
        List<Problem> problems = new ArrayList<>();
        if (timeout == null) {
            return problems;
        }
        Duration maxDuration = retry == null || retry.intValue(Attribute.MAX_ATTEMPTS) == 1 ? null
                : (Duration) retry.get(Attribute.MAX_DURATION);
        if (maxDuration != null && timeout.compareTo(maxDuration) >= 0) {
            problems.add(Attribute.TIMEOUT.problem("TimeoutBeyondBudget", "a timeout of " + DurationFormat.text(timeout)
                    + " per attempt is at least the retry's maxDuration (" + DurationFormat.text(maxDuration)
                    + "), so no retry could follow a timed-out attempt", "make the timeout shorter than maxDuration, or maxDuration longer"));
        }
        Duration slowCall = breaker == null ? null : (Duration) breaker.get(Attribute.SLOW_CALL);
        if (slowCall != null && slowCall.compareTo(timeout) >= 0) {
            problems.add(Attribute.SLOW_CALL.problem("BreakerSlowCallBeyondTimeout", "slowCall (" + DurationFormat.text(slowCall)
                    + ") is at least the method's @Timeout (" + DurationFormat.text(timeout)
                    + "), so every attempt that slow is timed out first", "make slowCall shorter than the timeout, or remove it"));
        }
        return problems;
    }

    /**
     * The rule of a {@code @RateLimit} on an asynchronous method, which blocks no thread: its
     * {@code maxWait} is 0, as written or as overrides leave it.
     */
    public static List<Problem> asynchronousRateLimit(Duration maxWait) {
        return maxWait.isZero() ? List.of() : List.of(Attribute.RATE_LIMIT_MAX_WAIT.problem("RateLimitAsyncWait",
                "maxWait must be \"0\" on an asynchronous method, was \"" + DurationFormat.text(maxWait) + "\"",
                "an asynchronous call never blocks a thread waiting for a token; remove maxWait"));
    }

    /** Throws the problems, if any, after {@code what}: {@code "breaker 'b'"}. */
    void requireNoProblems(String what) {
        requireNone(problems(), what);
    }

    /** Throws {@code problems}, if any, after {@code what}. */
    static void requireNone(List<Problem> problems, String what) {
        if (!problems.isEmpty()) {
            StringBuilder text = new StringBuilder(what);
            problems.forEach(problem -> text.append(problems.size() == 1 ? ": " : "; ").append(problem.text()));
            throw new IllegalArgumentException(text.toString());
        }
    }

    /** The problem with {@code text} as the value of {@code attribute}, once parsed and checked, if any. */
    static Optional<Problem> problemWith(Attribute attribute, String text) {
        Optional<Object> value = attribute.parse(text);
        return value.isEmpty() ? Optional.of(attribute.unreadable(text)) : attribute.check(value.get());
    }

    @Override
    public String toString() {
        return "@" + annotation + written;
    }
}
