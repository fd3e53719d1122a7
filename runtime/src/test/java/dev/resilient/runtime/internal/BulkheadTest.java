package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.BulkheadFullException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkheadTest {
    private final ManualTime time = new ManualTime();
    private final ResilienceContext context = ResilienceContext.builder().time(time).build();

    /**
     * CONTRACT: "ManualTime makes blocking waits return at once, advancing its clock by the wait,
     * and records them in sleeps()". A full bulkhead's {@code maxWait} used to block on the wall
     * clock instead, for the whole wait, with the clock standing still.
     */
    @Test
    void aFullBulkheadsWaitIsOneOfManualTimesWaits() {
        Bulkhead bulkhead = Bulkhead.create(ContextCore.of(context), "S.call", 1, Duration.ofHours(1));
        bulkhead.enter();
        try {
            BulkheadFullException full = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> assertThrows(BulkheadFullException.class, bulkhead::enter), "the wait ends at once");
            assertEquals("bulkhead of S.call is full: 1 call inside, none left within 1h", full.getMessage());
            assertEquals(List.of(Duration.ofHours(1)), time.sleeps());
            assertEquals(Duration.ofHours(1), time.elapsed());
        } finally {
            bulkhead.exit();
        }
        bulkhead.enter();
        assertEquals(List.of(Duration.ofHours(1)), time.sleeps(), "a free slot is taken without waiting");
        bulkhead.exit();
    }

    /** Issue #11, case 25: an interrupted caller with slots free used to be refused. */
    @Test
    void anInterruptedCallerEntersWhenASlotIsFreeAndKeepsItsFlag() {
        Bulkhead bulkhead = Bulkhead.create(ContextCore.of(context), "S.call", 1, Duration.ofSeconds(1));
        Thread.currentThread().interrupt();
        try {
            bulkhead.enter();
            assertTrue(Thread.currentThread().isInterrupted(), "the flag is kept for the delegate to see");
            assertEquals(0, bulkhead.available());
        } finally {
            Thread.interrupted();
            bulkhead.exit();
        }
    }

    @Test
    void anInterruptedCallerThatWouldHaveToWaitIsRefusedAndKeepsItsFlag() {
        Bulkhead bulkhead = Bulkhead.create(ContextCore.of(context), "S.call", 1, Duration.ofSeconds(1));
        bulkhead.enter();
        Thread.currentThread().interrupt();
        try {
            assertThrows(BulkheadFullException.class, bulkhead::enter);
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
            bulkhead.exit();
        }
    }
}
