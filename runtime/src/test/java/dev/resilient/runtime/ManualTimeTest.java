package dev.resilient.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualTimeTest {
    @Test
    void sleepsReturnAtOnceMoveTheClockAndAreRecorded() throws InterruptedException {
        ManualTime time = new ManualTime();
        time.sleep(Duration.ofMillis(100).toNanos());
        time.advance(Duration.ofSeconds(1));
        time.sleep(0);
        assertEquals(List.of(Duration.ofMillis(100), Duration.ZERO), time.sleeps());
        assertEquals(Duration.ofMillis(1100).toNanos(), time.nanoTime());
        assertEquals(Duration.ofMillis(1100), time.elapsed());
    }

    @Test
    void anInterruptedSleepThrowsClearsTheFlagAndRecordsNothing() {
        ManualTime time = new ManualTime();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> time.sleep(5));
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(List.of(), time.sleeps());
    }

    @Test
    void negativeArgumentsAreRefused() {
        ManualTime time = new ManualTime();
        assertEquals("duration must not be negative, was PT-1S",
                assertThrows(IllegalArgumentException.class, () -> time.advance(Duration.ofSeconds(-1))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> time.sleep(-1));
    }

    @Test
    void systemTimeHonoursInterruptsEvenForZeroWaits() {
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> TimeSource.system().sleep(0));
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
