package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.ResilienceListener;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * A seeded generator that attacks the asynchronous pipeline: each seed draws a policy stack (retry
 * or hedge, breaker, timeout, bulkhead, rate limit, retry budget, fallback, failover over 1–3
 * delegates), a stage kind and an outcome for every delegate call (and for the fallback), and a
 * caller's schedule (advances of {@link ManualTime}, a cancellation at some point, up to three
 * calls at once), then checks
 * what the contract says of every call: the returned future completes (or is cancelled) with the
 * value or the failure itself that the attempts gave; the delegate is called at most its worst
 * case; every attempt started is told once; after a cancellation nothing more starts; once every
 * stage has completed, every bulkhead slot and breaker permit is back and no timer is queued.
 *
 * <p>{@code -Dresilient.model.seeds=N} runs N seeds, {@code -Dresilient.model.firstSeed=S} starts
 * at S; a failure names its seed and what was drawn.
 */
class AsyncFuzzTest {
    private static final int SEEDS = 3_000;
    /** The most delegate calls a run can make: 3 calls of 4 attempts over 3 delegates. */
    private static final int SCRIPT = 36;

    interface Service {
        CompletionStage<String> call();
    }

    @Test
    void everyAsynchronousCallKeepsTheContract() {
        ModelSeeds.seeds(SEEDS).forEach(seed -> {
            Run run = new Run(seed);
            CapturedLog quiet = new CapturedLog(); // what a faulty listener throws is logged
            try {
                run.play();
            } catch (AssertionError | RuntimeException e) {
                AssertionError failure = new AssertionError("seed " + seed + " (replay with -Dresilient.model.firstSeed=" + seed
                        + " -Dresilient.model.seeds=1): " + e.getMessage() + "\n" + run, e);
                throw failure;
            } finally {
                quiet.close();
            }
        });
    }

    // Regressions the generator found, shrunk.

    /** Seed 252: a call that fell back before the caller had its future never watched for the cancellation. */
    @Test
    void cancellingACallWhoseFallbackStillRunsCancelsTheFallbacksStage() {
        ManualTime time = new ManualTime();
        ResilienceContext context = ResilienceContext.builder().time(time).build();
        Service failing = () -> CompletableFuture.failedFuture(new IOException("down"));
        MethodPolicies<Service> policies = MethodPlan.builder("S.call").asynchronous().fallback().build().over(context, failing);
        CompletableFuture<String> fallbackStage = new CompletableFuture<>();

        CompletableFuture<String> result = policies.callAsync(Service::call, failure -> fallbackStage);
        assertTrue(result.cancel(true));

        assertTrue(fallbackStage.isCancelled(), "the fallback's stage is cancelled with the call");
    }

    /** Seed 674: a caller that cancels while the fallback is told to listeners gets no fallback call. */
    @Test
    void aCallCancelledWhileItsFallbackIsToldDoesNotCallTheFallback() {
        ManualTime time = new ManualTime();
        AtomicReference<CompletableFuture<String>> call = new AtomicReference<>();
        ResilienceListener cancelling = new ResilienceListener() {
            @Override
            public void onFallback(String method, Throwable failure) {
                call.get().cancel(true); // as another thread of the caller's may, just then
            }
        };
        ResilienceContext context = ResilienceContext.builder().time(time).listener(cancelling).build();
        CompletableFuture<String> stage = new CompletableFuture<>();
        MethodPolicies<Service> policies = MethodPlan.builder("S.call").asynchronous().fallback().build().over(context, () -> stage);
        AtomicInteger fallbacks = new AtomicInteger();

        call.set(policies.callAsync(Service::call, failure -> {
            fallbacks.incrementAndGet();
            return CompletableFuture.completedFuture("fallback");
        }));
        stage.completeExceptionally(new IOException("down"));

        assertTrue(call.get().isCancelled());
        assertEquals(0, fallbacks.get(), "no fallback is called once the caller has cancelled");
    }

    /**
     * Seed 1253: a hedged attempt whose delegate was entered when the caller cancelled, and whose
     * stage then answered at once, was recorded by its breaker and told as failed, as if nothing had
     * been cancelled; an attempt of a plain call ends as cancelled there.
     */
    @Test
    void aHedgedAttemptStartingWhenTheCallerCancelsEndsAsCancelled() {
        ManualTime time = new ManualTime();
        Recorder events = new Recorder();
        ResilienceContext context = ResilienceContext.builder().time(time).listener(events).build();
        BreakerSpec opensAtOnce = BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(1)).build();
        AtomicReference<CompletableFuture<String>> call = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        Service delegate = () -> {
            if (calls.incrementAndGet() == 1) {
                return new CompletableFuture<>(); // never answers: the hedge starts after its delay
            }
            call.get().cancel(true); // the caller cancels while the hedged attempt's delegate runs
            return CompletableFuture.failedFuture(new IOException("answered just after the cancellation"));
        };
        MethodPolicies<Service> policies = MethodPlan.builder("S.call").asynchronous().hedge().hedgeDelay(Duration.ofMillis(10))
                .breaker("s", opensAtOnce).build().over(context, delegate);

        call.set(policies.callAsync(Service::call, null));
        time.advance(Duration.ofMillis(10));

