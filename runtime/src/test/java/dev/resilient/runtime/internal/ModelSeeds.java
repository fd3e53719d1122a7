package dev.resilient.runtime.internal;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.TimeSource;
import java.time.Duration;
import java.util.stream.IntStream;

/**
 * The seeds a model-based property test runs: {@code -Dresilient.model.seeds=N} runs N of them
 * (each class has its own default), {@code -Dresilient.model.firstSeed=S} starts at S, so that
 * {@code -Dresilient.model.firstSeed=17 -Dresilient.model.seeds=1} replays seed 17 alone. A seed
 * draws everything its run does, the clock's offset first ({@link #randomOffset}), so a seed
 * replays the same run only under the same generators: adding the offset near
 * {@code Long.MAX_VALUE} gave every seed of the model tests a new sequence.
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

    /**
     * The tenths of a time window as {@link TimeBuckets} counts them, for a model that keeps its
     * times as the {@link ManualTime}'s readings (from 0, never near overflowing) on a clock
     * {@code offset} ahead of it: the first is the tenth of the clock's reading when the window was
     * made (aligned on the clock: it begins at a multiple of {@code width}), and the others follow
     * on from it, every {@code width}, also where the clock's readings pass {@code Long.MAX_VALUE}.
     *
     * @param base when tenth 0 begins, in the model's time
     */
    record Tenths(long width, long base) {
        /** The tenths of a window made at {@code made} (the model's time) on a clock {@code offset} ahead. */
        static Tenths of(long offset, long made, long width) {
            return new Tenths(width, made - Math.floorMod(offset + made, width)); // the reading the window took, wrapped as the clock's
        }

        /** The tenth that holds {@code at}. */
        long tenth(long at) {
            return Math.floorDiv(at - base, width);
        }

        /** When {@code tenth} begins. */
        long start(long tenth) {
            return base + tenth * width;
        }

        /** The next boundary of tenths after {@code at}. */
        long next(long at) {
            return start(tenth(at) + 1);
        }
    }

    /** Ticks run inside {@link ManualTime#advance}, on time: a scheduler without lag. */
    static TimeBuckets.Ticks ticks(ManualTime manual) {
        return (task, delay) -> manual.schedule(task, Duration.ofNanos(delay));
    }

    /**
     * A random clock offset: none, negative, far from 0, just below 0, or within a minute below
     * {@code Long.MAX_VALUE}: most runs that draw the last (they last from a fraction of a second to
     * hours of the {@link ManualTime}'s) read past it and wrap to negative, as
     * {@code System.nanoTime}'s may; a model counts in the {@link ManualTime}'s own time, which never
     * comes near overflowing (see {@link Tenths}).
     */
    static long randomOffset(java.util.SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> -random.nextLong(1L << 60);
            case 2 -> random.nextLong(1L << 60);
            case 3 -> -random.nextLong(1_000_000_000L); // just below 0: the first buckets straddle it
            default -> Long.MAX_VALUE - random.nextLong(60_000_000_000L); // the run passes Long.MAX_VALUE
        };
    }
}
