package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.BulkheadFullException;
import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Properties, with 8 threads at once on asynchronous calls (alone, hedged, under failover, retried,
 * timed out): whatever the interleaving of calls, of their stages completing, failing or failing
 * with an {@code Error} on other threads, of callers cancelling and of the clock moved on (hedges,
 * retry waits and timeouts fire inside it), a half-open breaker is never left without its trial
 * calls nor given more, and no delegate ever has more than {@code maxConcurrent} stages open at once, and
 * once every stage has completed, exactly {@code maxConcurrent} per delegate fit in again (a
 * full bulkhead is not a failure a failover moves on from: {@code BulkheadFullException} is never
 * retried). Each
 * seed is one schedule of operations per thread (see {@link ModelSeeds}).
 */
class AsyncRaceTest {
    private static final int THREADS = 8;
    private static final int SEEDS = 60;
    private static final int STEPS = 150;
    private static final int MAX_CONCURRENT = 3;
    private static final Duration OPEN_FOR = Duration.ofMillis(30);

    private final Race race = new Race(THREADS);

    @AfterEach
    void stop() throws InterruptedException {
        race.close();
    }

    interface Service {
        CompletionStage<String> call();
    }

    /** One delegate: counts its stages open, and the most it had open at once. */
    private static final class Remote implements Service {
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final ConcurrentLinkedQueue<Stage> stages;
        /** Fails every call at once, for the failover to move on to the next delegate. */
        volatile boolean down;

        Remote(ConcurrentLinkedQueue<Stage> stages) {
            this.stages = stages;
        }

        @Override
        public CompletionStage<String> call() {
            if (down) {
                return CompletableFuture.failedFuture(new IOException("down"));
            }
            peak.accumulateAndGet(open.incrementAndGet(), Math::max); // asserted by the test: the wrapper would take a throw for a failure
            Stage stage = new Stage(open);
            stages.add(stage);
            return stage;
        }
    }

    /** A delegate's stage, no longer counted open just before it completes, by whoever completes or cancels it. */
    private static final class Stage extends CompletableFuture<String> {
        private final AtomicInteger open;
        private final AtomicBoolean closed = new AtomicBoolean();

        Stage(AtomicInteger open) {
            this.open = open;
        }

