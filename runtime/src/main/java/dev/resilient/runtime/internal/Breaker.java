package dev.resilient.runtime.internal;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.TimeSource;
import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.util.Optional;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A circuit breaker: one state machine for both counting modes.
 *
 * <p>Each state is an object held in one volatile field; a transition replaces it with
 * compare-and-set, so a late outcome recorded into a state that is no longer current changes
 * nothing. A closed state is its own {@link Permit}: the common path reads one volatile field,
 * calls the delegate, and on success reads one more (writing it only after failures). Only a
 * breaker that times its attempts ({@code slowCall}) hands out a permit of its own per attempt, a
 * {@link Timed} one holding the time the attempt began.
 */
public final class Breaker implements CircuitBreaker, Admission {
    private static final VarHandle PHASE;
    private static final VarHandle FAILURES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PHASE = lookup.findVarHandle(Breaker.class, "phase", Phase.class);
            FAILURES = lookup.findVarHandle(ConsecutiveClosed.class, "failures", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final BreakerSpec spec;
    private final TimeSource time;
    private final Listeners listener;
    /** Where time windows tick; see {@link TimeBuckets}. */
    private final TimeBuckets.Ticks ticks;
    /** Whether attempts are timed: the breaker has a {@code slowCall}. */
    private final boolean timed;

    /** The current state; replaced only by compare-and-set through {@link #PHASE}. */
    private volatile Phase phase;

    Breaker(String name, BreakerSpec spec, ContextCore core) {
        this.name = name;
        this.spec = spec;
        this.time = core.time();
        this.listener = core.listener();
        this.ticks = core.ticks();
        this.timed = spec.slowCallNanos() > 0;
        this.phase = closed();
    }

    /**
     * The breaker {@code name} in {@code context}, registered by this call, with {@code spec}'s
     * settings and the overrides of that name, if it is the first to declare it.
     *
     * @throws IllegalArgumentException when the context already has a breaker of that name with
     *     other settings, or the name is blank
     */
    public static Breaker declare(ResilienceContext context, String name, BreakerSpec spec) {
        return ContextCore.of(context).declare(name, spec);
    }

    BreakerSpec spec() {
        return spec;
    }

    /**
     * Leave for one attempt.
     *
     * @param lastFailure the failure of the call's previous attempt, or {@code null}; it becomes
     *     the cause of the rejection
     * @throws CircuitOpenException when the breaker is open, or half-open with its trial calls taken
     */
    public Permit acquire(Throwable lastFailure) {
        Phase current = phase;
        if (current instanceof Closed closed) {
            return timed ? new Timed(closed, time.nanoTime()) : closed;
        }
        return acquireSlowly(current, lastFailure);
    }

    private Permit acquireSlowly(Phase current, Throwable lastFailure) {
        for (;;) {
            if (current instanceof Closed closed) {
                return timed ? new Timed(closed, time.nanoTime()) : closed;
            }
            if (current instanceof HalfOpen halfOpen) {
                if (halfOpen.expire(time.nanoTime())) {
                    current = phase;
                    continue;
                }
                if (halfOpen.tryTake()) {
                    return timed ? new Timed(halfOpen, time.nanoTime()) : halfOpen;
                }
                throw reject(State.HALF_OPEN, 0, lastFailure);
            }
            Open open = (Open) current;
            long now = time.nanoTime();
            long remaining = open.remaining(now);
            if (remaining > 0) {
                throw reject(State.OPEN, remaining, lastFailure);
            }
            transition(open, new HalfOpen(open.openFor, now));
            current = phase;
        }
    }

    /** The current state, once a half-open state past its {@code maxHalfOpen} has opened again. */
    private Phase current() {
        Phase current = phase;
        if (current instanceof HalfOpen halfOpen && halfOpen.expire(time.nanoTime())) {
            return phase;
        }
        return current;
    }

    @Override
    public Optional<Duration> timeLeftOpen() {
        long nanos = openNanos();
        return nanos == Long.MAX_VALUE ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
    }

    @Override
    public String settings() {
        return spec.settings();
    }

    @Override
    public long openNanos() {
        return current() instanceof Open open ? Math.max(0, open.remaining(time.nanoTime())) : 0;
    }

    @Override
    public CircuitOpenException rejection(Throwable lastFailure) {
        long remaining = openNanos();
        return reject(remaining > 0 ? State.OPEN : State.HALF_OPEN, remaining, lastFailure);
    }

    private CircuitOpenException reject(State state, long remainingNanos, Throwable lastFailure) {
        CircuitOpenException rejection = new CircuitOpenException(name, state, remainingNanos, lastFailure);
        listener.rejected(name, rejection);
        return rejection;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public State state() {
        Phase current = current();
        if (current instanceof Open open && open.remaining(time.nanoTime()) <= 0) {
            return State.HALF_OPEN;
        }
        return current.state();
    }

    @Override
    public void forceOpen() {
        moveTo(new Open(0, spec.openForNanos(), true));
    }

    @Override
    public void reset() {
        moveTo(closed());
    }

    private void moveTo(Phase next) {
        Phase previous = (Phase) PHASE.getAndSet(this, next);
        if (previous.state() != next.state()) {
            listener.stateChange(name, previous.state(), next.state());
        }
    }

    /** Replaces {@code from} with {@code to} unless another thread moved first. */
    private void transition(Phase from, Phase to) {
        if (PHASE.compareAndSet(this, from, to)) {
            listener.stateChange(name, from.state(), to.state());
        }
    }

    /** Opens the breaker from {@code from} at {@code at}: for {@code openFor}, or longer after a re-opening from half-open. */
    private void trip(Phase from, long at) {
        long openFor = from instanceof HalfOpen halfOpen ? spec.nextOpenForNanos(halfOpen.openedFor) : spec.openForNanos();
        // Readings compare by their difference, so the sum may pass Long.MAX_VALUE as the clock may.
        transition(from, new Open(at + openFor, openFor, false));
    }

    private void trip(Phase from) {
        trip(from, time.nanoTime());
    }

    private Closed closed() {
        return spec.rateMode() ? new RateClosed() : new ConsecutiveClosed();
    }

    @Override
    public String toString() {
        return "CircuitBreaker[" + name + " " + state() + "]";
    }

    /** A state of the breaker; the closed and half-open ones are also its permits. */
    private abstract class Phase extends Permit {
        abstract State state();

        /** A timed attempt on this state's permit ended at {@code now}, counting as {@code outcome}, slow or not. */
        abstract void ended(BreakerSpec.Outcome outcome, boolean slow, long now);

        @Override
        final Admission admission() {
            return Breaker.this;
        }
    }

    private abstract class Closed extends Phase {
        @Override
        final State state() {
            return State.CLOSED;
        }

        @Override
        public final void failed(Throwable failure) {
            switch (spec.classify(failure)) {
                case FAILURE -> countFailure();
                case SUCCESS -> succeeded();
                case SKIPPED -> {}
            }
        }

        abstract void countFailure();

        @Override
        void ended(BreakerSpec.Outcome outcome, boolean slow, long now) {
            switch (outcome) {
                case FAILURE -> countFailure();
                case SUCCESS -> succeeded();
                case SKIPPED -> {}
            }
        }
    }

    private final class ConsecutiveClosed extends Closed {
        /** Failures in a row; read on every success, written only after failures. */
        private volatile int failures;

        @Override
        public void succeeded() {
            if (failures != 0) {
                failures = 0;
            }
        }

        @Override
        void countFailure() {
            if ((int) FAILURES.getAndAdd(this, 1) + 1 >= spec.failureThreshold()) {
                trip(this);
            }
        }
    }

    private final class RateClosed extends Closed {
        private final OutcomeWindow window = OutcomeWindow.of(spec, time, ticks);

        /** Every outcome decides, successes too: one that fills the window can make the rate. */
        @Override
        public void succeeded() {
            if (window.record(false)) {
                trip(this);
            }
        }

        @Override
        void countFailure() {
            if (window.record(true)) {
                trip(this);
            }
        }

        @Override
        void ended(BreakerSpec.Outcome outcome, boolean slow, long now) {
            if (outcome != BreakerSpec.Outcome.SKIPPED && window.record(now, outcome == BreakerSpec.Outcome.FAILURE, slow)) {
                trip(this, now);
            }
        }
    }

    private final class Open extends Phase {
        /** When trial calls may start, a reading of the clock (compared by difference); unused when {@link #held}. */
        private final long until;
        /** How long it was opened for: what a re-opening after its trial calls multiplies. */
        private final long openFor;

        /** Held open until reset. */
        private final boolean held;

        Open(long until, long openFor, boolean held) {
            this.until = until;
            this.held = held;
            this.openFor = openFor;
        }

        @Override
        State state() {
            return State.OPEN;
        }

        long remaining(long now) {
            // Long.MAX_VALUE means held open: a breaker opened for that long is open for a nanosecond less.
            return held ? Long.MAX_VALUE : Math.min(until - now, Long.MAX_VALUE - 1);
        }

        @Override
        public void succeeded() {
            // Open hands out no permits.
        }

        @Override
        public void failed(Throwable failure) {
            // Open hands out no permits.
        }

        @Override
        void ended(BreakerSpec.Outcome outcome, boolean slow, long now) {
            // Open hands out no permits.
        }
    }

    /**
     * Trial calls. With {@code maxHalfOpen} it lasts until {@link #deadline} at most: the first
     * look at it from then on (an outcome, an acquire, a state query) opens the breaker again as
     * of the deadline, so the trial calls still in flight change nothing.
     */
    private final class HalfOpen extends Phase {
        private final AtomicInteger permits = new AtomicInteger(spec.halfOpenCalls());
        private final AtomicInteger successes = new AtomicInteger();
        /** How long the open state before it lasted. */
        private final long openedFor;
        /** Whether {@code maxHalfOpen} bounds it. */
        private final boolean bounded;
        /** When it opens again whatever its trial calls do, a reading of the clock (compared by difference). */
        private final long deadline;

        HalfOpen(long openedFor, long now) {
            this.openedFor = openedFor;
            long bound = spec.maxHalfOpenNanos();
            this.bounded = bound != 0;
            this.deadline = now + bound;
        }

        /** Whether {@code now} has reached its deadline. */
        boolean expired(long now) {
            return bounded && now - deadline >= 0;
        }

        @Override
        State state() {
            return State.HALF_OPEN;
        }

        /** Opens the breaker again, as of the deadline, once {@code now} has reached it; whether it had. */
        boolean expire(long now) {
            if (!expired(now)) {
                return false;
            }
            trip(this, deadline);
            return true;
        }

        boolean tryTake() {
            for (;;) {
                int left = permits.get();
                if (left <= 0) {
                    return false;
                }
                if (permits.compareAndSet(left, left - 1)) {
                    return true;
                }
            }
        }

        @Override
        public void succeeded() {
            ended(BreakerSpec.Outcome.SUCCESS, false, time.nanoTime());
        }

        @Override
        public void failed(Throwable failure) {
            ended(spec.classify(failure), false, time.nanoTime());
        }

        @Override
        void ended(BreakerSpec.Outcome outcome, boolean slow, long now) {
            if (expire(now)) {
                return;
            }
            if (outcome == BreakerSpec.Outcome.FAILURE || slow) {
                trip(this, now);
            } else if (outcome == BreakerSpec.Outcome.SUCCESS) {
                if (successes.incrementAndGet() >= spec.halfOpenCalls()) {
                    transition(this, closed());
                }
            } else {
                permits.incrementAndGet();
            }
        }
    }

    /**
     * The permit of one attempt on a breaker that times its attempts: the state it was taken from
     * and when the attempt began. An attempt that ends in at least {@code slowCall} is slow,
     * whatever its outcome; a skipped one is not counted at all.
     */
    private final class Timed extends Permit {
        private final Phase phase;
        /** When the attempt began: admitted by the breaker, or later, once it had its rate-limit token. */
        private long start;

        Timed(Phase phase, long start) {
            this.phase = phase;
            this.start = start;
        }

        @Override
        void restart() {
            start = time.nanoTime();
        }

        @Override
        public void succeeded() {
            end(BreakerSpec.Outcome.SUCCESS);
        }

        @Override
        public void failed(Throwable failure) {
            end(spec.classify(failure));
        }

        private void end(BreakerSpec.Outcome outcome) {
            long now = time.nanoTime();
            long took = now - start;
            boolean slow = outcome != BreakerSpec.Outcome.SKIPPED && took >= spec.slowCallNanos();
            if (slow && counts(now)) {
                listener.slowCall(name, took);
            }
            phase.ended(outcome, slow, now);
        }

        /** Whether its outcome still counts: its state is current, and not a half-open one past {@code maxHalfOpen}. */
        private boolean counts(long now) {
            return phase == Breaker.this.phase && !(phase instanceof HalfOpen halfOpen && halfOpen.expired(now));
        }

        @Override
        Admission admission() {
            return Breaker.this;
        }
    }
}
