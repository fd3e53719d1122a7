package dev.resilient.runtime.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Duration;

/**
 * One method's hedge, the level between the fallback and the lanes that a retry takes otherwise:
 * a call is a race of up to {@code maxAttempts} attempts. The first starts at once; each next one
 * starts when the last has gone {@code delay} without an answer, or at once when an attempt
 * fails. The first value wins; the attempts still running are cancelled (asynchronous) or
 * interrupted (synchronous) before the caller has it, and end as cancelled for their breakers and
 * listeners. When every attempt fails, the caller gets the failure that came last.
 *
 * <p>Attempt {@code n} is one pass over the delegates starting at delegate {@code (n - 1) mod
 * delegates}, so under failover each hedge goes to the next delegate first. A pass refused by
 * every breaker, a full bulkhead, a spent rate limit or a refusal of the retry budget (which every
 * attempt after the first draws on) starts no further attempt: those in flight finish the race.
 * A failure that is not an {@link Exception} ends the call at once, as it ends a failover pass.
 *
 * <p>Synchronous attempts run on the context's executor while the caller waits for the race;
 * the delays are timers of the context, so {@code ManualTime} drives them in {@code advance()}.
 */
final class Hedge<D> {
    private final String method;
    private final ContextCore core;
    private final Listeners listener;
    private final long delayNanos;
    private final int maxAttempts;
    private final RetryBudget budget;
    /** Pass {@code i} starts at delegate {@code i}; none of them retries, hedges or falls back. */
    private final List<MethodPolicies<D>> passes;

    /**
     * @param settings {@code @Hedge}'s, overrides applied and checked
     * @param budget the retry budget hedged attempts draw on, or {@code null}
     */
    Hedge(String method, ContextCore core, Settings settings, RetryBudget budget, List<Lane<D>> lanes) {
        this.method = method;
        this.core = core;
        this.listener = core.listener();
        this.delayNanos = settings.nanos(Attribute.HEDGE_DELAY, 0);
        this.maxAttempts = settings.intValue(Attribute.HEDGE_MAX_ATTEMPTS);
        this.budget = budget;
        List<MethodPolicies<D>> passes = new ArrayList<>(lanes.size());
        for (int first = 0; first < lanes.size(); first++) {
            List<Lane<D>> rotated = new ArrayList<>(lanes.subList(first, lanes.size()));
            rotated.addAll(lanes.subList(0, first));
            passes.add(new MethodPolicies<>(method, core, new Failover<>(method, listener, rotated, null), null, null, null));
        }
        this.passes = List.copyOf(passes);
    }

    private MethodPolicies<D> pass(int number) {
        return passes.get((number - 1) % passes.size());
    }

    /**
     * Blocking: races the attempts on the executor and returns the winner's value, or throws the
     * last failure (the same instance). A caller interrupted while it waits stops the race, keeps
     * its interrupt flag and gets a {@link CancellationException}.
     */
    <T> T call(MethodPolicies.Attempt<D, T> attempt) throws Throwable {
        Race<T> race = new Race<>((into, number, after) -> startBlocking(into, attempt, number, after));
        race.begin();
        try {
            return race.result.get();
        } catch (ExecutionException failed) {
            throw race.failure; // itself: get() would unwrap a CompletionException the delegate threw
        } catch (InterruptedException interrupted) {
            race.cancelledByCaller();
            throw Interruptible.interruptedWaiting(method);
        }
    }

    /** Non-blocking: races the attempts of {@code call}, whose fallback (if any) takes the last failure. */
    <T> void callAsync(AsyncCall<D, T> call) {
        Race<T> race = new Race<>((into, number, after) -> startAsync(into, call.attempt(), number, after));
        call.inFlight(race); // the caller's cancellation stops the race
        race.result.handle((value, failure) -> {
            if (failure == null) {
                call.succeed(value);
            } else {
                call.finish(failure);
            }
            return null;
        });
        race.begin();
    }

    private <T> AsyncCall.Cancellable startAsync(Race<T> race, MethodPolicies.Attempt<D, ? extends CompletionStage<? extends T>> attempt,
            int number, Throwable lastFailure) {
        AsyncCall<D, T> pass = pass(number).hedgedPass(attempt, number, lastFailure, race);
        CompletableFuture<T> running = pass.result();
        AsyncCall.Cancellable cancel = () -> running.cancel(false);
        race.starting(number, cancel); // within the race's reach while it starts: its delegate may still run when the race ends
        running.handle((value, failure) -> {
            race.ended(number, value, failure);
            return null;
        });
        pass.start();
        return cancel;
    }