        assertTrue(call.get().isCancelled());
        assertEquals(List.of("hedge S.call #2", "attempt S.call #1 CancellationException", "attempt S.call #2 CancellationException"),
                events.events());
        assertEquals(CircuitBreaker.State.CLOSED, context.breaker("s").state(), "a cancelled attempt counts as neither");
    }

    /**
     * Seed 20784: a hedged attempt's pass skipped the check for a cancellation when its lane had no
     * rate limit, timeout or bulkhead, so a caller that cancelled as the hedge went to its delegate
     * (here in onFailoverAttempt) still had that delegate called.
     */
    @Test
    void aHedgeCancelledAsItGoesToItsDelegateDoesNotCallIt() {
        ManualTime time = new ManualTime();
        AtomicReference<CompletableFuture<String>> call = new AtomicReference<>();
        ResilienceListener cancelling = new ResilienceListener() {
            @Override
            public void onFailoverAttempt(String method, int attempt, int delegate) {
                if (attempt == 2) {
                    call.get().cancel(true);
                }
            }
        };
        ResilienceContext context = ResilienceContext.builder().time(time).listener(cancelling).build();
        AtomicInteger backupCalls = new AtomicInteger();
        Service primary = CompletableFuture::new; // never answers: the hedge starts after its delay, on the backup
        Service backup = () -> {
            backupCalls.incrementAndGet();
            return CompletableFuture.completedFuture("backup");
        };
        MethodPolicies<Service> policies = MethodPlan.builder("S.call").asynchronous().hedge().hedgeDelay(Duration.ofMillis(10)).build()
                .over(context, List.of(primary, backup));

        call.set(policies.callAsync(Service::call, null));
        time.advance(Duration.ofMillis(10));

        assertTrue(call.get().isCancelled());
        assertEquals(0, backupCalls.get(), "nothing starts once the caller has cancelled");
    }

    /**
     * Seed 953: a hedged attempt whose delegate was still running when another attempt won was
     * out of the race's reach until its delegate returned, so it was cancelled, and told, only
     * after the caller had the winner's value; the README says an attempt starting when its call
     * is cancelled is cancelled (its permit settled) at once.
     */
    @Test
    void aHedgedAttemptStillInItsDelegateWhenAnotherWinsIsStoppedBeforeTheCallerHasTheValue() {
        ManualTime time = new ManualTime();
        Recorder events = new Recorder();
        ResilienceContext context = ResilienceContext.builder().time(time).listener(events).build();
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        AtomicReference<CompletableFuture<String>> call = new AtomicReference<>();
        List<String> toldWhileSecondRan = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        Service delegate = () -> {
            if (calls.incrementAndGet() == 1) {
                return first;
            }
            first.complete("first"); // the first attempt wins while the hedge's delegate still runs
            assertTrue(call.get().isDone(), "the caller has the winner's value");
            toldWhileSecondRan.addAll(events.events());
            return second;
        };
        MethodPolicies<Service> policies = MethodPlan.builder("S.call").asynchronous().hedge().hedgeDelay(Duration.ofMillis(10))
                .breaker("s", BreakerSpec.builder().failureThreshold(1).build()).build().over(context, delegate);

        call.set(policies.callAsync(Service::call, null));
        time.advance(Duration.ofMillis(10));

        assertEquals("first", call.get().join());
        assertEquals(List.of("hedge S.call #2", "attempt S.call #1 ok", "attempt S.call #2 CancellationException"), toldWhileSecondRan,
                "the losing attempt was stopped, its permit settled, before the caller had the value");
        assertTrue(second.isCancelled(), "its stage is cancelled once its delegate returns it");
    }

    /** How a delegate (or the fallback) answers one call. */
    enum Kind {
        /** A {@code CompletableFuture}, completed later or already. */
        FUTURE,
        /** {@code minimalCompletionStage()}: refuses {@code isDone}, {@code cancel}, {@code join}. */
        MINIMAL,
        /** {@code completedStage}/{@code failedStage} when answered at once. */
        DONE_MINIMAL,
        /** A {@code CompletableFuture} subclass whose {@code cancel}, {@code isDone}, {@code toCompletableFuture} throw. */
        REFUSING,
        /** A user-written stage: only {@code handle} works; it calls back inside {@code handle} when it has answered. */
        CALLBACK,
        /** A user-written stage that calls back twice, the second time with another outcome. */
        TWICE,
        /** A user-written stage that calls back twice at once, from two threads. */
        TWICE_RACING,
        /** A user-written stage whose {@code handle} throws without calling back. */
        HANDLE_THROWS,
        /** A user-written stage whose {@code handle} registers the callback and then throws. */
        CALLBACK_THEN_THROWS,
        /** A {@code CompletableFuture} completed by another thread. */
        OTHER_THREAD,
        /** The call throws instead of returning a stage. */
        THROWS,
        /** The call returns {@code null}. */
        NULL;

        boolean cancellable() {
            return this == FUTURE || this == OTHER_THREAD;
        }
    }

    /**
     * What one stage answers: {@link #value}, or {@link #failure}, now, after {@link #delayMs}, or
     * never; the call itself first takes {@link #enterMs} of the clock (timers fall due while it runs).
     */
    record Behaviour(Kind kind, String value, Throwable failure, boolean never, long delayMs, long enterMs) {
        @Override
        public String toString() {
            String outcome = never ? "never" : failure != null ? failure.getClass().getSimpleName() : value;
            return (enterMs > 0 ? "(takes " + enterMs + "ms) " : "") + kind + " " + outcome
                    + (delayMs > 0 ? " after " + delayMs + "ms" : never ? "" : " now");
        }
    }

    /** One listener event, with what it carries. */
    record Event(String type, int attempt, Throwable failure, String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** A stage handed out, and how it is answered: its first answer is the one that counts. */
    final class Source {
        final int index;
        final Behaviour behaviour;
        final CompletableFuture<String> future = new CompletableFuture<>();
        private final List<BiFunction<? super String, Throwable, ?>> callbacks = new ArrayList<>();
        private Object first;
        private boolean answered;
        /** {@code handle} refused before the stage answered: its answer may still come. */
        private boolean unanswered;
        private boolean refused;
        volatile CompletionStage<String> stage;

        Source(int index, Behaviour behaviour) {
            this.index = index;
            this.behaviour = behaviour;
        }

        /** The outcome that first reached whoever observed it: a value, a failure, or {@code null} before. */
        synchronized Object first() {
            return first;
        }


        void answer(String value, Throwable failure) {
            List<BiFunction<? super String, Throwable, ?>> registered;
            synchronized (this) {
                if (answered && !unanswered) {
                    return;
                }
                if (!answered) {
                    first = failure != null ? failure : value;
                }
                answered = true;
                unanswered = false;
                registered = List.copyOf(callbacks);
            }
            switch (behaviour.kind()) {
                case CALLBACK, CALLBACK_THEN_THROWS -> registered.forEach(fn -> fn.apply(value, failure));
                case TWICE -> registered.forEach(fn -> {
                    fn.apply(value, failure);
                    fn.apply(failure == null ? null : "second of " + index, failure == null ? new IOException("second") : null);
                });
                case TWICE_RACING -> registered.forEach(fn -> {
                    CyclicBarrier both = new CyclicBarrier(2);
                    Runnable once = () -> {
                        await(both);
                        fn.apply(value, failure);
                    };
                    spawn(once);
                    spawn(once);
                });
                case OTHER_THREAD -> spawn(() -> complete(value, failure));
                default -> complete(value, failure);
            }
        }

        private void complete(String value, Throwable failure) {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(value);
            }
        }

        /** {@code handle} of the user-written kinds. */
        Object handle(BiFunction<? super String, Throwable, ?> fn) {
            Kind kind = behaviour.kind();
            if (kind == Kind.HANDLE_THROWS) {
                synchronized (this) { // it never calls back: what it throws is all an observer sees
                    UnsupportedOperationException refusal = new UnsupportedOperationException("handle refused by stage " + index);
                    if (!refused) {
                        refused = true;
                        unanswered = !answered;
                        answered = true;
                        first = refusal;
                    }
                    throw refusal;
                }
            }
            boolean now;
            Object outcome;
            synchronized (this) {
                callbacks.add(fn);
                now = answered;
                outcome = first;
            }
            if (now) {
                fn.apply(outcome instanceof Throwable ? null : (String) outcome, outcome instanceof Throwable t ? t : null);
                if (kind == Kind.TWICE) {
                    fn.apply("second of " + index, null);
                }
            }
            if (kind == Kind.CALLBACK_THEN_THROWS) {
                throw refusedFirst(new UnsupportedOperationException("handle registered, then threw, in stage " + index));
            }
            return null;
        }

        /** What {@code handle} threw is the stage's first outcome unless it had answered. */
        private synchronized RuntimeException refusedFirst(RuntimeException refusal) {
            if (!answered) {
                answered = true;
                first = refusal;
                unanswered = true;
            }
            return refusal;
        }

        /** Whether the stage's own answer is still to come (after a refusal from {@code handle}, too). */
        synchronized boolean pending() {
            return !answered || unanswered;
        }

        /** Whether the stage is over as far as a canceller can tell: its future done (cancelled or completed). */
        boolean settled() {
            return future.isDone();
        }
    }

    /** A future that refuses what the JDK's minimal stages refuse, and {@code toCompletableFuture()} too. */
    static final class Refusing<T> extends CompletableFuture<T> {
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            throw new UnsupportedOperationException("cancel refused");
        }

        @Override
        public boolean isDone() {
            throw new UnsupportedOperationException("isDone refused");
        }

        @Override
        public CompletableFuture<T> toCompletableFuture() {
            throw new UnsupportedOperationException("toCompletableFuture refused");
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the barrier broke", e);
        }
    }

    private final List<Thread> threads = new ArrayList<>();

    private void spawn(Runnable work) {
        Thread thread = new Thread(work, "async-fuzz");
        synchronized (threads) {
            threads.add(thread);
        }
        thread.start();
    }

    private void joinThreads() {
        for (;;) {
            List<Thread> started;
            synchronized (threads) {
                started = List.copyOf(threads);
                threads.clear();
            }
            if (started.isEmpty()) {
                return;
            }
            for (Thread thread : started) {
                try {
                    thread.join(10_000);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                if (thread.isAlive()) {
                    throw new AssertionError("a completing thread is stuck");
                }
            }
        }
    }

    /** One seed's stack, script and schedule, and what it observed. */
    final class Run implements ResilienceListener {
        final int seed;
        final SplittableRandom random;
        final Thread caller = Thread.currentThread();
        final ManualTime time = new ManualTime();
        final List<Event> events = new ArrayList<>();
        final StringBuilder drawn = new StringBuilder();
        final Behaviour[] script = new Behaviour[SCRIPT];
        final List<Source> sources = new ArrayList<>();
        final AtomicInteger delegateCalls = new AtomicInteger();
        final AtomicInteger fallbackCalls = new AtomicInteger();
        int delegates;
        int attemptsMax = 1;
        boolean hedged;
        int maxRetries;
        boolean hasFallback;
        BreakerSpec breakerSpec;
        int maxConcurrent;
        Behaviour fallbackBehaviour;
        Source fallbackSource;
        Object fallbackOutcome;
        Throwable fallbackInput;
        String cancelOn;
        int cancelOnOccurrence;
        int cancelAtCall;
        volatile CompletableFuture<String> result;
        /** Calls made besides {@link #result}, concurrently with it, sharing its breakers, bulkheads and limits. */
        final List<CompletableFuture<String>> others = new ArrayList<>();
        /** Events and calls when the caller cancelled: -1 until it has. */
        volatile int cancelMark = -1;
        volatile int callsAtCancel;
        volatile int fallbacksAtCancel;
        /** The same once the future is cancelled: a stage answered on another thread may have gone on in between. */
        volatile int callsAfterCancel;
        volatile int fallbacksAfterCancel;
        volatile boolean cancelled;
        volatile int completedMark = -1;
        ResilienceContext context;
        MethodPolicies<Service> policies;

        Run(int seed) {
            this.seed = seed;
            this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 7);
        }

        private Behaviour behaviour(int index, boolean fallback) {
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            if (kind == Kind.TWICE_RACING && random.nextInt(3) != 0) {
                kind = Kind.TWICE;
            }
            String value = (fallback ? "fallback" : "v") + index;
            int outcome = random.nextInt(10);
            Throwable failure = switch (outcome) {
                case 0, 1, 2 -> new IOException("failure of " + index);
                case 3 -> new IllegalStateException("runtime failure of " + index);
                case 4 -> random.nextInt(4) == 0 ? new AssertionError("error of " + index) : new IOException("failure of " + index);
                default -> null;
            };
            if (kind == Kind.THROWS && failure == null) {
                failure = new IOException("thrown by " + index);
            }
            boolean never = outcome == 5 || outcome == 6;
            long delay = never || random.nextBoolean() ? 0 : 1 + random.nextInt(40);
            if (kind == Kind.DONE_MINIMAL || kind == Kind.THROWS || kind == Kind.NULL) {
                never = false;
                delay = 0;
            }
            if (never) {
                failure = null;
            }
            long enter = random.nextInt(8) == 0 ? 1 + random.nextInt(60) : 0;
            return new Behaviour(kind, value, failure, never, delay, enter);
        }

        /** The stage {@code behaviour} says, its answer scheduled on the clock. */
        @SuppressWarnings("unchecked")
        private CompletionStage<String> stage(int index, Behaviour behaviour) throws Exception {
            if (behaviour.enterMs() > 0 && Thread.currentThread() == caller) { // only the caller's thread moves the clock
                time.advance(Duration.ofMillis(behaviour.enterMs())); // a slow call: the clock moves, and timers fire, while it runs
            }
            Source source = new Source(index, behaviour);
            synchronized (sources) {
                sources.add(source);
            }
            if (behaviour.kind() == Kind.THROWS) {
                source.answer(null, behaviour.failure());
                if (behaviour.failure() instanceof Exception e) {
                    throw e;
                }
                throw (Error) behaviour.failure();
            }
            if (behaviour.kind() == Kind.NULL) {
                source.answer(null, null);
                return null;
            }
            CompletionStage<String> stage = switch (behaviour.kind()) {
                case FUTURE, OTHER_THREAD -> source.future;
                case MINIMAL -> source.future.minimalCompletionStage();
                case DONE_MINIMAL -> behaviour.failure() != null ? CompletableFuture.failedStage(behaviour.failure())
                        : CompletableFuture.completedStage(behaviour.value());
                case REFUSING -> {
                    Refusing<String> refusing = new Refusing<>();
                    source.future.handle((value, failure) -> failure != null ? refusing.completeExceptionally(failure) : refusing.complete(value));
                    yield refusing;
                }
                default -> (CompletionStage<String>) Proxy.newProxyInstance(AsyncFuzzTest.class.getClassLoader(),
                        new Class<?>[] {CompletionStage.class}, (proxy, method, args) -> switch (method.getName()) {
                            case "handle" -> {
                                source.handle((BiFunction<? super String, Throwable, ?>) args[0]);
                                yield new CompletableFuture<>(); // what the callback returns is nobody's business here
                            }
                            case "toString" -> "UserStage[" + index + "]";
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> throw new UnsupportedOperationException(method.getName() + " of a user-written stage");
                        });
            };
            source.stage = stage;
            if (behaviour.kind() == Kind.DONE_MINIMAL) {
                source.answer(behaviour.value(), behaviour.failure());
            } else if (!behaviour.never()) {
                if (behaviour.delayMs() == 0) {
                    source.answer(behaviour.value(), behaviour.failure());
                } else {
                    time.schedule(() -> {
                        source.answer(behaviour.value(), behaviour.failure());
                        joinThreads(); // the clock moves on once a stage answered later has, whatever thread answers it
                    }, Duration.ofMillis(behaviour.delayMs()));
                }
            }
            return stage;
        }

        private CompletionStage<String> delegateCall(int delegate) throws Exception {
            int index = delegateCalls.getAndIncrement();
            if (cancelAtCall == index && result != null) {
                cancel("inside delegate call " + index);
            }
            Behaviour behaviour = index < SCRIPT ? script[index] : new Behaviour(Kind.FUTURE, "v" + index, null, false, 0, 0);
            return stage(index, behaviour);
        }

        private CompletionStage<String> fallback(Throwable failure) throws Exception {
            fallbackCalls.incrementAndGet();
            fallbackInput = failure;
            if ("fallback call".equals(cancelOn) && result != null) {
                cancel("inside the fallback"); // its stage is cancelled once returned
            }
            if (fallbackBehaviour.kind() == Kind.THROWS) {
                fallbackOutcome = fallbackBehaviour.failure();
            } else if (fallbackBehaviour.kind() == Kind.NULL) {
                fallbackOutcome = NullPointerException.class;
            }
            CompletionStage<String> stage = stage(100 + fallbackCalls.get(), fallbackBehaviour);
            synchronized (sources) {
                fallbackSource = sources.get(sources.size() - 1);
            }
            return stage;
        }

        private void cancel(String when) {
            if (cancelMark >= 0) {
                return;
            }
            synchronized (events) {
                cancelMark = events.size();
            }
            callsAtCancel = delegateCalls.get();
            fallbacksAtCancel = fallbackCalls.get();
            drawn.append("\n  cancelled ").append(when);
            cancelled = result.cancel(true);
            if (!cancelled) {
                drawn.append(" (too late)");
            }
            callsAfterCancel = delegateCalls.get();
            fallbacksAfterCancel = fallbackCalls.get();
        }

        void play() {
            draw();
            if (policies == null) {
                return;
            }
            result = policies.callAsync(Service::call, hasFallback ? this::fallback : null);
            result.handle((value, failure) -> {
                synchronized (events) {
                    completedMark = events.size();
                }
                return null;
            });
            int steps = random.nextInt(9);
            int cancelAfterStep = random.nextInt(4) == 0 ? random.nextInt(steps + 1) : -1;
            int[] othersAt = new int[random.nextInt(10) < 3 ? 1 + random.nextInt(2) : 0];
            for (int i = 0; i < othersAt.length; i++) {
                othersAt[i] = random.nextInt(steps + 1);
            }
            drawn.append("\n  schedule:");
            for (int step = 0; step <= steps; step++) {
                for (int at : othersAt) {
                    if (at == step) {
                        drawn.append(" [another call]");
                        others.add(policies.callAsync(Service::call, hasFallback ? this::fallback : null));
                    }
                }
                if (step == cancelAfterStep) {
                    cancel("after step " + step);
                    checkCancelledStagesAreCancelled();
                }
                if (step < steps) {
                    long advance = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(40);
                    drawn.append(' ').append(advance).append("ms");
                    int before = cancelMark;
                    time.advance(Duration.ofMillis(advance));
                    joinThreads();
                    if (before < 0 && cancelMark >= 0) {
                        checkCancelledStagesAreCancelled();
                    }
                }
            }
            settle();
            check();
        }

        /** Right after the caller cancelled: every stage that lets itself be cancelled is. */
        private void checkCancelledStagesAreCancelled() {
            joinThreads();
            if (!cancelled || !others.isEmpty()) {
                return;
            }
            for (Source source : snapshot()) {
                if (source.behaviour.kind().cancellable() && source != fallbackSource && !source.settled()) {
                    throw new AssertionError("delegate stage " + source.index + " still runs after the caller cancelled");
                }
                if (source == fallbackSource && source.behaviour.kind().cancellable() && !source.settled()) {
                    throw new AssertionError("the fallback's stage still runs after the caller cancelled");
                }
            }
        }

        private List<Source> snapshot() {
            synchronized (sources) {
                return List.copyOf(sources);
            }
        }

        /** Lets time pass until every timer has run; then answers every stage still pending, late, and again. */
        private void settle() {
            time.advance(Duration.ofHours(1));
            joinThreads();
            if (result.isDone() && others.isEmpty()) {
                for (Source source : snapshot()) {
                    if (source.behaviour.kind().cancellable() && !source.settled()) {
                        throw new AssertionError("the call is over, but stage " + source.index + " (" + source.behaviour + ") still runs");
                    }
                }
            }
            // A thread that completed a stage may have scheduled a retry after an advance had passed its time.
            for (int round = 0; round < 20 && (snapshot().stream().anyMatch(Source::pending) || threaded() && time.pendingTasks() > 0); round++) {
                for (Source source : snapshot()) {
                    if (source.pending()) {
                        source.answer("late" + source.index, null);
                    }
                }
                joinThreads();
                time.advance(Duration.ofHours(1));
                joinThreads();
            }
        }

        private void draw() {
            delegates = random.nextInt(4) == 0 ? 3 : random.nextInt(3) == 0 ? 2 : 1;
            MethodPlan.Builder plan = MethodPlan.builder("S.call").asynchronous();
            drawn.append("delegates=").append(delegates);
            int level = random.nextInt(20);
            if (level < 9) {
                int maxAttempts = 1 + random.nextInt(4);
                long delay = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(30);
                RetrySpec.Builder retry = RetrySpec.builder().maxAttempts(maxAttempts).delay(Duration.ofMillis(delay));
                drawn.append(" retry(").append(maxAttempts).append(", ").append(delay).append("ms");
                if (random.nextInt(5) == 0) {
                    long maxDuration = delay + random.nextInt(100);
                    retry.maxDuration(Duration.ofMillis(Math.max(1, maxDuration)));
                    drawn.append(", maxDuration ").append(Math.max(1, maxDuration)).append("ms");
                }
                drawn.append(')');
                plan.retry(retry.build());
                attemptsMax = maxAttempts;
                maxRetries = maxAttempts - 1;
            } else if (level < 15) {
                int maxAttempts = 2 + random.nextInt(2);
                long delay = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(30);
                plan.hedge().hedgeMaxAttempts(maxAttempts).hedgeDelay(Duration.ofMillis(delay));
                drawn.append(" hedge(").append(maxAttempts).append(", ").append(delay).append("ms)");
                attemptsMax = maxAttempts;
                hedged = true;
            }
            if (random.nextBoolean()) {
                BreakerSpec.Builder breaker = BreakerSpec.builder().openFor(Duration.ofMillis(1 + random.nextInt(80)))
                        .halfOpenCalls(1 + random.nextInt(2));
                if (random.nextInt(3) == 0) { // a count window that also times its attempts
                    breaker.window(2 + random.nextInt(3)).failureRate(0.5).minimumCalls(1).slowCall(Duration.ofMillis(1 + random.nextInt(30)));
                } else {
                    breaker.failureThreshold(1 + random.nextInt(2));
                }
                breakerSpec = breaker.build();
                plan.breaker("b", breakerSpec);
                drawn.append(" breaker(").append(breakerSpec).append(')');
            }
            if (random.nextInt(5) < 2) {
                long timeout = 5 + random.nextInt(55);
                plan.timeout(Duration.ofMillis(timeout));
                drawn.append(" timeout(").append(timeout).append("ms)");
            }
            if (random.nextInt(5) < 2) {
                maxConcurrent = 1 + random.nextInt(2);
                plan.bulkhead().maxConcurrent(maxConcurrent);
                drawn.append(" bulkhead(").append(maxConcurrent).append(')');
            }
            if (random.nextInt(4) == 0) {
                int permits = 1 + random.nextInt(3);
                long per = 10 + random.nextInt(90);
                plan.rateLimit("r").permits(permits).per(Duration.ofMillis(per));
                drawn.append(" rateLimit(").append(permits).append(" per ").append(per).append("ms)");
            }
            if (random.nextInt(4) == 0) {
                double ratio = random.nextInt(3) * 0.25;
                int minPerSecond = random.nextInt(2);
                plan.retryBudget("budget").ratio(ratio).minPerSecond(minPerSecond).budgetWindow(Duration.ofSeconds(1));
                drawn.append(" budget(").append(ratio).append(", ").append(minPerSecond).append(')');
            }
            if (random.nextInt(5) < 2) {
                hasFallback = true;
                plan.fallback();
                fallbackBehaviour = behaviour(0, true);
                drawn.append(" fallback(").append(fallbackBehaviour).append(')');
            }
            for (int i = 0; i < SCRIPT; i++) {
                script[i] = behaviour(i, false);
            }
            switch (random.nextInt(5)) {
                case 0 -> {
                    String[] types = {"attempt", "retry", "hedge", "failover", "timeout", "rejected", "full", "ratelimited", "state", "fallback",
                        "fallback call"};
                    cancelOn = types[random.nextInt(types.length)];
                    cancelOnOccurrence = 1 + random.nextInt(2);
                    drawn.append("\n  cancel on ").append(cancelOn).append(" #").append(cancelOnOccurrence);
                }
                case 1 -> {
                    cancelAtCall = 1 + random.nextInt(4);
                    drawn.append("\n  cancel inside delegate call ").append(cancelAtCall);
                }
                default -> cancelAtCall = -1;
            }
            if (cancelOn == null) {
                cancelAtCall = cancelAtCall == 0 ? -1 : cancelAtCall;
            } else {
                cancelAtCall = -1;
            }
            ResilienceContext.Builder builder = ResilienceContext.builder().time(time);
            if (random.nextInt(5) == 0) { // listeners never change a call, whatever they throw, before or after another
                boolean first = random.nextBoolean();
                drawn.append("\n  a listener that throws from every event, ").append(first ? "first" : "last");
                builder = first ? builder.listener(faulty()).listener(this) : builder.listener(this).listener(faulty());
            } else {
                builder = builder.listener(this);
            }
            context = builder.build();
            List<Service> services = new ArrayList<>();
            for (int d = 0; d < delegates; d++) {
                int delegate = d;
                services.add(() -> {
                    try {
                        return delegateCall(delegate);
                    } catch (Exception e) {
                        throw sneaky(e);
                    }
                });
            }
            try {
                policies = plan.build().over(context, services);
            } catch (IllegalArgumentException | IllegalStateException refused) {
                drawn.append("\n  refused: ").append(refused.getMessage());
                policies = null;
                return;
            }
            if (breakerSpec != null) {
                for (int d = 0; d < delegates; d++) {
                    if (random.nextInt(4) == 0) {
                        Breaker breaker = breaker(d);
                        for (int i = 0; i < 2; i++) {
                            try {
                                breaker.acquire(null).failed(new IOException("before the call"));
                            } catch (CircuitOpenException open) {
                                break;
                            }
                        }
                        drawn.append("\n  breaker ").append(d).append(" tripped before the call");
                    }
                }
            }
            drawn.append("\n  script:");
            for (int i = 0; i < 8; i++) {
                drawn.append("\n    ").append(i).append(": ").append(script[i]);
            }
        }

        private ResilienceListener faulty() {
            return (ResilienceListener) Proxy.newProxyInstance(AsyncFuzzTest.class.getClassLoader(), new Class<?>[] {ResilienceListener.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "FaultyListener";
                        default -> throw new IllegalStateException("listener bug in " + method.getName());
                    });
        }

        private Breaker breaker(int delegate) {
            return Breaker.declare(context, delegate == 0 ? "b" : "b#" + delegate, breakerSpec);
        }

        private void record(String type, int attempt, Throwable failure, String text) {
            int count;
            synchronized (events) {
                events.add(new Event(type, attempt, failure, text));
                count = (int) events.stream().filter(e -> e.type().equals(type)).count();
            }
            if (type.equals(cancelOn) && count == cancelOnOccurrence && result != null) {
                cancel("on " + text);
            }
        }

        private static String name(Throwable failure) {
            return failure == null ? "ok" : failure.getClass().getSimpleName();
        }

        @Override
        public void onAttempt(String method, int attempt, Throwable failure) {
            record("attempt", attempt, failure, "attempt #" + attempt + " " + name(failure));
        }

        @Override
        public void onRetry(String method, int attempt, Throwable failure, Duration wait) {
            record("retry", attempt, failure, "retry #" + attempt + " in " + wait.toMillis() + "ms");
        }

        @Override
        public void onRetriesExhausted(String method, int attempts, Throwable failure) {
            record("exhausted", attempts, failure, "exhausted #" + attempts);
        }

        @Override
        public void onRejected(String breaker, CircuitOpenException rejection) {
            record("rejected", 0, rejection, "rejected " + breaker + " " + rejection.state());
        }

        @Override
        public void onStateChange(String breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
            record("state", 0, null, "state " + breaker + " " + from + " -> " + to);
        }

        @Override
        public void onSlowCall(String breaker, Duration took) {
            record("slow", 0, null, "slow " + breaker + " " + took.toMillis() + "ms");
        }

        @Override
        public void onBulkheadFull(String method) {
            record("full", 0, null, "bulkhead full");
        }

        @Override
        public void onRateLimited(String limiter, Duration nextTokenIn) {
            record("ratelimited", 0, null, "rate limited");
        }

        @Override
        public void onRetryBudgetExhausted(String method, String budget) {
            record("budget", 0, null, "budget exhausted");
        }

        @Override
        public void onTimeout(String method, Duration timeout) {
            record("timeout", 0, null, "timeout");
        }

        @Override
        public void onFallback(String method, Throwable failure) {
            record("fallback", 0, failure, "fallback " + name(failure));
        }

        @Override
        public void onFailoverAttempt(String method, int attempt, int delegate) {
            record("failover", attempt, null, "failover #" + attempt + " to " + delegate);
        }

        @Override
        public void onHedge(String method, int attempt) {
            record("hedge", attempt, null, "hedge #" + attempt);
        }

        private List<Event> events() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }

        private void check() {
            List<Event> told = events();
            List<CompletableFuture<String>> results = new ArrayList<>(List.of(result));
            results.addAll(others);
            int made = results.size();
            for (CompletableFuture<String> call : results) {
                if (!call.isDone()) {
                    throw new AssertionError("a call never completed, though every stage has");
                }
                if (call.handle((value, thrown) -> thrown).join() instanceof CompletionException wrapped) {
                    throw new AssertionError("the failure reached the caller wrapped: " + wrapped);
                }
            }
            Throwable failure = result.handle((value, thrown) -> thrown).join();
            String value = failure == null ? result.join() : null;
            long attempts = told.stream().filter(e -> e.type().equals("attempt")).count();
            int calls = delegateCalls.get();
            int worst = made * attemptsMax * delegates;
            if (calls > worst) {
                throw new AssertionError(calls + " delegate calls, more than the worst case " + worst);
            }
            if (attempts > worst) {
                throw new AssertionError(attempts + " attempts told, more than the worst case " + worst);
            }
            if (attempts < calls) {
                throw new AssertionError(calls + " delegate calls but only " + attempts + " attempts told");
            }
            long retries = told.stream().filter(e -> e.type().equals("retry")).count();
            long hedges = told.stream().filter(e -> e.type().equals("hedge")).count();
            if (retries > made * maxRetries || hedges > made * (hedged ? attemptsMax - 1 : 0)) {
                throw new AssertionError(retries + " retries and " + hedges + " hedges told");
            }
            if (delegates > 1) {
                long failovers = told.stream().filter(e -> e.type().equals("failover")).count();
                if (failovers != attempts) {
                    throw new AssertionError(failovers + " attempts went to a delegate, but " + attempts + " were told as ended");
                }
            } else if (made == 1) {
                long distinct = told.stream().filter(e -> e.type().equals("attempt")).mapToInt(Event::attempt).distinct().count();
                if (distinct != attempts) {
                    throw new AssertionError("an attempt was told as ended more than once");
                }
            }
            if (fallbackCalls.get() > made) {
                throw new AssertionError("the fallback was called " + fallbackCalls.get() + " times");
            }
            if (made > 1) {
                checkConcurrentOutcomes(told, results);
            } else if (cancelled) {
                checkCancelled(told, failure);
            } else {
                checkOutcome(told, value, failure);
                // A stage completing on another thread may end the call while the caller's thread goes on with
                // another attempt; otherwise nothing is told once the call is over.
                if (!threaded() && completedMark < told.size()) {
                    throw new AssertionError("told after the call completed: " + told.subList(completedMark, told.size()));
                }
            }
            checkSettled();
        }

        /** Calls made at once: each has a value no other has, or a failure some attempt or stage gave, itself. */
        private void checkConcurrentOutcomes(List<Event> told, List<CompletableFuture<String>> results) {
            List<Object> given = snapshot().stream().map(Source::first).toList();
            List<String> values = new ArrayList<>();
            for (CompletableFuture<String> call : results) {
                if (call.isCancelled()) {
                    continue;
                }
                Throwable failure = call.handle((value, thrown) -> thrown).join();
                if (failure == null) {
                    String value = call.join();
                    if (!given.contains(value)) {
                        throw new AssertionError("a call returned " + value + ", which no stage answered first");
                    }
                    if (!value.startsWith("fallback") && values.contains(value)) {
                        throw new AssertionError("two calls returned " + value);
                    }
                    values.add(value);
                } else if (!(failure instanceof CircuitOpenException) && given.stream().noneMatch(first -> first == failure)
                        && !(threaded() && snapshot().stream().anyMatch(source -> source.behaviour.failure() == failure))
                        && told.stream().noneMatch(e -> e.failure() == failure)
                        && !(hasFallback && fallbackBehaviour.kind() == Kind.NULL && failure instanceof NullPointerException)) {
                    throw new AssertionError("a call failed with " + failure + ", which no attempt or stage gave");
                }
            }
        }

        private void checkCancelled(List<Event> told, Throwable failure) {
            if (!(failure instanceof CancellationException) || !result.isCancelled()) {
                throw new AssertionError("cancelled, but completed with " + failure);
            }
            // A pass going on on another thread may have passed its last check for a cancellation just before it:
            // its delegate is entered, and the attempt is cancelled once it returns.
            boolean threaded = threaded();
            int racing = threaded ? attemptsMax : 0;
            int calls = threaded ? callsAfterCancel : callsAtCancel;
            if (delegateCalls.get() > calls + racing) {
                throw new AssertionError("the delegate was called " + (delegateCalls.get() - calls) + " times after the cancellation");
            }
            if (fallbackCalls.get() > (threaded ? fallbacksAfterCancel + 1 : fallbacksAtCancel)) {
                throw new AssertionError("the fallback was called after the cancellation");
            }
            // On another thread, a pass that checked for a cancellation just before it may still tell what it decided
            // (a retry, say); only what it starts is bounded, above.
            for (Event after : threaded ? List.<Event>of() : told.subList(cancelMark, told.size())) {
                // An attempt ends as cancelled (or, racing the cancellation from another thread, as it ended); one told
                // just before the cancellation may still change its breaker's state (or be found slow). A cancellation while a breaker lets
                // an attempt through (in onStateChange) still has the attempt told as going to its delegate, which it
                // never reaches: it ends as cancelled at once (the delegate calls are counted above).
                boolean ended = after.type().equals("attempt") && (after.failure() instanceof CancellationException || threaded());
                if (!ended && !after.type().equals("state") && !after.type().equals("slow") && !after.type().equals("failover")) {
                    throw new AssertionError("told after the cancellation: " + after);
                }
            }
        }

        /** The call's outcome is what its attempts (or its fallback) gave, itself. */
        private void checkOutcome(List<Event> told, String value, Throwable failure) {
            // Attempts a race stops end as cancelled, after the one that ended it.
            List<Event> attempts = told.stream().filter(e -> e.type().equals("attempt") && !(e.failure() instanceof CancellationException)).toList();
            Throwable lastAttemptFailure = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).failure();
            if (threaded() && failure != null && attempts.stream().anyMatch(e -> e.failure() == failure)) {
                lastAttemptFailure = failure; // attempts that end on two threads at once have no last one
            }
            if (threaded() && fallbackInput != null && attempts.stream().anyMatch(e -> e.failure() == fallbackInput)) {
                lastAttemptFailure = fallbackInput;
            }
            if (fallbackCalls.get() == 1) {
                if (!(fallbackInput instanceof Exception)) {
                    throw new AssertionError("the fallback was called with " + fallbackInput);
                }
                if (!(fallbackInput instanceof CircuitOpenException) && fallbackInput != lastAttemptFailure) {
                    throw new AssertionError("the fallback was called with " + fallbackInput + ", not the last failure " + lastAttemptFailure);
                }
                Object expected = fallbackOutcome != null ? fallbackOutcome : fallbackSource.first();
                if (threaded() && (failure != null && failure == fallbackBehaviour.failure() || value != null && value.equals(fallbackBehaviour.value()))) {
                    expected = failure != null ? failure : value; // a stage answering on another thread while its handle throws: either comes first
                }
                if (expected == NullPointerException.class) {
                    if (!(failure instanceof NullPointerException)) {
                        throw new AssertionError("the fallback returned null, and the call completed with " + describe(value, failure));
                    }
                } else if (expected instanceof Throwable && failure != expected || !(expected instanceof Throwable) && !expected.equals(value)) {
                    throw new AssertionError("the fallback answered " + expected + ", the caller got " + describe(value, failure));
                }
                return;
            }
            if (failure == null) {
                long succeeded = attempts.stream().filter(e -> e.failure() == null).count();
                if (succeeded != 1 && !(threaded() && hedged && succeeded > 1)) { // hedged attempts may both answer at once
                    throw new AssertionError("the call returned " + value + " after " + succeeded + " attempts told as succeeded");
                }
                boolean given = snapshot().stream().anyMatch(source -> source != fallbackSource && value.equals(source.first()));
                if (!given) {
                    throw new AssertionError("the call returned " + value + ", which no stage answered first");
                }
                return;
            }
            if (hasFallback && failure instanceof Exception) {
                throw new AssertionError("the call failed with " + failure + " and did not fall back");
            }
            if (!(failure instanceof CircuitOpenException) && failure != lastAttemptFailure) {
                throw new AssertionError("the call failed with " + failure + ", not the last attempt's failure " + lastAttemptFailure);
            }
        }

        /** Every stage has completed: every slot and permit is back, and nothing is left queued. */
        private void checkSettled() {
            if (time.pendingTasks() != 0) {
                throw new AssertionError(time.pendingTasks() + " timers left queued");
            }
            time.advance(Duration.ofHours(1)); // past every openFor: a stage answered on another thread may have opened a breaker late
            for (int d = 0; d < delegates; d++) {
                Lane<?> lane = lanes().get(d);
                Bulkhead bulkhead = field(lane, "bulkhead", Bulkhead.class);
                if (bulkhead != null && bulkhead.available() != maxConcurrent) {
                    throw new AssertionError("delegate " + d + "'s bulkhead has " + bulkhead.available() + " of " + maxConcurrent + " slots free");
                }
                if (breakerSpec != null) {
                    Breaker breaker = breaker(d);
                    try {
                        breaker.acquire(null).succeeded();
                    } catch (CircuitOpenException stuck) {
                        throw new AssertionError("delegate " + d + "'s breaker refuses a call long after everything ended: " + stuck);
                    }
                }
            }
        }

        @SuppressWarnings("unchecked")
        private List<Lane<?>> lanes() {
            return field(policies.failover, "lanes", List.class);
        }

        /** Whether stages completed on other threads, racing the caller's. */
        private boolean threaded() {
            return snapshot().stream().anyMatch(source -> source.behaviour.kind() == Kind.OTHER_THREAD || source.behaviour.kind() == Kind.TWICE_RACING);
        }

        private String describe(String value, Throwable failure) {
            return failure == null ? value : failure.toString();
        }

        @Override
        public String toString() {
            StringBuilder stages = new StringBuilder();
            for (Source source : snapshot()) {
                stages.append("\n    ").append(source.index).append(": ").append(source.behaviour).append(" -> ").append(source.first())
                        .append(source.pending() ? " (pending)" : "");
            }
            return drawn + "\n  events: " + events() + "\n  delegate calls: " + delegateCalls + ", fallback calls: " + fallbackCalls
                    + "\n  stages:" + stages + "\n  result: " + result + ", others: " + others + ", " + time;
        }
    }

    private static <T> T field(Object owner, String name, Class<T> type) {
        try {
            Field field = owner.getClass().getDeclaredField(name);
            field.setAccessible(true);
            return type.cast(field.get(owner));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    static <X extends Throwable> X sneaky(Throwable failure) throws X {
        throw (X) failure;
    }
}
