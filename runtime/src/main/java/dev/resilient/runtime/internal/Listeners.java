package dev.resilient.runtime.internal;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ResilienceListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tells the context's listeners, in order, so that none can change a call: whatever one throws
 * (but a {@link VirtualMachineError}) is caught, logged the first time that listener throws from
 * that event, and dropped. Without listeners every event is dropped before anything is allocated.
 */
final class Listeners {
    private static final System.Logger LOG = System.getLogger("dev.resilient");

    /** The events, each a bit in {@link #logged}. */
    private enum Event {
        ON_ATTEMPT, ON_RETRY, ON_RETRIES_EXHAUSTED, ON_REJECTED, ON_STATE_CHANGE, ON_BULKHEAD_FULL, ON_TIMEOUT,
        ON_ATTEMPT_ABANDONED, ON_FALLBACK, ON_FAILOVER_ATTEMPT, ON_SLOW_CALL, ON_RATE_LIMITED,
        ON_RETRY_BUDGET_EXHAUSTED, ON_HEDGE;

        /** {@code "onRetry"}, as the listener's method is named. */
        String method() {
            StringBuilder name = new StringBuilder();
            for (String word : name().toLowerCase(java.util.Locale.ROOT).split("_")) {
                name.append(name.length() == 0 ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
            }
            return name.toString();
        }
    }

    /** One event delivered to one listener. */
    @FunctionalInterface
    private interface Delivery {
        void to(ResilienceListener listener);
    }

    private final ResilienceListener[] listeners;
    /** Per listener, the events it has thrown from and that were logged. */
    private final AtomicInteger[] logged;

    Listeners(List<ResilienceListener> listeners) {
        this.listeners = listeners.toArray(new ResilienceListener[0]);
        this.logged = new AtomicInteger[this.listeners.length];
        for (int i = 0; i < logged.length; i++) {
            logged[i] = new AtomicInteger();
        }
    }

    boolean active() {
        return listeners.length > 0;
    }

    void attempt(String method, int attempt, Throwable failure) {
        if (active()) {
            deliver(Event.ON_ATTEMPT, to -> to.onAttempt(method, attempt, failure));
        }
    }

    void retry(String method, int attempt, Throwable failure, long waitNanos) {
        if (active()) {
            deliver(Event.ON_RETRY, to -> to.onRetry(method, attempt, failure, Duration.ofNanos(waitNanos)));
        }
    }

    void retriesExhausted(String method, int attempts, Throwable failure) {
        if (active()) {
            deliver(Event.ON_RETRIES_EXHAUSTED, to -> to.onRetriesExhausted(method, attempts, failure));
        }
    }

    void rejected(String breaker, CircuitOpenException rejection) {
        if (active()) {
            deliver(Event.ON_REJECTED, to -> to.onRejected(breaker, rejection));
        }
    }

    void slowCall(String breaker, long tookNanos) {
        if (active()) {
            deliver(Event.ON_SLOW_CALL, to -> to.onSlowCall(breaker, Duration.ofNanos(tookNanos)));
        }
    }

    void stateChange(String breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
        if (active()) {
            deliver(Event.ON_STATE_CHANGE, target -> target.onStateChange(breaker, from, to));
        }
    }

    void bulkheadFull(String method) {
        if (active()) {
            deliver(Event.ON_BULKHEAD_FULL, to -> to.onBulkheadFull(method));
        }
    }

    void rateLimited(String limiter, Duration nextTokenIn) {
        if (active()) {
            deliver(Event.ON_RATE_LIMITED, to -> to.onRateLimited(limiter, nextTokenIn));
        }
    }

    void retryBudgetExhausted(String method, String budget) {
        if (active()) {
            deliver(Event.ON_RETRY_BUDGET_EXHAUSTED, to -> to.onRetryBudgetExhausted(method, budget));
        }
    }

    void hedge(String method, int attempt) {
        if (active()) {
            deliver(Event.ON_HEDGE, to -> to.onHedge(method, attempt));
        }
    }

    void timeout(String method, long timeoutNanos) {
        if (active()) {
            deliver(Event.ON_TIMEOUT, to -> to.onTimeout(method, Duration.ofNanos(timeoutNanos)));
        }
    }

    void attemptAbandoned(String method, int stillRunning) {
        if (active()) {
            deliver(Event.ON_ATTEMPT_ABANDONED, to -> to.onAttemptAbandoned(method, stillRunning));
        }
    }

    void fallback(String method, Throwable failure) {
        if (active()) {
            deliver(Event.ON_FALLBACK, to -> to.onFallback(method, failure));
        }
    }

    void failoverAttempt(String method, int attempt, int delegate) {
        if (active()) {
            deliver(Event.ON_FAILOVER_ATTEMPT, to -> to.onFailoverAttempt(method, attempt, delegate));
        }
    }

    private void deliver(Event event, Delivery delivery) {
        for (int i = 0; i < listeners.length; i++) {
            try {
                delivery.to(listeners[i]);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable thrown) { // checked ones too: Kotlin and sneaky throws reach here as well
                logOnce(i, event, thrown);
            }
        }
    }

    private void logOnce(int index, Event event, Throwable thrown) {
        int bit = 1 << event.ordinal();
        if ((logged[index].getAndUpdate(events -> events | bit) & bit) != 0) {
            return;
        }
        ResilienceListener listener = listeners[index];
        // Not the listener's toString(): it may be what throws.
        String name = listener.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(listener));
        try {
            LOG.log(System.Logger.Level.WARNING, "ResilienceListener " + name + " threw from " + event.method()
                    + "; ignored, and not logged again for this listener and event", thrown);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable unloggable) {
            // A logging backend that cannot print what the listener threw: the call still goes on.
        }
    }
}
