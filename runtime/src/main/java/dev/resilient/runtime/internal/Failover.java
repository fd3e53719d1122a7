package dev.resilient.runtime.internal;

import dev.resilient.runtime.CircuitOpenException;
import java.util.List;

/**
 * One attempt of a call as a pass over the method's lanes, the primary first: a lane whose
 * breaker is open is skipped; a failure the method's retry would retry (any {@link Exception}
 * without a retry) moves on to the next lane at once; any other failure ends the pass. The pass
 * fails with the last failure, or with the last rejection when every breaker was open. A plain
 * wrapper's pass has one lane; a {@link Hedge}'s passes start at another delegate each. As an
 * {@link Admission}: what the next attempt must pass.
 */
final class Failover<D> implements Admission {
    private final String method;
    private final Listeners listener;
    private final List<Lane<D>> lanes;
    private final Retry retry;
    private final boolean hasBreakers;

    /** @param retry the method's retry, which decides what moves on; {@code null} when it has none */
    Failover(String method, Listeners listener, List<Lane<D>> lanes, Retry retry) {
        this.method = method;
        this.listener = listener;
        this.lanes = List.copyOf(lanes);
        this.retry = retry;
        this.hasBreakers = lanes.get(0).breaker() != null;
    }

    private boolean failover() {
        return lanes.size() > 1;
    }

    private boolean movesOn(Throwable failure) {
        return failover() && Retry.movesOn(retry, failure);
    }

    /** Blocking: attempt {@code number}, after {@code lastFailure} (or {@code null} for the first). */
    <T> T pass(MethodPolicies.Attempt<D, T> attempt, int number, Throwable lastFailure) throws Throwable {
        return pass(attempt, number, lastFailure, null);
    }

    /**
     * Like {@link #pass(MethodPolicies.Attempt, int, Throwable)} for a hedged attempt, which moves
     * on to no further delegate once {@code race} is over.
     */
    <T> T pass(MethodPolicies.Attempt<D, T> attempt, int number, Throwable lastFailure, Hedge<?>.Race<?> race) throws Throwable {
        Throwable passFailure = null;
        CircuitOpenException rejection = null;
        for (int index = 0; index < lanes.size(); index++) {
            if (race != null && index > 0 && race.isOver()) {
                throw Hedge.lost(method, number);
            }
            Lane<D> lane = lanes.get(index);
            Permit permit;
            try {
                permit = lane.acquire(lastFailure);
            } catch (CircuitOpenException open) {
                rejection = open;
                continue;
            }
            if (failover()) {
                listener.failoverAttempt(method, number, lane.index());
            }
            try {
                return lane.call(attempt, permit, number);
            } catch (Throwable failure) {
                if (!movesOn(failure)) {
                    throw failure;
                }
                passFailure = failure;
            }
        }
        throw passFailure != null ? passFailure : rejection;
    }

    /** Non-blocking: goes on with the pass of {@code call} at lane {@code index}. */
    <T> void passAsync(AsyncCall<D, T> call, int index, Throwable passFailure, CircuitOpenException rejection, boolean starting) {
        if (call.isOver()) {
            return;
        }
        if (index == lanes.size()) {
            call.passFailed(passFailure != null ? passFailure : rejection);
            return;
        }
        Lane<D> lane = lanes.get(index);
        Permit permit;
        try {
            permit = lane.acquire(call.lastFailure());
        } catch (CircuitOpenException open) {
            passAsync(call, index + 1, passFailure, open, starting);
            return;
        }
        if (failover()) {
            listener.failoverAttempt(method, call.number(), lane.index());
        }
        lane.callAsync(call, permit, index, rejection, starting);
    }

    /** Lane {@code index} ended its attempt, recorded: the call has its value, moves on, or the pass failed. */
    <T> void laneEnded(AsyncCall<D, T> call, int index, CircuitOpenException rejection, T value, Throwable failure) {
        if (failure == null) {
            call.succeed(value);
        } else if (movesOn(failure)) {
            passAsync(call, index + 1, failure, rejection, false);
        } else {
            call.passFailed(failure);
        }
    }

    /** This, when the lanes have breakers to pass; otherwise {@code null}: nothing stops an attempt. */
    Admission admission() {
        return hasBreakers ? this : null;
    }

    /** The shortest time any lane's breaker stays open. */
    @Override
    public long openNanos() {
        return soonest().openNanos();
    }

    @Override
    public CircuitOpenException rejection(Throwable lastFailure) {
        return soonest().rejection(lastFailure);
    }

    private Breaker soonest() {
        Breaker soonest = lanes.get(0).breaker();
        for (Lane<D> lane : lanes) {
            if (lane.breaker().openNanos() < soonest.openNanos()) {
                soonest = lane.breaker();
            }
        }
        return soonest;
    }
}
