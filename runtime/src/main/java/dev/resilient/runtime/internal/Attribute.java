package dev.resilient.runtime.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Every annotation attribute whose value the runtime takes too — from generated code and from
 * configuration overrides — stated once: its annotation, name, kind of value, default, range, and
 * the message that explains a wrong value, with its stable id. The processor checks annotation
 * values with this same enum (shaded into its jar), and {@link Settings} states the rules between
 * attributes, so that a wrong setting reads the same, with the same id, wherever it is written.
 */
public enum Attribute {
    MAX_ATTEMPTS("Retryable", "maxAttempts", Kind.INT, 3, "RetryableMaxAttempts",
            "maxAttempts must be at least 1, was %s", "maxAttempts counts every attempt, the first included; 1 means no retry"),
    DELAY("Retryable", "delay", Kind.DURATION, Duration.ofMillis(100), null, null, null),
    MULTIPLIER("Retryable", "multiplier", Kind.DOUBLE, 2.0, "RetryableMultiplier",
            "multiplier must be a finite number of at least 1.0, was %s", "use 1.0 for a constant wait"),
    MAX_DELAY("Retryable", "maxDelay", Kind.DURATION, null, null, null, null),
    MAX_DURATION("Retryable", "maxDuration", Kind.DURATION, null, null, null, null),

    FAILURE_THRESHOLD("Breaker", "failureThreshold", Kind.INT, 5, "BreakerFailureThreshold",
            "failureThreshold must be at least 1, was %s", "it counts consecutive failures"),
    WINDOW("Breaker", "window", Kind.INT, 0, "BreakerWindow", "window must not be negative, was %s",
            "0 counts consecutive failures; a positive window counts the failure rate of the last calls"),
    FAILURE_RATE("Breaker", "failureRate", Kind.DOUBLE, 0.5, "BreakerFailureRate", "failureRate must be in (0, 1], was %s",
            "0.5 opens the breaker when half the calls in the window failed"),
    /** Its default is the window ({@code null} here); its range, {@code 1..window}, is a rule of {@link Settings}. */
    MINIMUM_CALLS("Breaker", "minimumCalls", Kind.INT, null, null, null, null),
    OPEN_FOR("Breaker", "openFor", Kind.DURATION, Duration.ofSeconds(30), null, null, null),
    HALF_OPEN_CALLS("Breaker", "halfOpenCalls", Kind.INT, 1, "BreakerHalfOpenCalls", "halfOpenCalls must be at least 1, was %s",
            "it is the number of trial calls that must succeed to close the breaker"),
    WINDOW_DURATION("Breaker", "windowDuration", Kind.DURATION, null, "BreakerWindowDuration",
            "windowDuration must be at least 10ms, was \"%s\"", "the window is kept in 10 buckets of at least 1ms each"),
    SLOW_CALL("Breaker", "slowCall", Kind.DURATION, null, "BreakerSlowCall", "slowCall must be longer than 0, was \"%s\"",
            "give the time a healthy attempt stays under, as in \"2s\""),
    SLOW_CALL_RATE("Breaker", "slowCallRate", Kind.DOUBLE, 1.0, "BreakerSlowCallRate", "slowCallRate must be in (0, 1], was %s",
            "1.0 opens the breaker when every call in the window was slow"),
    MAX_HALF_OPEN("Breaker", "maxHalfOpen", Kind.DURATION, null, "BreakerMaxHalfOpen", "maxHalfOpen must be longer than 0, was \"%s\"",
            "it bounds the time trial calls have to settle; leave it out to wait for them"),
    OPEN_FOR_MULTIPLIER("Breaker", "openForMultiplier", Kind.DOUBLE, 1.0, "BreakerOpenForMultiplier",
            "openForMultiplier must be a finite number of at least 1.0, was %s", "use 1.0 to stay open for openFor every time"),
    MAX_OPEN_FOR("Breaker", "maxOpenFor", Kind.DURATION, null, null, null, null),

    TIMEOUT("Timeout", "value", Kind.DURATION, null, "TimeoutValue", "the timeout must be longer than 0, was \"%s\"",
            "give the longest time one attempt may take, as in @Timeout(\"2s\")"),

