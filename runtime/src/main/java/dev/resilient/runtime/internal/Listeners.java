package dev.resilient.runtime.internal;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ResilienceListener;
import java.time.Duration;

/**
 * Calls the user's listener, if any, so that a listener that throws never changes a call's
 * outcome. Without a listener every event is dropped before anything is allocated for it.
 */
final class Listeners {
    private static final System.Logger LOG = System.getLogger("dev.resilient");

    private final ResilienceListener listener;

    Listeners(ResilienceListener listener) {
        this.listener = listener;
    }

    void retry(String method, int attempt, Throwable failure, long waitNanos) {
        if (listener != null) {
            try {
                listener.onRetry(method, attempt, failure, Duration.ofNanos(waitNanos));
            } catch (RuntimeException | LinkageError | AssertionError e) {
                contain("onRetry", e);
            }
        }
    }

    void retriesExhausted(String method, int attempts, Throwable failure) {
        if (listener != null) {
            try {
                listener.onRetriesExhausted(method, attempts, failure);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                contain("onRetriesExhausted", e);
            }
        }
    }

    void rejected(String breaker, CircuitOpenException rejection) {
        if (listener != null) {
            try {
                listener.onRejected(breaker, rejection);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                contain("onRejected", e);
            }
        }
    }

    void stateChange(String breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
        if (listener != null) {
            try {
                listener.onStateChange(breaker, from, to);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                contain("onStateChange", e);
            }
        }
    }

    private void contain(String event, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "ResilienceListener " + listener + " threw from " + event + "; ignored", e);
    }
}
