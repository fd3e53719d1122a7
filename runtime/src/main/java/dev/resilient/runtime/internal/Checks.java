package dev.resilient.runtime.internal;

import java.time.Duration;
import java.util.Objects;

/** Argument checks whose messages name the argument and the value. */
final class Checks {
    private Checks() {}

    static int atLeast(String argument, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(argument + " must be at least " + minimum + ", was " + value);
        }
        return value;
    }

    static long nonNegativeNanos(String argument, Duration duration) {
        Objects.requireNonNull(duration, argument);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(argument + " must not be negative, was " + duration);
        }
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
