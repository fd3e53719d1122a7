package dev.resilient.processor.reading;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the duration strings of the annotations: {@code "0"}, a whole number with one of
 * {@code ns us ms s m h}, or ISO-8601.
 */
final class DurationParser {
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ns|us|ms|s|m|h)");

    private DurationParser() {}

    /** The duration, or empty when {@code text} is none of the accepted forms. May be negative (ISO). */
    static Optional<Duration> parse(String text) {
        if (text.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher matcher = SHORT.matcher(text);
        if (matcher.matches()) {
            try {
                long amount = Long.parseLong(matcher.group(1));
                return Optional.of(switch (matcher.group(2)) {
                    case "ns" -> Duration.ofNanos(amount);
                    case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                });
            } catch (ArithmeticException | NumberFormatException tooLarge) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(Duration.parse(text));
        } catch (DateTimeParseException notIso) {
            return Optional.empty();
        }
    }
}
