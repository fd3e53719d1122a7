package dev.resilient.runtime.internal;

import dev.resilient.runtime.CircuitOpenException;
import java.util.List;

/**
 * The delegates of one method, each with its own breaker and bulkhead (where the method has
 * them): one for a plain wrapper, several, the primary first, under failover. As an
 * {@link Admission}, what the next attempt must pass: some delegate's breaker.
 */
final class Delegates<D> implements Admission {
    private final List<D> delegates;
    private final List<Breaker> breakers;
    private final List<Bulkhead> bulkheads;

    /** @param breakers one per delegate, or none; likewise {@code bulkheads} */
    Delegates(List<D> delegates, List<Breaker> breakers, List<Bulkhead> bulkheads) {
        this.delegates = delegates;
        this.breakers = breakers;
        this.bulkheads = bulkheads;
    }

    int size() {
        return delegates.size();
    }

    boolean failover() {
        return delegates.size() > 1;
    }

    D delegate(int index) {
        return delegates.get(index);
    }

    /** Delegate {@code index}'s breaker, or {@code null}. */
    Breaker breaker(int index) {
        return breakers.isEmpty() ? null : breakers.get(index);
    }

    /** Delegate {@code index}'s bulkhead, or {@code null}. */
    Bulkhead bulkhead(int index) {
        return bulkheads.isEmpty() ? null : bulkheads.get(index);
    }

    /** Leave for an attempt on delegate {@code index}. */
    Permit acquire(int index, Throwable lastFailure) {
        return breakers.isEmpty() ? Permit.NONE : breakers.get(index).acquire(lastFailure);
    }

    /**
     * Whether {@code failure} of one delegate moves a failover pass on to the next one at once:
     * what the method's retry would retry, attempts and budget aside (without a retry, any
     * {@link Exception}).
     */
    boolean movesOn(Retry retry, Throwable failure) {
        return failover() && Retry.movesOn(retry, failure);
    }

    /** This, when there are breakers to pass; otherwise {@code null}: nothing stops an attempt. */
    Admission admission() {
        return breakers.isEmpty() ? null : this;
    }

    /** The shortest time any delegate's breaker stays open. */
    @Override
    public long openNanos() {
        return soonest().openNanos();
    }

    @Override
    public CircuitOpenException rejection(Throwable lastFailure) {
        return soonest().rejection(lastFailure);
    }

    private Breaker soonest() {
        Breaker soonest = breakers.get(0);
        for (int i = 1; i < breakers.size(); i++) {
            if (breakers.get(i).openNanos() < soonest.openNanos()) {
                soonest = breakers.get(i);
            }
        }
        return soonest;
    }
}
