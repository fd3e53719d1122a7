package dev.resilient.runtime.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default threads of every context: daemon threads named after the library, started on
 * first use and shared, so that a context owns none and forgetting one leaks nothing.
 */
final class SharedThreads {
    private SharedThreads() {}

    /** Where {@code @Timeout} attempts run: grows as needed, so a stuck attempt never starves the next. */
    static ExecutorService attempts() {
        return Attempts.POOL;
    }

    /** Where asynchronous waits and timeouts are timed. */
    static ScheduledExecutorService scheduler() {
        return Scheduler.POOL;
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static final class Attempts {
        static final ExecutorService POOL = Executors.newCachedThreadPool(daemons("resilient-attempt-"));
    }

    private static final class Scheduler {
        static final ScheduledExecutorService POOL = create();

        private static ScheduledExecutorService create() {
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemons("resilient-scheduler-"));
            scheduler.setRemoveOnCancelPolicy(true);
            return scheduler;
        }
    }
}
