package dev.resilient.runtime;

/**
 * The clock a {@link ResilienceContext} reads and the way it waits. The default is
 * {@link #system()}; tests use {@link ManualTime}, which never sleeps.
 */
public interface TimeSource {
    /** A monotonic reading in nanoseconds, comparable only with other readings of this source. */
    long nanoTime();

    /**
     * Waits for {@code nanos} nanoseconds ({@code >= 0}).
     *
     * @throws InterruptedException if the thread is interrupted before or during the wait; the
     *     interrupt flag is then cleared, as {@link Thread#sleep(long)} does
     */
    void sleep(long nanos) throws InterruptedException;

    /** The system's monotonic clock ({@link System#nanoTime()}) and real sleeping. */
    static TimeSource system() {
        return SystemTime.INSTANCE;
    }
}
