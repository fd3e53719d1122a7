package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.BulkheadFullException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BulkheadTest {
    private final ResilienceContext context = ResilienceContext.builder().time(new ManualTime()).build();

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
