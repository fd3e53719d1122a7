package dev.resilient.runtime.internal;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.TimeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Multi-threaded races for tests: {@link #run} starts every thread of a round at once on one
 * barrier and waits for all (bounded, no sleeps); {@link Stamped} tells each thread which clock
 * reading and which wait it made last, so that a test knows at which instant a racing event
 * happened by the object's own reading.
 */
final class Race {
    /** What one thread of a round does; {@code thread} is its index, {@code 0 <= thread < threads}. */
    @FunctionalInterface
    interface Task {
        void run(int thread) throws Exception;
    }

    private final int threads;
    private final ExecutorService pool;

    Race(int threads) {
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads);
    }

    /** Runs {@code task} on every thread at once and waits for all; the first failure of any is thrown. */
    void run(Task task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<?>> running = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            int thread = i;
            running.add(pool.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                task.run(thread);
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get(60, TimeUnit.SECONDS);
        }
    }

    /** Stops its threads. */
    void close() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** A {@link ManualTime} that remembers, per thread, its last reading and its last wait. */
    static final class Stamped implements TimeSource {
        private final ManualTime manual;
        private final ThreadLocal<long[]> last = ThreadLocal.withInitial(() -> new long[2]);

        Stamped(ManualTime manual) {
            this.manual = manual;
        }

        @Override
        public long nanoTime() {
            long now = manual.nanoTime();
            long[] mine = last.get();
            mine[0] = now;
            mine[1] = 0;
            return now;
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            last.get()[1] = nanos;
            manual.sleep(nanos);
        }

        /** This thread's last reading of the clock. */
        long lastReading() {
            return last.get()[0];
        }

        /** How long this thread waited since its last reading; 0 if it did not. */
        long lastWait() {
            return last.get()[1];
        }
    }
}
