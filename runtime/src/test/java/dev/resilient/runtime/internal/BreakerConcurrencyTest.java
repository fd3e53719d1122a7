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
        OutcomeWindow window = new OutcomeWindow(THREADS * perThread + 1); // room for the final read
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
        long counts = window.record(false);
        assertEquals(failuresRecorded.get(), (int) counts, "failures in the window");
        assertEquals(THREADS * perThread + 1, counts >>> 32, "calls in the window");
    }
}
