package dev.resilient.runtime.internal;

import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.TimeSource;
import java.util.Objects;

/**
 * One method's retry: its decisions, its blocking and its asynchronous waits. A method whose only
 * policies are retry and breaker has its loop written into the generated method around the
 * delegate call, and this answers the loop's questions, telling the listener of each attempt:
 *
 * <pre>{@code
 * long start = retry.start();
 * Throwable lastFailure = null;
 * for (int attempt = 1; ; attempt++) {
 *     Permit permit = breaker.acquire(lastFailure);
 *     Forecast result;
 *     try {
 *         result = delegate.forecast(city);
 *     } catch (Throwable failure) {
 *         lastFailure = retry.retryOrThrow(failure, attempt, permit, start);
 *         continue;
 *     }
 *     retry.succeeded(attempt, permit); // where values are judged: the judges called, lastFailure = retry.judged(...)
 *     return result;
 * }
 * }</pre>
 *
 * <p>Every other method's calls go through {@link MethodPolicies}, where this is the level
 * between the fallback and the failover.
 */
public final class Retry {
    /** {@link #nextWait}: give up, the caller gets the failure. */
    static final long GIVE_UP = -1;
    /** {@link #nextWait}: the next attempt could not pass its breakers after the wait; end with their rejection. */
    static final long HOPELESS = -2;

    private final String method;
    private final RetrySpec spec;
    private final ContextCore core;
    private final TimeSource time;
    private final Listeners listener;
    /** Whether {@link #start()} reads the clock: for a {@code maxDuration}. */
    private final boolean timed;
    private final Outcomes outcomes;
    /** The retry budget retries draw on, or {@code null}. */
    private final RetryBudget budget;

    Retry(String method, RetrySpec spec, ContextCore core) {
        this(method, spec, core, Outcomes.none());
    }

    /** @param outcomes what the interface's methods say of rejected values and of waits */
    Retry(String method, RetrySpec spec, ContextCore core, Outcomes outcomes) {
        this(method, spec, core, outcomes, null);
    }

    /** @param budget the retry budget its retries draw on, or {@code null} */
    Retry(String method, RetrySpec spec, ContextCore core, Outcomes outcomes, RetryBudget budget) {
        this.method = Objects.requireNonNull(method, "method");
        this.spec = core.configure(method, Objects.requireNonNull(spec, "spec"));
        this.core = core;
        this.time = core.time();
        this.listener = core.listener();
        this.timed = this.spec.maxDurationNanos() != RetrySpec.UNSET;
        this.outcomes = outcomes;
        this.budget = budget;
    }

    /** The retry of {@code method} ({@code "Interface.method"}), its overrides applied, waiting with {@code context}'s time. */
    public static Retry create(ResilienceContext context, String method, RetrySpec spec) {
        return new Retry(method, spec, ContextCore.of(context));
    }

    /**
     * Whether {@code failure} moves a failover pass on to the next delegate: what this retry
     * would retry, attempts and budget aside; {@code retry} may be {@code null} (no
     * {@code @Retryable}), and then any {@link Exception} does.
     */
    static boolean movesOn(Retry retry, Throwable failure) {
        return retry != null ? retry.retries(failure) : RetrySpec.retriesAnyException(failure);
    }

    /** Whether this retry retries {@code failure}: what its lists say, and always a rejected value. */
    private boolean retries(Throwable failure) {
        return failure instanceof Outcomes.Rejected || spec.retries(failure);
    }

    RetrySpec spec() {
        return spec;
    }

    /**
     * A call starts: one call more for its retry budget, and where its {@code maxDuration} starts;
     * the clock is read only for the latter.
     */
    public long start() {
        if (budget != null) {
            budget.started();
        }
        return timed ? time.nanoTime() : 0;
    }

    /** Attempt {@code attempt} of a method without a breaker returned normally. */
    public void succeeded(int attempt) {
        listener.attempt(method, attempt, null);
    }

    /** Attempt {@code attempt} returned normally; its breaker records it. */
    public void succeeded(int attempt, Permit permit) {
        listener.attempt(method, attempt, null);
        permit.succeeded();
    }

    /** What {@link #judged} returns when the caller gets the value. */
    public static final Throwable ACCEPTED = new Outcomes.Marker("the value was accepted");

