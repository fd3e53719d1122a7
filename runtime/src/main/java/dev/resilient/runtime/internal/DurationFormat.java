package dev.resilient.runtime.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration strings of the annotations and of configuration overrides: {@code "0"}, a whole
 * number with one of {@code ns us ms s m h}, or ISO-8601. The processor checks annotation values
 * with this same class (shaded into its jar), so both read durations alike.
 */
public final class DurationFormat {
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ns|us|ms|s|m|h)");

    private DurationFormat() {}

    /** The duration, or empty when {@code text} is none of the accepted forms. May be negative (ISO). */
    public static Optional<Duration> parse(String text) {
        if (text.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher matcher = SHORT.matcher(text);
        try {
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return Optional.of(switch (matcher.group(2)) {
                    case "ns" -> Duration.ofNanos(amount);
                    case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                });
            }
            return Optional.of(Duration.parse(text));
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException notADuration) {
            return Optional.empty();
        }
    }
}
