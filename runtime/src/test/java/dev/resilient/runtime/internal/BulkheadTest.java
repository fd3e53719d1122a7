package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.BulkheadFullException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    @Test
    void aFullBulkheadWithoutMaxWaitRefusesWithoutWaitingAndListenersHearIt() {
        Recorder recorder = new Recorder();
        ResilienceContext heard = ResilienceContext.builder().time(time).listener(recorder).build();
        Bulkhead bulkhead = Bulkhead.create(ContextCore.of(heard), "S.call", 1, Duration.ZERO);
        bulkhead.enter();
        try {
            BulkheadFullException full = assertThrows(BulkheadFullException.class, bulkhead::enter);
            assertEquals("bulkhead of S.call is full: 1 call inside", full.getMessage());
            assertEquals(List.of(), time.sleeps(), "no wait, not even one of zero");
            assertEquals(List.of("full S.call"), recorder.events("full"));
        } finally {
            bulkhead.exit();
        }
    }

    /** Under a time source other than the system clock, the wait of maxWait is made, then a slot freed meanwhile is taken. */
    @Test
    void aSlotFreedDuringTheWaitIsTakenAfterIt() {
        Bulkhead[] held = new Bulkhead[1];
        TimeSource freeingDuringTheWait = new TimeSource() {
            @Override
            public long nanoTime() {
                return time.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                time.sleep(nanos);
                held[0].exit(); // the call inside leaves while this one waits
            }
        };
        ResilienceContext other = ResilienceContext.builder().time(freeingDuringTheWait).build();
        Bulkhead bulkhead = Bulkhead.create(ContextCore.of(other), "S.call", 1, Duration.ofSeconds(1));
        held[0] = bulkhead;
        bulkhead.enter();
        bulkhead.enter();
        assertEquals(List.of(Duration.ofSeconds(1)), time.sleeps());
        assertEquals(0, bulkhead.available(), "the second call is inside");
        bulkhead.exit();
    }

    /** Under the system clock a caller waits for a slot to free, up to maxWait, and enters as soon as one does. */
    @Test
    void underTheSystemClockACallerWaitingForASlotEntersWhenOneFrees() throws Exception {
        Bulkhead bulkhead = Bulkhead.create(ContextCore.of(ResilienceContext.builder().build()), "S.call", 1, Duration.ofSeconds(30));
        bulkhead.enter();
        CountDownLatch entered = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            bulkhead.enter();
            entered.countDown();
        });
        waiter.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiter.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.yield();
        }
        assertEquals(Thread.State.TIMED_WAITING, waiter.getState(), "the second caller waits for a slot");
        bulkhead.exit();
        assertTrue(entered.await(10, TimeUnit.SECONDS), "it entered once the slot freed, well within maxWait");
        waiter.join(10_000);
        bulkhead.exit();
    }
}