    /**
     * Attempt {@code attempt} returned {@code value}, for a loop whose method names methods that
     * judge values, which the loop has called: {@code failed}, what {@code failOnResult} said,
     * has its breaker record a failure; {@code retried}, what {@code retryOnResult} said, retries
     * the value, after the wait, as a failure would be.
     *
     * @return {@link #ACCEPTED} when the caller gets {@code value}; otherwise, after the wait,
     *     {@code null}: what the next attempt's rejection by its breaker would be caused by
     */
    public Throwable judged(Object value, boolean failed, boolean retried, int attempt, Permit permit, long start) {
        listener.attempt(method, attempt, null);
        return judgement(Outcomes.settle(value, failed, retried, permit), attempt, permit, start);
    }

    /** Like {@link #judged(Object, boolean, boolean, int, Permit, long)} for a method without a breaker. */
    public Throwable judged(Object value, boolean retried, int attempt, long start) {
        return judged(value, false, retried, attempt, Permit.NONE, start);
    }

    /**
     * Attempt {@code attempt} returned, and a named method threw {@code broken} judging its value:
     * the listener hears that the delegate answered, and the attempt fails with {@code broken} as
     * the delegate's own failure would, for its breaker and for retry.
     *
     * @return {@code broken}, once the wait before the next attempt is over: what the next
     *     attempt's rejection by its breaker would be caused by
     * @throws RuntimeException {@code broken} itself, when it is not retried
     */
    public Throwable judgeBroke(Throwable broken, int attempt, Permit permit, long start) {
        listener.attempt(method, attempt, null);
        return judgement(Outcomes.broke(broken, permit), attempt, permit, start);
    }

    /** Like {@link #judgeBroke(Throwable, int, Permit, long)} for a method without a breaker. */
    public Throwable judgeBroke(Throwable broken, int attempt, long start) {
        return judgeBroke(broken, attempt, Permit.NONE, start);
    }

    /**
     * What a judged attempt leads to, {@code outcome} being what it amounts to: {@code null} for
     * an accepted value, a rejected one, or what a named method threw.
     */
    private Throwable judgement(Throwable outcome, int attempt, Permit permit, long start) {
        if (outcome == null) {
            return ACCEPTED;
        }
        if (waitBefore(outcome, attempt, start, permit.admission())) {
            return Outcomes.failure(outcome);
        }
        if (outcome instanceof Outcomes.Rejected) {
            return ACCEPTED; // retrying is over: the caller gets the rejected value
        }
        throw Rethrow.unchecked(outcome); // a named method threw: the call ends with it
    }

    /**
     * Attempt {@code attempt} of a method without a breaker threw {@code failure}: decides whether
     * to attempt again, and if so waits first.
     *
     * @param start what {@link #start()} returned when the call began
     * @return {@code true} to attempt again; {@code false} to throw {@code failure} to the caller,
     *     with the thread's interrupt flag set when an interrupt ended the retries
     */
    public boolean retry(Throwable failure, int attempt, long start) {
        listener.attempt(method, attempt, failure);
        return waitBefore(failure, attempt, start, null);
    }

    /**
     * Like {@link #retry(Throwable, int, long)} for an attempt that held {@code permit}: its
     * breaker records the failure first, and when that breaker then stays open longer than the
     * wait, no wait is made and the call ends at once.
     *
     * @throws dev.resilient.runtime.CircuitOpenException caused by {@code failure}, when the next
     *     attempt could not pass the breaker after the wait
     */
    public boolean retry(Throwable failure, int attempt, Permit permit, long start) {
        listener.attempt(method, attempt, failure);
        permit.failed(failure);
        return waitBefore(failure, attempt, start, permit.admission());
    }

    /**
     * For the loop written out inline: like {@link #retry(Throwable, int, long)}, but throws
     * {@code failure} itself, unwrapped, where that says not to attempt again.
     *
     * @return {@code failure}, once the wait before the next attempt is over
     */
    public Throwable retryOrThrow(Throwable failure, int attempt, long start) {
        return retry(failure, attempt, start) ? failure : thrown(failure);
    }

    /**
     * For the loop written out inline: like {@link #retry(Throwable, int, Permit, long)}, but
     * throws {@code failure} itself, unwrapped, where that says not to attempt again.
     *
     * @return {@code failure}, once the wait before the next attempt is over: what the next
     *     attempt's rejection by its breaker would be caused by
     */
    public Throwable retryOrThrow(Throwable failure, int attempt, Permit permit, long start) {
        return retry(failure, attempt, permit, start) ? failure : thrown(failure);
    }

