package dev.resilient.runtime;

import java.util.concurrent.TimeUnit;

/** {@link TimeSource#system()}. */
enum SystemTime implements TimeSource {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        // Thread.sleep(0) still throws when the thread is already interrupted, like any wait.
        TimeUnit.NANOSECONDS.sleep(nanos);
        if (nanos == 0 && Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    @Override
    public String toString() {
        return "TimeSource.system()";
    }
}
