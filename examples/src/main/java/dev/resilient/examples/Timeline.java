package dev.resilient.examples;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ResilienceListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Prints what the policies do, as they do it, under the call being made. */
final class Timeline implements ResilienceListener {
    private final PrintStream out;
    private final List<String> transitions = new ArrayList<>();
    private int retries;
    private int rejections;
    private int failovers;

    Timeline(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onRetry(String method, int attempt, Throwable failure, Duration wait) {
        retries++;
        out.printf("        attempt %d failed (%s), retrying in %d ms%n", attempt, describe(failure), wait.toMillis());
    }

    @Override
    public void onRetriesExhausted(String method, int attempts, Throwable failure) {
        out.printf("        attempt %d failed (%s), giving up%n", attempts, describe(failure));
    }

    @Override
    public void onFailoverAttempt(String method, int attempt, int delegate) {
        if (delegate > 0) {
            failovers++;
            out.printf("        attempt %d goes to backup #%d%n", attempt, delegate);
        }
    }

    @Override
    public void onRejected(String breaker, CircuitOpenException rejection) {
        rejections++;
    }

    @Override
    public void onStateChange(String breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
        transitions.add(from + " -> " + to);
        out.printf("     >> breaker '%s': %s -> %s%n", breaker, from, to);
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    List<String> transitions() {
        return List.copyOf(transitions);
    }

    int retries() {
        return retries;
    }

    int rejections() {
        return rejections;
    }

    int failovers() {
        return failovers;
    }
}
