package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DurationFormatTest {

    @Test
    void readsEveryForm() {
        assertEquals(Optional.of(Duration.ZERO), DurationFormat.parse("0"));
        assertEquals(Optional.of(Duration.ofNanos(7)), DurationFormat.parse("7ns"));
        assertEquals(Optional.of(Duration.ofNanos(7_000)), DurationFormat.parse("7us"));
        assertEquals(Optional.of(Duration.ofMillis(250)), DurationFormat.parse("250ms"));
        assertEquals(Optional.of(Duration.ofSeconds(10)), DurationFormat.parse("10s"));
        assertEquals(Optional.of(Duration.ofMinutes(2)), DurationFormat.parse("2m"));
        assertEquals(Optional.of(Duration.ofHours(3)), DurationFormat.parse("3h"));
        assertEquals(Optional.of(Duration.ofMillis(250)), DurationFormat.parse("PT0.25S"));
        assertEquals(Optional.of(Duration.ofSeconds(-1)), DurationFormat.parse("PT-1S"));
        assertEquals(Optional.empty(), DurationFormat.parse("soon"));
        assertEquals(Optional.empty(), DurationFormat.parse("10 s"));
        assertFalse(DurationFormat.isTooLong("soon"));
    }

    /** Issue #11, case 10: a duration that does not fit in a long of nanoseconds overflowed wherever it was converted. */
    @Test
    void durationsLongerThanLongMaxValueNanosecondsAreRejected() {
        assertEquals(Optional.of(Duration.ofNanos(Long.MAX_VALUE)), DurationFormat.parse(Long.MAX_VALUE + "ns"));
        assertEquals(Optional.of(Duration.ofHours(2_562_047)), DurationFormat.parse("2562047h"), "just under 292 years");
        for (String tooLong : new String[] {"9999999999h", "2562048h", "9223372036854775808ns", "99999999999999999999999s",
                "PT2562048H", "PT99999999999999999999S", "P999999999999D", "PT-2562048H"}) {
            assertEquals(Optional.empty(), DurationFormat.parse(tooLong), tooLong);
            assertTrue(DurationFormat.isTooLong(tooLong), tooLong);
        }
    }
}
