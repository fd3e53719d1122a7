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

    /**
     * failsafe#215 (long overflow on huge delays): a task scheduled Long.MAX_VALUE nanoseconds
     * ahead (an asynchronous retry after a server's Retry-After of centuries) was due at a
     * wrapped, negative time once the clock had moved, and ran at the next advance; a sleep or an
     * advance that long wrapped the clock into the past.
     */
    @Test
    void waitsAndTasksOfCenturiesStopAtTheEndOfTheClockInsteadOfWrapping() throws InterruptedException {
        ManualTime time = new ManualTime();
        time.advance(Duration.ofMillis(1));
        List<String> ran = new java.util.ArrayList<>();
        time.schedule(() -> ran.add("centuries"), Duration.ofNanos(Long.MAX_VALUE));
        time.schedule(() -> ran.add("forever"), java.time.temporal.ChronoUnit.FOREVER.getDuration());
        time.advance(Duration.ofDays(365));
        assertEquals(List.of(), ran, "not due for centuries");
        assertEquals(2, time.pendingTasks());

        ManualTime sleeper = new ManualTime();
        sleeper.advance(Duration.ofMillis(1));
        sleeper.sleep(Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, sleeper.nanoTime(), "the clock stops at its end, not in the past");
        sleeper.advance(java.time.temporal.ChronoUnit.FOREVER.getDuration());
        assertEquals(Long.MAX_VALUE, sleeper.nanoTime());
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

    /** Work due at once that work due at once schedules runs right after it, on the same thread, before the first schedule returns; cancelled, it never runs. */
    @Test
    void workDueAtOnceScheduledByWorkDueAtOnceRunsAfterItNotInsideIt() {
        ManualTime time = new ManualTime();
        List<String> ran = new java.util.ArrayList<>();
        time.schedule(() -> {
            ran.add("outer starts");
            time.schedule(() -> ran.add("inner"), Duration.ZERO);
            Runnable cancel = time.schedule(() -> ran.add("cancelled"), Duration.ZERO);
            cancel.run();
            ran.add("outer ends");
        }, Duration.ZERO);
        assertEquals(List.of("outer starts", "outer ends", "inner"), ran);
        assertEquals(0, time.pendingTasks());
    }
}
