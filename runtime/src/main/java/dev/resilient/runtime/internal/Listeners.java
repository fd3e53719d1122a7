package dev.resilient.runtime.internal;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ResilienceListener;
import java.time.Duration;
import java.util.function.Consumer;

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

    boolean active() {
        return listener != null;
    }

    void attempt(String method, int attempt, Throwable failure) {
        if (listener != null) {
            deliver("onAttempt", to -> to.onAttempt(method, attempt, failure));
        }
    }

    void retry(String method, int attempt, Throwable failure, long waitNanos) {
        if (listener != null) {
            deliver("onRetry", to -> to.onRetry(method, attempt, failure, Duration.ofNanos(waitNanos)));
        }
    }

    void retriesExhausted(String method, int attempts, Throwable failure) {
        if (listener != null) {
            deliver("onRetriesExhausted", to -> to.onRetriesExhausted(method, attempts, failure));
        }
    }

    void rejected(String breaker, CircuitOpenException rejection) {
        if (listener != null) {
            deliver("onRejected", to -> to.onRejected(breaker, rejection));
        }
    }

    void stateChange(String breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
        if (listener != null) {
            deliver("onStateChange", target -> target.onStateChange(breaker, from, to));
        }
    }

    void bulkheadFull(String method) {
        if (listener != null) {
            deliver("onBulkheadFull", to -> to.onBulkheadFull(method));
        }
    }

    void timeout(String method, long timeoutNanos) {
        if (listener != null) {
            deliver("onTimeout", to -> to.onTimeout(method, Duration.ofNanos(timeoutNanos)));
        }
    }

    void fallback(String method, Throwable failure) {
        if (listener != null) {
            deliver("onFallback", to -> to.onFallback(method, failure));
        }
    }

    void failoverAttempt(String method, int attempt, int delegate) {
        if (listener != null) {
            deliver("onFailoverAttempt", to -> to.onFailoverAttempt(method, attempt, delegate));
        }
    }

    private void deliver(String event, Consumer<ResilienceListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.log(System.Logger.Level.WARNING, "ResilienceListener " + listener + " threw from " + event + "; ignored", e);
        }
    }
}