    /** Throws {@code failure}, which can only be one the delegate's method declares, or unchecked. */
    private static Throwable thrown(Throwable failure) {
        throw Rethrow.unchecked(failure);
    }

    /**
     * Blocking: attempts through {@code failover} until one answers or retrying stops; when it
     * stops on a value that {@code retryOnResult} rejected, returns that value.
     */
    @SuppressWarnings("unchecked")
    <D, T> T call(Failover<D> failover, MethodPolicies.Attempt<D, T> attempt) throws Throwable {
        long start = start();
        Throwable lastFailure = null;
        for (int number = 1; ; number++) {
            try {
                return failover.pass(attempt, number, lastFailure);
            } catch (Throwable failure) {
                if (!waitBefore(failure, number, start, failover.admission())) {
                    if (failure instanceof Outcomes.Rejected rejected) {
                        return (T) rejected.value; // the value of this method's attempt
                    }
                    throw failure;
                }
                lastFailure = Outcomes.failure(failure);
            }
        }
    }

    /** Blocking: waits before the next attempt, or says there is none; {@code next} may be null. */
    private boolean waitBefore(Throwable failure, int attempt, long start, Admission next) {
        long wait = nextWait(failure, attempt, start, next);
        if (wait == HOPELESS) {
            if (failure instanceof Outcomes.Rejected) {
                return false; // the caller gets the rejected value rather than the rejection
            }
            throw next.rejection(failure);
        }
        if (wait == GIVE_UP) {
            return false;
        }
        try {
            time.sleep(wait);
            return true;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Non-blocking: the attempt of {@code call} failed; schedules the next one, or finishes the call. */
    void passFailed(AsyncCall<?, ?> call, Throwable failure, Admission next) {
        long wait;
        try {
            wait = nextWait(failure, call.number(), call.startedAt(), next);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable broken) {
            call.finish(broken); // waitFrom threw: the call ends with it, as a blocking one does
            return;
        }
        if (wait == HOPELESS) {
            call.finish(failure instanceof Outcomes.Rejected ? failure : next.rejection(failure));
            return;
        }
        if (wait == GIVE_UP) {
            call.finish(failure);
            return;
        }
        call.waiting(failure);
        Runnable scheduled;
        try {
            scheduled = core.schedule(call::waited, wait);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable refused) {
            call.finish(refused); // the scheduler refused the wait: the call cannot go on
            return;
        }
        call.waitScheduled(scheduled);
    }

    /**
     * The wait before attempting the call again after {@code failure}, {@link #GIVE_UP} or
     * {@link #HOPELESS}; tells the listener of the retry or of the exhaustion. Waits nothing
     * itself: asynchronous calls schedule the wait.
     *
     * @param next what the next attempt must pass, or {@code null}
     */
    long nextWait(Throwable failure, int attempt, long start, Admission next) {
        if (Interruptible.keepsInterrupt(failure)) {
            return GIVE_UP;
        }
        if (!retries(failure)) {
            return GIVE_UP;
        }
        if (attempt >= spec.maxAttempts()) {
            listener.retriesExhausted(method, attempt, Outcomes.failure(failure));
            return GIVE_UP;
        }
        long suggested = outcomes.suggestedWait(failure);
        long wait = suggested >= 0 ? spec.capped(suggested) : jitter(spec.cappedWait(attempt));
        long maxDuration = spec.maxDurationNanos();
        if (maxDuration != RetrySpec.UNSET && wait > maxDuration - (time.nanoTime() - start)) {
            listener.retriesExhausted(method, attempt, Outcomes.failure(failure));
            return GIVE_UP;
        }
        if (next != null && next.openNanos() > wait) {
            return HOPELESS;
        }
        if (budget != null && !budget.tryRetry(method, listener)) {
            return GIVE_UP; // before any wait: the caller gets this failure, as when attempts run out
        }
        listener.retry(method, attempt, Outcomes.failure(failure), wait);
        return wait;
    }

    private long jitter(long wait) {
        return switch (spec.jitter()) {
            case NONE -> wait;
            case FULL -> core.randomUpTo(wait);
            case EQUAL -> wait - core.randomUpTo(wait - wait / 2);
        };
    }

    @Override
    public String toString() {
        return "Retry[" + method + " " + spec + "]";
    }
}
