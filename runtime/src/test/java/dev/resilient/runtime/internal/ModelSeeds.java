package dev.resilient.runtime.internal;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.TimeSource;
import java.time.Duration;
import java.util.stream.IntStream;

/**
 * The seeds a model-based property test runs: {@code -Dresilient.model.seeds=N} runs N of them
 * (each class has its own default), {@code -Dresilient.model.firstSeed=S} starts at S, so that
 * {@code -Dresilient.model.firstSeed=17 -Dresilient.model.seeds=1} replays seed 17 alone.
 */
final class ModelSeeds {
    private ModelSeeds() {}

    static IntStream seeds(int byDefault) {
        int first = Integer.getInteger("resilient.model.firstSeed", 0);
        return IntStream.range(first, first + Integer.getInteger("resilient.model.seeds", byDefault));
    }

    /**
     * A clock reading {@code offset} plus a {@link ManualTime}'s: the context's clock need not start
     * at 0 ({@code System.nanoTime()} may be anything, negative too), and buckets are aligned on it.
     */
    static TimeSource offset(ManualTime manual, long offset) {
        return new TimeSource() {
            @Override
            public long nanoTime() {
                return offset + manual.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                manual.sleep(nanos);
            }
        };
    }

    /** Ticks run inside {@link ManualTime#advance}, on time: a scheduler without lag. */
    static TimeBuckets.Ticks ticks(ManualTime manual) {
        return (task, delay) -> manual.schedule(task, Duration.ofNanos(delay));
    }

    /** A random clock offset: none, negative, or far from 0 (but far from overflowing too). */
    static long randomOffset(java.util.SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> -random.nextLong(1L << 60);
            case 2 -> random.nextLong(1L << 60);
            default -> -random.nextLong(1_000_000_000L); // just below 0: the first buckets straddle it
        };
    }
}
