package dev.resilient.runtime.internal;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.TimeSource;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link ManualTime}'s clock, but one chosen thread is held inside its first reading until
 * {@link #release()}: a race between that reading and what other threads do meanwhile, made
 * deterministic. Waits are {@link ManualTime}'s.
 */
final class HeldClock implements TimeSource {
    private final ManualTime manual;
    private final CountDownLatch read = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicReference<Thread> held = new AtomicReference<>();

    HeldClock(ManualTime manual) {
        this.manual = manual;
    }

    /** Starts {@code task} on a thread of its own, held in its first reading of the clock; returns once it reads. */
    Thread startHeld(Runnable task) throws InterruptedException {
        Thread thread = new Thread(task);
        held.set(thread);
        thread.start();
        read.await();
        return thread;
    }

    /** Lets the held thread go on with the reading it made. */
    void release() {
        release.countDown();
    }

    @Override
    public long nanoTime() {
        long now = manual.nanoTime();
        if (held.compareAndSet(Thread.currentThread(), null)) { // its first reading only
            read.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        return now;
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        manual.sleep(nanos);
    }
}
