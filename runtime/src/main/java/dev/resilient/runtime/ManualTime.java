package dev.resilient.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A clock that only moves when told, for tests.
 *
 * <p>A blocking wait returns at once, moves the clock forward by its length and is recorded in
 * {@link #sleeps()}; like a real wait, it throws {@link InterruptedException} when the thread is
 * interrupted. {@link #advance(Duration)} moves the clock without waiting. The clock starts at 0
 * and is safe to share between threads.
 */
public final class ManualTime implements TimeSource {
    private final List<Duration> sleeps = new ArrayList<>();
    private long now;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        if (nanos < 0) {
            throw new IllegalArgumentException("nanos must not be negative, was " + nanos);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before a wait of " + Duration.ofNanos(nanos));
        }
        synchronized (this) {
            sleeps.add(Duration.ofNanos(nanos));
            now += nanos;
        }
    }

    /** Moves the clock forward by {@code duration}, which must not be negative. */
    public synchronized void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + duration);
        }
        now += duration.toNanos();
    }

    /** How far the clock has moved since it was created, by waits and advances together. */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(now);
    }

    /** Every blocking wait made on this clock, in the order made. */
    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    @Override
    public synchronized String toString() {
        return "ManualTime[elapsed=" + Duration.ofNanos(now) + ", sleeps=" + sleeps.size() + "]";
    }
}