    MAX_CONCURRENT("Bulkhead", "maxConcurrent", Kind.INT, 10, "BulkheadMaxConcurrent", "maxConcurrent must be at least 1, was %s",
            "it is the number of calls allowed inside the delegate at once"),
    MAX_WAIT("Bulkhead", "maxWait", Kind.DURATION, Duration.ZERO, null, null, null),

    PERMITS("RateLimit", "permits", Kind.INT, 100, "RateLimitPermits", "permits must be at least 1, was %s",
            "it is the number of attempts allowed per period, and the tokens the bucket holds"),
    PER("RateLimit", "per", Kind.DURATION, Duration.ofSeconds(1), "RateLimitPer", "per must be longer than 0, was \"%s\"",
            "give the period the permits are refilled in, as in \"1s\""),
    /** {@code @RateLimit}'s {@code maxWait}, which is not {@code @Bulkhead}'s. */
    RATE_LIMIT_MAX_WAIT("RateLimit", "maxWait", Kind.DURATION, Duration.ZERO, null, null, null),

    RATIO("RetryBudget", "ratio", Kind.DOUBLE, 0.2, "RetryBudgetRatio", "ratio must be in [0, 1000], was %s",
            "it is the retries allowed per call started in the window; 0.2 allows one retry per five calls"),
    MIN_PER_SECOND("RetryBudget", "minPerSecond", Kind.INT, 10, "RetryBudgetMinPerSecond", "minPerSecond must not be negative, was %s",
            "it is the retries allowed per second of the window whatever the calls; 0 allows only the ratio"),
    /** {@code @RetryBudget}'s {@code window}, a duration, which is not {@code @Breaker}'s. */
    BUDGET_WINDOW("RetryBudget", "window", Kind.DURATION, Duration.ofSeconds(10), "RetryBudgetWindow",
            "window must be between 1s and 60s, was \"%s\"", "the budget counts calls and retries over this sliding window, as in \"10s\""),

    /** {@code @Hedge}'s {@code delay}, which is not {@code @Retryable}'s. */
    HEDGE_DELAY("Hedge", "delay", Kind.DURATION, Duration.ofMillis(100), null, null, null),
    /** {@code @Hedge}'s {@code maxAttempts}, which is not {@code @Retryable}'s. */
    HEDGE_MAX_ATTEMPTS("Hedge", "maxAttempts", Kind.INT, 2, "HedgeMaxAttempts", "maxAttempts must be at least 2, was %s",
            "it counts every attempt, the first included; a hedge needs at least a second");

    /** The shortest {@code windowDuration}: ten buckets of a millisecond. */
    static final Duration MIN_WINDOW_DURATION = Duration.ofMillis(10);
    /** The range of a retry budget's window. */
    static final Duration MIN_BUDGET_WINDOW = Duration.ofSeconds(1);
    static final Duration MAX_BUDGET_WINDOW = Duration.ofSeconds(60);

    /** The id of every problem with a duration's form: unreadable, negative, too long. */
    public static final String DURATION_ID = "ResilientDuration";
    private static final String FORMAT_HINT =
            "write \"0\", a whole number with one of ns us ms s m h (\"250ms\", \"10s\"), or ISO-8601 (\"PT0.25S\")";
    private static final String TOO_LONG_HINT = "durations are at most 2562047h, about 292 years: Long.MAX_VALUE nanoseconds";

    /** What kind of value an attribute takes. */
    public enum Kind {
        INT, DOUBLE, DURATION
    }

    /**
     * One thing wrong with the settings, to be shown as {@link #text()}.
     *
     * @param attribute the attribute to point at
     */
    public record Problem(Attribute attribute, String id, String message, String hint) {
        /** {@code [RetryableMaxAttempts] maxAttempts must be at least 1, was 0 (hint: ...)}. */
        public String text() {
            return "[" + id + "] " + message + " (hint: " + hint + ")";
        }
    }

    private final String annotation;
    private final String attributeName;
    private final Kind kind;
    private final Object defaultValue;
    private final String id;
    private final String format;
    private final String hint;

    Attribute(String annotation, String attributeName, Kind kind, Object defaultValue, String id, String format, String hint) {
        this.annotation = annotation;
        this.attributeName = attributeName;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.id = id;
        this.format = format;
        this.hint = hint;
    }

    /** The simple name of the annotation, as in {@code "Retryable"}. */
    public String annotation() {
        return annotation;
    }

