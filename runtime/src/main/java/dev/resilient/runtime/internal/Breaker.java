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
 * calls the delegate, and on success reads one more (writing it only after failures).
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

    /** The current state; replaced only by compare-and-set through {@link #PHASE}. */
    private volatile Phase phase;

    Breaker(String name, BreakerSpec spec, ContextCore core) {
        this.name = name;
        this.spec = spec;
        this.time = core.time();
        this.listener = core.listener();
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
            return closed;
        }
        return acquireSlowly(current, lastFailure);
    }

    private Permit acquireSlowly(Phase current, Throwable lastFailure) {
        for (;;) {
            if (current instanceof Closed closed) {
                return closed;
            }
            if (current instanceof HalfOpen halfOpen) {
                if (halfOpen.tryTake()) {
                    return halfOpen;
                }
                throw reject(State.HALF_OPEN, 0, lastFailure);
            }
            Open open = (Open) current;
            long remaining = open.remaining(time.nanoTime());
            if (remaining > 0) {
                throw reject(State.OPEN, remaining, lastFailure);
            }
            transition(open, new HalfOpen());
            current = phase;
        }
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
        return phase instanceof Open open ? Math.max(0, open.remaining(time.nanoTime())) : 0;
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
        Phase current = phase;
        if (current instanceof Open open && open.remaining(time.nanoTime()) <= 0) {
            return State.HALF_OPEN;
        }
        return current.state();
    }

    @Override
    public void forceOpen() {
        moveTo(new Open(Long.MAX_VALUE));
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

    private void trip(Phase from) {
        long openFor = spec.openForNanos();
        long now = time.nanoTime();
        long until;
        try {
            until = Math.addExact(now, openFor);
        } catch (ArithmeticException beyondTheClock) {
            until = Long.MAX_VALUE - 1; // open for centuries, but not held open: Long.MAX_VALUE means that
        }
        transition(from, new Open(until));
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
        private final OutcomeWindow window = new OutcomeWindow(spec.window());

        /** Every outcome decides, successes too: one that fills the window can make the rate. */
        @Override
        public void succeeded() {
            long counts = window.record(false);
            if ((int) counts != 0) {
                decide(counts);
            }
        }

        @Override
        void countFailure() {
            decide(window.record(true));
        }

        private void decide(long counts) {
            int failures = (int) counts;
            long calls = counts >>> 32;
            if (calls >= spec.minimumCalls() && failures >= spec.failureRate() * calls) {
                trip(this);
            }
        }
    }

    private final class Open extends Phase {
        /** When trial calls may start; {@code Long.MAX_VALUE}: held open until reset. */
        private final long until;

        Open(long until) {
            this.until = until;
        }

        @Override
        State state() {
            return State.OPEN;
        }

        long remaining(long now) {
            return until == Long.MAX_VALUE ? Long.MAX_VALUE : until - now;
        }

        @Override
        public void succeeded() {
            // Open hands out no permits.
        }

        @Override
        public void failed(Throwable failure) {
            // Open hands out no permits.
        }
    }

    private final class HalfOpen extends Phase {
        private final AtomicInteger permits = new AtomicInteger(spec.halfOpenCalls());
        private final AtomicInteger successes = new AtomicInteger();

        @Override
        State state() {
            return State.HALF_OPEN;
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
            if (successes.incrementAndGet() >= spec.halfOpenCalls()) {
                transition(this, closed());
            }
        }

        @Override
        public void failed(Throwable failure) {
            switch (spec.classify(failure)) {
                case FAILURE -> trip(this);
                case SUCCESS -> succeeded();
                case SKIPPED -> permits.incrementAndGet();
            }
        }
    }
}