    private <T> AsyncCall.Cancellable startBlocking(Race<T> race, MethodPolicies.Attempt<D, T> attempt, int number,
            Throwable lastFailure) {
        Blocking<T> running = new Blocking<>(race, attempt, number, lastFailure);
        try {
            core.executor().execute(running);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable refused) {
            race.refusedStart(number, refused); // the executor refused it: as a full bulkhead, no further attempt
        }
        return running;
    }

    /** The failure of an attempt that lost the race: breakers count it as neither success nor failure. */
    static CancellationException lost(String method, int number) {
        return new CancellationException(method + " attempt " + number + " lost the race to another");
    }

    /** How one attempt is started: it tells {@code race} how it ended, and can be cancelled. */
    @FunctionalInterface
    private interface Starter<D, T> {
        /** @param lastFailure the race's latest failure, which a breaker's rejection gives as its cause; or {@code null} */
        AsyncCall.Cancellable start(Hedge<D>.Race<T> race, int number, Throwable lastFailure);
    }

    /** One call's race; its state changes under its lock, and what it starts or stops is done outside. */
    final class Race<T> implements AsyncCall.Cancellable {
        final CompletableFuture<T> result = new CompletableFuture<>();
        private final Starter<D, T> starter;
        private final AsyncCall.Cancellable[] attempts = new AsyncCall.Cancellable[maxAttempts];
        private int started;
        private int failed;
        /** No further attempt starts: refused by breakers, bulkhead, rate limit or budget. */
        private boolean stopped;
        private volatile boolean over;
        private Throwable lastFailure;
        /** What the race ended with, when it failed; written before {@link #result} completes. */
        private volatile Throwable failure;
        /** The synchronous attempt whose delegate answered first, which alone may win; 0 until one has. */
        private int answered;
        private Runnable timer;
        /** Starts asked for and not yet made; see {@link #startNext()}. */
        private final AtomicInteger requested = new AtomicInteger();

        Race(Starter<D, T> starter) {
            this.starter = starter;
        }

        void begin() {
            if (budget != null) {
                budget.started();
            }
            startNext();
        }

        boolean isOver() {
            return over;
        }

        /**
         * A synchronous attempt's delegate returned a value: whether it is the first to, and so
         * may win; once one has, no other attempt reaches its delegate or starts.
         */
        synchronized boolean answered(int number) {
            if (answered == 0 && !over) {
                answered = number;
            }
            return answered == number;
        }

        /** Whether a synchronous attempt may still call its delegate. */
        synchronized boolean mayCall() {
            return !over && answered == 0;
        }

        /** Attempt {@code number} is starting: ending the race from now on stops it. */
        synchronized void starting(int number, AsyncCall.Cancellable attempt) {
            attempts[number - 1] = attempt;
        }

        /** An attempt could not be started (the executor refused it): it failed, and no further one starts. */
        void refusedStart(int number, Throwable refusal) {
            synchronized (this) {
                stopped = true;
            }
            ended(number, null, refusal);
        }

        /**
         * Asks for the next attempt. The thread that finds no other starting one starts it, and
         * any asked for meanwhile, one after the other: attempts that answer at once, or a delay
         * of 0, never nest one start inside another, however many attempts there are.
         */
        private void startNext() {
            if (requested.getAndIncrement() != 0) {
                return;
            }
            do {
                startOne();
            } while (requested.decrementAndGet() != 0);
        }

        /** Starts the next attempt unless the race is over or has none left; then asks for or arms the one after. */
        private void startOne() {
            int number;
            Runnable stale;
            Throwable after;
            synchronized (this) {
                if (over || stopped || answered != 0 || started == maxAttempts) {
                    return;
                }
                number = ++started;
                stale = timer;
                timer = null;
                after = lastFailure;
            }
            if (stale != null) {
                stale.run(); // an attempt failed before the delay was up: the delay starts again from this one
            }
            if (number > 1 && !mayStart(number, after)) {
                return;
            }
            synchronized (this) {
                if (over) {
                    return; // it ended while this attempt was told to listeners: it does not start
                }
            }
            AsyncCall.Cancellable running = starter.start(this, number, after);
            boolean late;
            synchronized (this) {
                attempts[number - 1] = running;
                late = over;
            }
            if (late) {
                running.cancelledByCaller(); // the race ended while it started: a no-op if it won
            } else if (number < maxAttempts) {
                if (delayNanos == 0) {
                    startNext();
                } else {
                    arm(number);
                }
            }
        }

        /**
         * Whether hedged attempt {@code number} may start, which is told to listeners: not when
         * every breaker of its pass is open (no hopeless attempt, as no hopeless wait for a
         * retry), nor when the retry budget refuses it; either refusal starts no further attempt.
         */
        private boolean mayStart(int number, Throwable after) {
            Admission next = pass(number).failover.admission();
            if (next != null && next.openNanos() > 0) {
                refused(next.rejection(after));
                return false;
            }
            if (budget == null || budget.tryRetry(method, listener)) {
                listener.hedge(method, number);
                return true;
            }
            refused(null);
            return false;
        }