    /** The attribute's name in the annotation and in override keys, as in {@code "maxAttempts"}. */
    public String attributeName() {
        return attributeName;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The value when none is written: an {@code Integer}, {@code Double} or {@code Duration}, or
     * {@code null} for attributes that are unset by default ({@code maxDelay}, {@code windowDuration}…)
     * or required ({@code @Timeout}'s value).
     */
    public Object defaultValue() {
        return defaultValue;
    }

    /** The problem with {@code value} on its own, if any: its range, and for durations their sign and length. */
    public Optional<Problem> check(Object value) {
        return check(value, kind == Kind.DURATION ? DurationFormat.text((Duration) value) : String.valueOf(value));
    }

    /** Like {@link #check(Object)}, showing the value as {@code written} (a duration as the user wrote it, say). */
    public Optional<Problem> check(Object value, String written) {
        if (kind == Kind.DURATION && ((Duration) value).isNegative()) {
            return Optional.of(durationProblem(written, "is negative", "durations are never negative"));
        }
        if (kind == Kind.DURATION && !fitsInNanos((Duration) value)) {
            return Optional.of(durationProblem(written, "is too long", TOO_LONG_HINT));
        }
        boolean fits = switch (this) {
            case MAX_ATTEMPTS, FAILURE_THRESHOLD, HALF_OPEN_CALLS, MAX_CONCURRENT, PERMITS -> (int) value >= 1;
            case HEDGE_MAX_ATTEMPTS -> (int) value >= 2;
            case WINDOW -> (int) value >= 0;
            case MULTIPLIER, OPEN_FOR_MULTIPLIER -> (double) value >= 1.0 && !Double.isInfinite((double) value);
            case FAILURE_RATE, SLOW_CALL_RATE -> (double) value > 0 && (double) value <= 1;
            case TIMEOUT, SLOW_CALL, MAX_HALF_OPEN, PER -> !((Duration) value).isZero();
            case WINDOW_DURATION -> ((Duration) value).compareTo(MIN_WINDOW_DURATION) >= 0;
            case RATIO -> (double) value >= 0 && (double) value <= 1000; // and so not NaN
            case MIN_PER_SECOND -> (int) value >= 0;
            case BUDGET_WINDOW -> ((Duration) value).compareTo(MIN_BUDGET_WINDOW) >= 0
                    && ((Duration) value).compareTo(MAX_BUDGET_WINDOW) <= 0;
            default -> true;
        };
        return fits ? Optional.empty() : Optional.of(new Problem(this, id, String.format(Locale.ROOT, format, written), hint));
    }

    /**
     * The value written as text — a configuration override, a duration attribute — or empty with
     * {@link #unreadable(String)} to say why. Only the form is checked here, not the range.
     */
    public Optional<Object> parse(String text) {
        try {
            return switch (kind) {
                case INT -> Optional.of(Integer.parseInt(text));
                case DOUBLE -> Optional.of(Double.parseDouble(text));
                case DURATION -> DurationFormat.parse(text).map(duration -> duration);
            };
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    /** Why {@code text} is not a value of this attribute. */
    public Problem unreadable(String text) {
        return switch (kind) {
            case INT -> new Problem(this, "ResilientNumber", attributeName + " = \"" + text + "\" is not a whole number",
                    "write digits, as in 3");
            case DOUBLE -> new Problem(this, "ResilientNumber", attributeName + " = \"" + text + "\" is not a number",
                    "write a decimal number, as in 0.5");
            case DURATION -> fitsInNanos(text)
                    ? durationProblem(text, "is not a duration", FORMAT_HINT)
                    : durationProblem(text, "is too long", TOO_LONG_HINT);
        };
    }

    private Problem durationProblem(String text, String what, String durationHint) {
        return new Problem(this, DURATION_ID, attributeName + " = \"" + text + "\" " + what, durationHint);
    }

    private static boolean fitsInNanos(Duration duration) {
        try {
            duration.toNanos();
            return true;
        } catch (ArithmeticException tooLong) {
            return false;
        }
    }

    private static boolean fitsInNanos(String text) {
        return !DurationFormat.isTooLong(text);
    }

    /** A problem between attributes, pointed at this one. */
    Problem problem(String problemId, String message, String problemHint) {
        return new Problem(this, problemId, message, problemHint);
    }
}
