package dev.resilient.runtime.internal;

import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration strings of the annotations and of configuration overrides: {@code "0"}, a whole
 * number with one of {@code ns us ms s m h}, or ISO-8601. The processor checks annotation values
 * with this same class (shaded into its jar), so both read durations alike.
 *
 * <p>A duration must fit in a {@code long} of nanoseconds ({@code Long.MAX_VALUE} ns, about 292
 * years), so that whatever converts it never overflows; a longer one is not accepted.
 */
public final class DurationFormat {
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ns|us|ms|s|m|h)");
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);
    private static final BigInteger LONGEST = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger MOST_NEGATIVE = BigInteger.valueOf(Long.MIN_VALUE);

    private DurationFormat() {}

    /**
     * The duration, or empty when {@code text} is none of the accepted forms or does not fit in a
     * {@code long} of nanoseconds. May be negative (ISO).
     */
    public static Optional<Duration> parse(String text) {
        return nanos(text).filter(DurationFormat::fits).map(nanos -> Duration.ofNanos(nanos.longValueExact()));
    }

    /** Whether {@code text} has one of the accepted forms but is too long for {@link #parse}. */
    public static boolean isTooLong(String text) {
        return nanos(text).filter(nanos -> !fits(nanos)).isPresent();
    }

    /**
     * {@code "10s"}: the largest unit that measures {@code duration} exactly, as the annotations
     * write durations; ISO-8601 for one too long for nanoseconds.
     */
    public static String text(Duration duration) {
        long nanos;
        try {
            nanos = duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.toString();
        }
        if (nanos == 0) {
            return "0";
        }
        String[] suffixes = {"h", "m", "s", "ms", "us", "ns"};
        long[] units = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
        int unit = 0;
        while (nanos % units[unit] != 0) {
            unit++;
        }
        return nanos / units[unit] + suffixes[unit];
    }

    private static boolean fits(BigInteger nanos) {
        return nanos.compareTo(LONGEST) <= 0 && nanos.compareTo(MOST_NEGATIVE) >= 0;
    }

    /** The nanoseconds {@code text} measures, however many; empty when it has none of the forms. */
    private static Optional<BigInteger> nanos(String text) {
        if (text.equals("0")) {
            return Optional.of(BigInteger.ZERO);
        }
        Matcher matcher = SHORT.matcher(text);
        if (matcher.matches()) {
            long unit = switch (matcher.group(2)) {
                case "ns" -> 1L;
                case "us" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            return Optional.of(new BigInteger(matcher.group(1)).multiply(BigInteger.valueOf(unit)));
        }
        try {
            Duration duration = Duration.parse(text);
            BigInteger seconds = BigInteger.valueOf(duration.getSeconds());
            return Optional.of(seconds.multiply(NANOS_PER_SECOND).add(BigInteger.valueOf(duration.getNano())));
        } catch (DateTimeParseException notADuration) {
            // Duration.parse reads its numbers as longs: one that overflows is a well-formed duration, too long.
            Throwable cause = notADuration.getCause();
            boolean overflow = cause instanceof ArithmeticException || cause instanceof NumberFormatException;
            return overflow ? Optional.of(LONGEST.add(BigInteger.ONE)) : Optional.empty();
        }
    }
}
