package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.resilient.runtime.CircuitBreaker.State;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.ResilienceListener;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many threads, bounded loops, barriers: permits, transitions and counters stay exact under races. */
class BreakerConcurrencyTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 200;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    private final ManualTime time = new ManualTime();
    private final List<String> transitions = new CopyOnWriteArrayList<>();
    private final ResilienceContext context = ResilienceContext.builder().time(time).listener(new ResilienceListener() {
        @Override
        public void onStateChange(String breaker, State from, State to) {
            transitions.add(from + "->" + to);
        }
    }).build();

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Runs {@code task} on every thread at once, released by one barrier, and waits for all. */
    private void race(Runnable task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<?>> running = new java.util.ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            running.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                task.run();
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void halfOpenAdmitsExactlyHalfOpenCallsHoweverManyThreadsRace() throws Exception {
        for (int halfOpenCalls = 1; halfOpenCalls <= 3; halfOpenCalls++) {
            Breaker breaker = Breaker.declare(context, "race" + halfOpenCalls, BreakerSpec.builder()
                    .failureThreshold(1).openFor(Duration.ofSeconds(1)).halfOpenCalls(halfOpenCalls).build());
            for (int round = 0; round < ROUNDS; round++) {
                breaker.acquire(null).failed(new IOException());
                time.advance(Duration.ofSeconds(1)); // every thread sees openFor elapsed and races for the trials
                AtomicInteger admitted = new AtomicInteger();
                List<Permit> permits = new CopyOnWriteArrayList<>();
                race(() -> {
                    try {
                        permits.add(breaker.acquire(null));
                        admitted.incrementAndGet();
                    } catch (CircuitOpenException rejected) {
                        // beyond the trial calls
                    }
                });
                assertEquals(halfOpenCalls, admitted.get(), "round " + round);
                permits.forEach(Permit::succeeded);
                assertEquals(State.CLOSED, breaker.state());
            }
        }
        long opened = transitions.stream().filter("CLOSED->OPEN"::equals).count();
        assertEquals(3 * ROUNDS, opened);
        assertEquals(opened, transitions.stream().filter("OPEN->HALF_OPEN"::equals).count(), "no lost transitions");
        assertEquals(opened, transitions.stream().filter("HALF_OPEN->CLOSED"::equals).count(), "no lost transitions");
    }

    @Test
    void trialsSettlingTogetherCloseOnceOrReopenOnce() throws Exception {
        Breaker breaker = Breaker.declare(context, "settle", BreakerSpec.builder()
                .failureThreshold(1).openFor(Duration.ofSeconds(1)).halfOpenCalls(THREADS).build());
        for (int round = 0; round < ROUNDS; round++) {
            transitions.clear();
            breaker.acquire(null).failed(new IOException());
            time.advance(Duration.ofSeconds(1));
            List<Permit> permits = new CopyOnWriteArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                permits.add(breaker.acquire(null));
            }
            boolean oneFails = round % 2 == 1;
            AtomicInteger index = new AtomicInteger();
            race(() -> {
                int mine = index.getAndIncrement();
                if (oneFails && mine == 0) {
                    permits.get(mine).failed(new IOException());
                } else {
                    permits.get(mine).succeeded();
                }
            });
            List<String> expected = oneFails
                    ? List.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN")
                    : List.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
            assertEquals(expected, transitions, "round " + round);
            if (oneFails) {
                breaker.reset();
            }
        }
    }

    @Test
    void consecutiveFailuresFromManyThreadsOpenExactlyOnceAtTheThreshold() throws Exception {
        int perThread = 50;
        Breaker breaker = Breaker.declare(context, "count", BreakerSpec.builder()
                .failureThreshold(THREADS * perThread).openFor(Duration.ofHours(1)).build());
        race(() -> {
            for (int i = 0; i < perThread - 1; i++) {
                breaker.acquire(null).failed(new IOException());
            }
        });
        assertEquals(State.CLOSED, breaker.state(), "one failure short of the threshold");
        race(() -> breaker.acquire(null).failed(new IOException()));
        assertEquals(State.OPEN, breaker.state());
        assertEquals(List.of("CLOSED->OPEN"), transitions);
    }

    @Test
    void rateWindowCountsAddUpUnderRaces() throws Exception {
        int perThread = 1_000;
        OutcomeWindow window = OutcomeWindow.of(BreakerSpec.builder().window(THREADS * perThread).build(), time, null);
        AtomicInteger failuresRecorded = new AtomicInteger();
        AtomicInteger index = new AtomicInteger();
        race(() -> {
            int mine = index.getAndIncrement();
            for (int i = 0; i < perThread; i++) {
                boolean failure = (i + mine) % 3 == 0;
                if (failure) {
                    failuresRecorded.incrementAndGet();
                }
                window.record(failure);
            }
        });
        assertEquals(new OutcomeWindow.Counts(THREADS * perThread, failuresRecorded.get(), 0), window.counts());
    }

    /**
     * Threads record across twenty tenths of a 10s window at once, older and newer ones mixed, so
     * buckets are replaced while others count into them: the last ten tenths hold exactly what was
     * recorded into them.
     */
    @Test
    void timeWindowCountsAddUpWhileBucketsAreReplacedUnderRaces() throws Exception {
        int perThread = 2_000;
        long tenth = 1_000_000_000L;
        OutcomeWindow window = OutcomeWindow.of(BreakerSpec.builder().windowDuration(Duration.ofSeconds(10)).slowCall(Duration.ofSeconds(1))
                .build(), time, null);
        AtomicInteger index = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger slow = new AtomicInteger();
        race(() -> {
            int mine = index.getAndIncrement();
            for (int i = 0; i < perThread; i++) {
                long at = ((i * 7L + mine) % 20) * tenth + i; // tenths 0..19, in an order of its own per thread
                boolean failure = (i + mine) % 3 == 0;
                boolean isSlow = (i + mine) % 5 == 0;
                if (at >= 10 * tenth) {
                    calls.incrementAndGet();
                    failures.addAndGet(failure ? 1 : 0);
                    slow.addAndGet(isSlow ? 1 : 0);
                }
                window.record(at, failure, isSlow);
            }
        });
        time.advance(Duration.ofSeconds(19));
        assertEquals(new OutcomeWindow.Counts(calls.get(), failures.get(), slow.get()), window.counts());
    }

    @Test
    void aTimeWindowBreakerOpensExactlyOnceWhenRacingThreadsReachItsRate() throws Exception {
        int perThread = 500;
        Breaker breaker = Breaker.declare(context, "timed", BreakerSpec.builder().windowDuration(Duration.ofSeconds(10))
                .failureRate(0.5).minimumCalls(THREADS * perThread).build());
        race(() -> {
            for (int i = 0; i < perThread; i++) {
                Permit permit = breaker.acquire(null);
                if (i % 2 == 0) {
                    permit.failed(new IOException());
                } else {
                    permit.succeeded();
                }
            }
        });
        assertEquals(State.OPEN, breaker.state(), "half of the calls failed once all were in the window");
        assertEquals(List.of("CLOSED->OPEN"), transitions);
    }
}
