package dev.resilient.runtime.internal;

import dev.resilient.runtime.BulkheadFullException;
import dev.resilient.runtime.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** At most {@code maxConcurrent} calls of one method inside the delegate at once. */
final class Bulkhead {
    private final String method;
    private final int maxConcurrent;
    private final long maxWaitNanos;
    private final Semaphore slots;
    private final Listeners listener;
    private final TimeSource time;

    private Bulkhead(String method, int maxConcurrent, long maxWaitNanos, Listeners listener, TimeSource time) {
        this.method = method;
        this.maxConcurrent = maxConcurrent;
        this.maxWaitNanos = maxWaitNanos;
        this.slots = new Semaphore(maxConcurrent);
        this.listener = listener;
        this.time = time;
    }

    /**
     * A bulkhead of its own for one method of one wrapper (and one delegate, under failover).
     *
     * @throws IllegalArgumentException when {@code maxConcurrent < 1} or {@code maxWait} is negative
     */
    static Bulkhead create(ContextCore core, String method, int maxConcurrent, Duration maxWait) {
        Settings settings = Settings.of("Bulkhead")
                .checked(Attribute.MAX_CONCURRENT, maxConcurrent)
                .checked(Attribute.MAX_WAIT, Objects.requireNonNull(maxWait, "maxWait"));
        return new Bulkhead(Objects.requireNonNull(method, "method"), maxConcurrent, settings.nanos(Attribute.MAX_WAIT, 0),
                core.listener(), core.time());
    }

    /**
     * Takes a slot, waiting up to {@code maxWait} for one.
     *
     * @throws BulkheadFullException when none frees up in time, or the thread is interrupted while
     *     waiting for one (its interrupt flag is then set again)
     */
    void enter() {
        boolean entered = slots.tryAcquire(); // a free slot is taken even by an interrupted thread
        if (!entered && maxWaitNanos > 0) {
            try {
                entered = awaitSlot();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (!entered) {
            listener.bulkheadFull(method);
            throw new BulkheadFullException("bulkhead of " + method + " is full: " + maxConcurrent + (maxConcurrent == 1 ? " call" : " calls")
                    + " inside" + (maxWaitNanos == 0 ? "" : ", none left within " + DurationFormat.text(Duration.ofNanos(maxWaitNanos))));
        }
    }

    /**
     * Under the system clock, waits until a slot frees or {@code maxWait} has passed. Under another
     * time source, makes its wait of {@code maxWait} (which {@code ManualTime} ends at once, moving
     * its clock on), then tries once more.
     */
    private boolean awaitSlot() throws InterruptedException {
        if (time == TimeSource.system()) {
            return slots.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
        }
        time.sleep(maxWaitNanos);
        return slots.tryAcquire();
    }

    /** Returns the slot taken by {@link #enter()}. */
    void exit() {
        slots.release();
    }

    /** Slots free now. */
    int available() {
        return slots.availablePermits();
    }

    @Override
    public String toString() {
        return "Bulkhead[" + method + " " + available() + "/" + maxConcurrent + " free]";
    }
}