        /**
         * Synchronized: the second of two threads ending it at once (the test completing it, the
         * policies cancelling it) waits here until the first has counted it closed. Without that, the
         * second could complete it, and the slot it frees let the next call in, while the first had
         * yet to count it closed: 4 of 3 stages "open", hedged calls under failover, one seed in 500.
         */
        private synchronized void close() {
            if (closed.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        }

        /** Completes it: 0 with a value, 1 with a failure, 2 with an {@code Error}. */
        void end(int how) {
            close();
            switch (how) {
                case 0 -> complete("ok");
                case 1 -> completeExceptionally(new IOException("failed"));
                default -> completeExceptionally(new StackOverflowError("an Error"));
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            close();
            return super.cancel(mayInterruptIfRunning);
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>(); // dependents are plain futures, counted nowhere
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"alone", "hedged", "failover", "hedged failover", "retried failover", "timed out"})
    void asynchronousBulkheadsNeverExceedMaxConcurrentNorLeakASlot(String how) throws Exception {
        bulkheadProperty(how);
    }

    private void bulkheadProperty(String how) throws Exception {
        int delegates = how.contains("failover") ? 2 : 1;
        for (int seed : ModelSeeds.seeds(SEEDS).toArray()) {
            ManualTime time = new ManualTime();
            ResilienceContext context = ResilienceContext.builder().time(time).build();
            ConcurrentLinkedQueue<Stage> stages = new ConcurrentLinkedQueue<>();
            List<Remote> remotes = new ArrayList<>();
            for (int i = 0; i < delegates; i++) {
                remotes.add(new Remote(stages));
            }
            MethodPolicies<Service> calls = policies(how, MethodPlan.builder("S.call")).bulkhead().maxConcurrent(MAX_CONCURRENT).build()
                    .over(context, List.copyOf(remotes));
            String where = how + ", seed " + seed;
            raceAndSettle(where, seed, calls, stages, time);
            for (Remote remote : remotes) {
                assertTrue(remote.peak.get() <= MAX_CONCURRENT, where + ": " + remote.peak + " stages open at once");
                assertEquals(0, remote.open.get(), where);
            }
            for (Remote remote : remotes) { // a full bulkhead is no failure to move on from: each delegate is filled with those before it free and down
                for (int i = 0; i < MAX_CONCURRENT; i++) {
                    CompletableFuture<String> held = calls.callAsync(Service::call, null);
                    assertTrue(!held.isDone(), where + ": call " + i + " finds a slot free, but " + held);
                }
                assertInstanceOf(BulkheadFullException.class, failureOf(calls.callAsync(Service::call, null)),
                        where + ": no slot beyond maxConcurrent");
                for (Stage stage; (stage = stages.poll()) != null; ) {
                    stage.end(0);
                }
                remote.down = true;
            }
        }
    }

    /**
     * Once every stage has ended and the breaker's time open has passed, a half-open breaker lets
     * through the trial calls it has left, at least one and at most {@code halfOpenCalls}, and
     * closes once they succeed: no trial permit was lost to a call that ended by cancellation,
     * timeout, an {@code Error} or a lost hedge.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"alone", "hedged", "retried", "timed out", "hedged timed out"})
    void aHalfOpenBreakerKeepsExactlyItsTrialCallsWhateverAsynchronousAttemptsEndWith(String how) throws Exception {
        for (int seed : ModelSeeds.seeds(SEEDS).toArray()) {
            int halfOpenCalls = 1 + seed % 2;
            ManualTime time = new ManualTime();
            ResilienceContext context = ResilienceContext.builder().time(time).build();
            ConcurrentLinkedQueue<Stage> stages = new ConcurrentLinkedQueue<>();
            MethodPolicies<Service> calls = policies(how, MethodPlan.builder("S.call"))
                    .breaker("S.call", BreakerSpec.builder().failureThreshold(1).openFor(OPEN_FOR).halfOpenCalls(halfOpenCalls).build())
                    .build().over(context, new Remote(stages));
            String where = how + ", seed " + seed;
            raceAndSettle(where, seed, calls, stages, time);
            time.advance(OPEN_FOR);
            CircuitBreaker breaker = context.breaker("S.call");
            boolean halfOpen = breaker.state() == CircuitBreaker.State.HALF_OPEN;
            int reached = 0;
            while (reached <= halfOpenCalls && !calls.callAsync(Service::call, null).isDone()) {
                reached++;
            }
            assertEquals(reached, stages.size(), where);
            if (halfOpen) { // trials that succeeded in the race leave fewer, but never none
                assertTrue(reached >= 1 && reached <= halfOpenCalls, where + ": " + reached + " of " + halfOpenCalls + " trials reach the delegate");
                for (Stage stage; (stage = stages.poll()) != null; ) {
                    stage.end(0);
                }
                assertEquals(CircuitBreaker.State.CLOSED, breaker.state(), where + ": the trials left have all succeeded");
            } else {
                assertEquals(halfOpenCalls + 1, reached, where + ": closed");
            }
        }
    }

    /** The policies {@code how} names, asynchronous. */
    private static MethodPlan.Builder policies(String how, MethodPlan.Builder plan) {
        if (how.contains("hedged")) {
            plan.hedge().hedgeDelay(Duration.ofMillis(10)).hedgeMaxAttempts(3);
        }
        if (how.contains("retried")) {
            plan.retry(RetrySpec.builder().maxAttempts(3).delay(Duration.ofMillis(5)).build());
        }
        if (how.contains("timed out")) {
            plan.timeout(Duration.ofMillis(15));
        }
        return plan.asynchronous();
    }

    /**
     * Races the schedule of {@code seed} on 8 threads: calls, their stages ended, callers cancelling,
     * the clock moved on; then ends every stage left, and those the calls start meanwhile, until
     * nothing is scheduled any more.
     */
    private void raceAndSettle(String where, int seed, MethodPolicies<Service> calls, ConcurrentLinkedQueue<Stage> stages, ManualTime time)
            throws Exception {
        ConcurrentLinkedQueue<CompletableFuture<String>> callers = new ConcurrentLinkedQueue<>();
        race.run(thread -> {
            SplittableRandom random = new SplittableRandom(seed * 31L + thread);
            for (int step = 0; step < STEPS; step++) {
                int what = random.nextInt(10);
                if (what < 4) {
                    callers.add(calls.callAsync(Service::call, null));
                } else if (what < 7) {
                    Stage stage = stages.poll();
                    if (stage != null) {
                        stage.end(random.nextInt(3));
                    }
                } else if (what < 8) {
                    CompletableFuture<String> caller = callers.poll();
                    if (caller != null) {
                        caller.cancel(true);
                    }
                } else {
                    time.advance(Duration.ofMillis(random.nextInt(12)));
                }
            }
        });
        for (int settled = 0; !stages.isEmpty() || time.pendingTasks() > 0; settled++) { // hedges and retries start more
            assertTrue(settled < 10_000, where + ": the calls never end");
            for (Stage stage; (stage = stages.poll()) != null; ) {
                stage.end(0);
            }
            time.advance(Duration.ofSeconds(1));
        }
    }

    private static Throwable failureOf(CompletableFuture<?> call) {
        assertTrue(call.isDone(), "the call has ended");
        return call.handle((value, failure) -> failure).join();
    }
}
