package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.resilient.runtime.BulkheadFullException;
import dev.resilient.runtime.ResilienceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code @Bulkhead} against bug reports of peer libraries (Failsafe, Polly, SmallRye / MicroProfile
 * Fault Tolerance, Spring Retry).
 */
class PeerBulkheadTest {
    /**
     * Failsafe's failsafe-lib/failsafe#393 (fixed by #400): a waiter that gave up at its
     * {@code maxWait} stayed queued, was handed the next slot freed, and nobody ever gave it back,
     * so the bulkhead lost a slot per waiter that timed out until it let nobody in. Here every
     * waiter gives up while the slots are held; once they are freed, all of them are free.
     */
    @Test
    void waitersThatGiveUpAtMaxWaitTakeNoSlotWithThem() throws Exception {
        ResilienceContext context = ResilienceContext.builder().build();
        Bulkhead bulkhead = Bulkhead.create(ContextCore.of(context), "S.call", 2, Duration.ofMillis(20));
        bulkhead.enter();
        bulkhead.enter();
        ExecutorService waiters = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> gaveUp = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                gaveUp.add(waiters.submit(bulkhead::enter));
            }
            for (Future<?> waiter : gaveUp) {
                Throwable refused = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> waiter.get(30, TimeUnit.SECONDS)).getCause();
                assertInstanceOf(BulkheadFullException.class, refused);
            }
        } finally {
            waiters.shutdownNow();
        }
        bulkhead.exit();
        bulkhead.exit();
        assertEquals(2, bulkhead.available(), "both slots are free again");
        bulkhead.enter();
        bulkhead.enter();
        assertEquals(0, bulkhead.available());
    }
}
