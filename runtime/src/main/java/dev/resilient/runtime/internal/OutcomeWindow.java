package dev.resilient.runtime.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The outcomes of the last {@code size} calls, one bit each (1 = failure), without locks.
 *
 * <p>Each record takes the next slot of a ring; the failure count moves only when a slot's bit
 * actually flips, so the count always equals the bits set, whatever threads race. Recording a
 * success over a success costs one atomic increment.
 */
final class OutcomeWindow {
    private final int size;
    private final AtomicLongArray bits;
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicInteger failures = new AtomicInteger();

    OutcomeWindow(int size) {
        this.size = size;
        this.bits = new AtomicLongArray((size + 63) >>> 6);
    }

    /**
     * Records one outcome and returns the failure count then in the window, in the low 32 bits,
     * and the number of calls in the window, in the high 32 bits.
     */
    long record(boolean failure) {
        long index = recorded.getAndIncrement();
        int slot = (int) (index % size);
        int word = slot >>> 6;
        long mask = 1L << (slot & 63);
        int count;
        for (;;) {
            long current = bits.get(word);
            long next = failure ? current | mask : current & ~mask;
            if (current == next) {
                count = failures.get();
                break;
            }
            if (bits.compareAndSet(word, current, next)) {
                count = failures.addAndGet(failure ? 1 : -1);
                break;
            }
        }
        long calls = Math.min(index + 1, size);
        return calls << 32 | count;
    }
}
