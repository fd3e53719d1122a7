package dev.resilient.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A clock that only moves when told, for tests.
 *
 * <p>A blocking wait returns at once, moves the clock forward by its length and is recorded in
 * {@link #sleeps()}; like a real wait, it throws {@link InterruptedException} when the thread is
 * interrupted. {@link #advance(Duration)} moves the clock without waiting.
 *
 * <p>Work scheduled on it (asynchronous retry waits and timeouts of a context using this time)
 * runs inside {@link #advance(Duration)}, on the advancing thread, in time order, each task when
 * the clock reaches its time; work due at once runs at once, on the scheduling thread (work that
 * it schedules due at once in turn runs right after it, not inside it, so that a chain of zero
 * waits, thousands of retries long, never nests one inside another). The clock starts at 0 and
 * is safe to share between threads.
 */
public final class ManualTime implements TimeSource {
    private record Task(long due, long sequence, Runnable action) {}

    private final List<Duration> sleeps = new ArrayList<>();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            (a, b) -> a.due() != b.due() ? Long.compare(a.due(), b.due()) : Long.compare(a.sequence(), b.sequence()));
    private long sequence;
    private long now;
    /** On a thread running work due at once: the work it scheduled due at once meanwhile, to run next. */
    private final ThreadLocal<ArrayDeque<DueNow>> dueNow = new ThreadLocal<>();

    /** Work due at once, queued behind the work of this thread that scheduled it. */
    private static final class DueNow {
        final Runnable task;
        volatile boolean cancelled;

        DueNow(Runnable task) {
            this.task = task;
        }
    }

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
            now = later(now, nanos);
        }
    }

    /**
     * Moves the clock forward by {@code duration}, which must not be negative, running every
     * scheduled task that falls due on the way, in time order, with the clock at the task's time.
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + duration);
        }
        long target;
        synchronized (this) {
            target = later(now, duration);
        }
        for (;;) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due() > target) {
                    now = Math.max(now, target);
                    return;
                }
                tasks.poll();
                now = Math.max(now, next.due());
            }
            next.action().run(); // outside the lock: it may schedule more work
        }
    }

    /**
     * Runs {@code task} when the clock has moved {@code delay} forward: inside a later
     * {@link #advance(Duration)}, or now, on this thread, when {@code delay} is zero (right after
     * the work due at once that this thread is running, if any, rather than inside it).
     *
     * @return cancels the task if it has not run yet
     */
    public Runnable schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        if (delay.isZero()) {
            return runNow(task);
        }
        Task scheduled;
        synchronized (this) {
            scheduled = new Task(later(now, delay), sequence++, task);
            tasks.add(scheduled);
        }
        return () -> {
            synchronized (this) {
                tasks.remove(scheduled);
            }
        };
    }

    /**
     * Runs {@code task} now, or, inside other work due at once on this thread, right after it, so
     * that work scheduling work due at once never nests.
     */
    private Runnable runNow(Runnable task) {
        ArrayDeque<DueNow> queued = dueNow.get();
        if (queued != null) {
            DueNow next = new DueNow(task);
            queued.add(next);
            return () -> next.cancelled = true;
        }
        queued = new ArrayDeque<>();
        dueNow.set(queued);
        try {
            task.run();
        } finally {
            try {
                for (DueNow next; (next = queued.poll()) != null; ) {
                    if (!next.cancelled) {
                        next.task.run();
                    }
                }
            } finally {
                dueNow.remove();
            }
        }
        return () -> {};
    }

    /**
     * {@code nanos} after {@code from}, or the end of the clock where that would overflow: a wait of
     * centuries (a server's {@code Retry-After}, say) must not wrap the clock round into the past.
     */
    private static long later(long from, long nanos) {
        long sum = from + nanos;
        return ((from ^ sum) & (nanos ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static long later(long from, Duration duration) {
        return duration.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : later(from, duration.toNanos());
    }

    /** Tasks scheduled and not yet run. */
    public synchronized int pendingTasks() {
        return tasks.size();
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
