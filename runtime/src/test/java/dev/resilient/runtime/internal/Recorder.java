package dev.resilient.runtime.internal;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ResilienceListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Records every event a listener hears, one line each, in order; safe to share between threads.
 * Also used by the processor's tests (through this module's test jar).
 */
public final class Recorder implements ResilienceListener {
    private final List<String> events = new ArrayList<>();

    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    /** The events recorded so far whose line starts with {@code prefix}. */
    public synchronized List<String> events(String prefix) {
        return events.stream().filter(event -> event.startsWith(prefix)).toList();
    }

    public synchronized void clear() {
        events.clear();
    }

    private synchronized void add(String event) {
        events.add(event);
    }

    private static String name(Throwable failure) {
        return failure == null ? "ok" : failure.getClass().getSimpleName();
    }

    @Override
    public void onAttempt(String method, int attempt, Throwable failure) {
        add("attempt " + method + " #" + attempt + " " + name(failure));
    }

    @Override
    public void onRetry(String method, int attempt, Throwable failure, Duration wait) {
        add("retry " + method + " #" + attempt + " " + name(failure) + " in " + wait.toMillis() + "ms");
    }

    @Override
    public void onRetriesExhausted(String method, int attempts, Throwable failure) {
        add("exhausted " + method + " #" + attempts + " " + name(failure));
    }

    @Override
    public void onRejected(String breaker, CircuitOpenException rejection) {
        add("rejected " + breaker + " " + rejection.state());
    }

    @Override
    public void onSlowCall(String breaker, Duration took) {
        add("slow " + breaker + " " + took.toMillis() + "ms");
    }

    @Override
    public void onStateChange(String breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
        add("state " + breaker + " " + from + " -> " + to);
    }

    @Override
    public void onBulkheadFull(String method) {
        add("full " + method);
    }

    @Override
    public void onRateLimited(String limiter, Duration nextTokenIn) {
        add("ratelimited " + limiter + " next in " + nextTokenIn.toNanos() + "ns");
    }

    @Override
    public void onRetryBudgetExhausted(String method, String budget) {
        add("budget exhausted " + method + " " + budget);
    }

    @Override
    public void onTimeout(String method, Duration timeout) {
        add("timeout " + method + " " + timeout.toMillis() + "ms");
    }

    @Override
    public void onAttemptAbandoned(String method, int stillRunning) {
        add("abandoned " + method + " " + stillRunning + " running");
    }

    @Override
    public void onFallback(String method, Throwable failure) {
        add("fallback " + method + " " + name(failure));
    }

    @Override
    public void onFailoverAttempt(String method, int attempt, int delegate) {
        add("failover " + method + " #" + attempt + " to " + delegate);
    }

    @Override
    public void onHedge(String method, int attempt) {
        add("hedge " + method + " #" + attempt);
    }
}