        /**
         * Attempt {@link #started} was not started after all, nor will any other be; when every
         * one started has failed, the call ends with {@code rejection}, or else the last failure.
         */
        private void refused(Throwable rejection) {
            boolean allFailed;
            synchronized (this) {
                started--;
                stopped = true;
                allFailed = !over && failed == started;
                over |= allFailed;
            }
            if (allFailed) {
                end(null, rejection != null ? rejection : lastFailure);
            }
        }

        private void arm(int number) {
            Runnable armed;
            try {
                armed = core.schedule(this::startNext, delayNanos);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable refused) {
                return; // the scheduler refused the timer: only a failure starts the next attempt
            }
            boolean stale;
            synchronized (this) {
                stale = over || stopped || started != number;
                if (!stale) {
                    timer = armed;
                }
            }
            if (stale) {
                armed.run();
            }
        }

        /** Attempt {@code number} ended: with the winning value, or a failure that may start the next. */
        void ended(int number, T value, Throwable failure) {
            boolean finish;
            boolean next = false;
            synchronized (this) {
                if (over) {
                    return;
                }
                if (failure == null || !(failure instanceof Exception)) {
                    finish = true;
                } else {
                    failed++;
                    lastFailure = failure;
                    if (answered == number) {
                        answered = 0; // its answer failed after all (failOnResult threw, its timeout came first): another may win
                    }
                    stopped |= !RetrySpec.retriesAnyException(failure); // a refusal: another attempt would be refused too
                    next = !stopped && started < maxAttempts;
                    finish = !next && failed == started;
                }
                over = finish;
            }
            if (finish) {
                end(value, failure);
            } else if (next) {
                startNext();
            }
        }

        /**
         * The race is over: its timer is dropped and the attempts still running are stopped
         * before the caller has the outcome, so that none is still running when it does.
         */
        private void end(T value, Throwable failure) {
            this.failure = failure;
            stopAll();
            Stages.complete(result, value, failure);
        }

        @Override
        public void cancelledByCaller() {
            synchronized (this) {
                if (over) {
                    return;
                }
                over = true;
            }
            result.cancel(false);
            stopAll();
        }

        private void dropTimer() {
            Runnable armed;
            synchronized (this) {
                armed = timer;
                timer = null;
            }
            if (armed != null) {
                armed.run();
            }
        }

        private void stopAll() {
            dropTimer();
            AsyncCall.Cancellable[] running;
            synchronized (this) {
                running = attempts.clone();
            }
            for (AsyncCall.Cancellable attempt : running) {
                if (attempt != null) {
                    attempt.cancelledByCaller(); // a no-op for those that have ended
                }
            }
        }
    }

    /** One synchronous attempt on an executor thread; cancelling it interrupts that thread. */
    private final class Blocking<T> extends Interruptible implements AsyncCall.Cancellable {
        private final Race<T> race;
        private final MethodPolicies.Attempt<D, T> attempt;
        private final int number;
        private final Throwable lastFailure;
        private T value;
        private Throwable failure;

        Blocking(Race<T> race, MethodPolicies.Attempt<D, T> attempt, int number, Throwable lastFailure) {
            this.race = race;
            this.attempt = attempt;
            this.number = number;
            this.lastFailure = lastFailure;
        }

        @Override
        void work() {
            try {
                value = pass(number).failover.pass(this::delegateCall, number, lastFailure, race);
            } catch (Throwable thrown) {
                failure = thrown;
            }
        }

        @Override
        void ended() {
            race.ended(number, value, failure);
        }

        /**
         * The delegate's call, made only while no other attempt has answered; once another has,
         * whatever this one ends with counts as cancelled, a value too.
         */
        private T delegateCall(D delegate) throws Throwable {
            if (!race.mayCall()) {
                throw lost(method, number);
            }
            T answer;
            try {
                answer = attempt.run(delegate);
            } catch (Throwable failure) {
                if (!race.isOver()) {
                    throw failure;
                }
                throw (CancellationException) lost(method, number).initCause(failure);
            }
            if (!race.answered(number)) {
                throw lost(method, number);
            }
            return answer;
        }

        @Override
        public void cancelledByCaller() {
            stop();
        }
    }

    @Override
    public String toString() {
        return "Hedge[" + method + " delay=" + DurationFormat.text(Duration.ofNanos(delayNanos)) + ", maxAttempts="
                + maxAttempts + "]";
    }
}
