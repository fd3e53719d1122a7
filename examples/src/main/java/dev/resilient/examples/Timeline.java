package dev.resilient.examples;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ResilienceListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Prints what the policies do, as they do it, under the call being made, and tallies each call
 * from what it saw: the requests that reached each delegate (its {@code onAttempt} events, less
 * rejections), their failures, the breaker's rejections, and the requests each server counted.
 *
 * <p>A breaker's change of state is printed after the line of the attempt whose outcome caused
 * it, whichever of the two the runtime reports first: a change heard before the attempt's own
 * event is held until that attempt's line is printed. Only a breaker leaving OPEN after its
 * {@code openFor} (which happens as an attempt asks to pass, before it runs) is printed when
 * heard.
 *
 * <p>For synchronous calls made one at a time: every event of a call arrives on the calling
 * thread between {@link #begin} and {@link #answered} or {@link #failed}.
 */
final class Timeline implements ResilienceListener {

    /** One delegate of the calls: how it is named in the timeline, its breaker, its server's request count. */
    record Delegate(String label, String breaker, IntSupplier serverRequests) {}

    /** How a call ended. */
    enum Outcome {
        /** A delegate answered. */
        ANSWERED,
        /** The failure of a request reached the caller (retries used up, or not retried). */
        FAILED,
        /** Requests were sent and failed; then the breaker refused the next attempt. */
        REFUSED_AFTER_REQUESTS,
        /** The breaker refused the call before any request was sent. */
        REJECTED_AT_ONCE
    }

    /**
     * What one delegate saw of one call.
     *
     * @param requests attempts that reached the delegate
     * @param retries those of them after the call's first attempt
     * @param failed those of them that failed
     * @param unanswered those of them that failed without an HTTP answer (a timeout, a broken
     *     connection): the only requests the server may not have counted
     * @param rejected attempts its breaker refused
     * @param serverRequests requests its server counted while the call was made
     */
    record Tally(int requests, int retries, int failed, int unanswered, int rejected, int serverRequests) {}

    /**
     * One call.
     *
     * @param answeredBy the delegate that answered, or -1
     * @param causeSet for a {@link CircuitOpenException}: whether it carried the failure of an
     *     earlier attempt as its cause
     * @param delegates what each delegate saw, in the order they were given
     * @param transitions the breaker transitions heard during the call
     */
    record Call(int number, Outcome outcome, int answeredBy, boolean causeSet, List<Tally> delegates, List<String> transitions) {
        /** Requests sent to all delegates. */
        int requests() {
            return delegates.stream().mapToInt(Tally::requests).sum();
        }

        /** Requests the servers counted. */
        int serverRequests() {
            return delegates.stream().mapToInt(Tally::serverRequests).sum();
        }
    }

    /** An attempt's line, held until its retry decision is known or another line comes. */
    private static final class Line {
        final int attempt;
        final int delegate;
        final Throwable failure;
        final List<String> after = new ArrayList<>();
        String decision = "";

        Line(int attempt, int delegate, Throwable failure) {
            this.attempt = attempt;
            this.delegate = delegate;
            this.failure = failure;
        }
    }

    private final PrintStream out;
    private final LongSupplier clock;
    private long started = Long.MIN_VALUE;
    private final List<Delegate> delegates;
    private final List<String> transitions = new ArrayList<>();
    private final List<Call> calls = new ArrayList<>();

    // The call being made.
    private int number;
    private int delegate;
    private int[] requests;
    private int[] retries;
    private int[] failed;
    private int[] unanswered;
    private int[] rejected;
    private int[] serverBefore;
    private final List<String> callTransitions = new ArrayList<>();
    private Line pending;
    private final List<String> unplaced = new ArrayList<>();

    /**
     * @param clock nanoseconds, for the time printed before each call, counted from the first
     * @param delegates the delegates the calls go to, the primary first
     */
    Timeline(PrintStream out, LongSupplier clock, List<Delegate> delegates) {
        this.out = out;
        this.clock = clock;
        this.delegates = List.copyOf(delegates);
    }

    /** Seconds since the first call began; 0 before it. */
    double seconds() {
        return started == Long.MIN_VALUE ? 0 : (clock.getAsLong() - started) / 1e9;
    }

    /** Prints the call's header line; the events that follow belong to it. */
    void begin(String call) {
        if (started == Long.MIN_VALUE) {
            started = clock.getAsLong();
        }
        number = calls.size() + 1;
        int count = delegates.size();
        delegate = 0;
        requests = new int[count];
        retries = new int[count];
        failed = new int[count];
        unanswered = new int[count];
        rejected = new int[count];
        serverBefore = new int[count];
        callTransitions.clear();
        for (int i = 0; i < count; i++) {
            serverBefore[i] = delegates.get(i).serverRequests().getAsInt();
        }
        out.printf(Locale.ROOT, "%3d  %6.2fs  %s%n", number, seconds(), call);
    }

    /** The call returned {@code result}: prints it and ends the call. */
    Call answered(Object result) {
        int by = delegate;
        if (pending != null && pending.failure == null) {
            // The answering attempt: the result line stands for it; what it caused follows that line.
            unplaced.addAll(0, pending.after);
            pending = null;
        }
        flushPending();
        out.printf("        -> %s%s%n", result, delegates.size() > 1 ? " (from " + delegates.get(by).label() + ")" : "");
        return end(Outcome.ANSWERED, by, false);
    }

    /** The call threw {@code failure}: prints it and ends the call. */
    Call failed(Throwable failure) {
        int sent = sum(requests);
        if (failure instanceof CircuitOpenException open) {
            flushPending();
            boolean causeSet = open.getCause() != null;
            if (sent == 0) {
                out.printf("        -> rejected at once, no request sent: %s%n", open.getMessage());
                return end(Outcome.REJECTED_AT_ONCE, -1, causeSet);
            }
            out.printf("        -> refused by the breaker after %d failed %s: %s%s%n", sent, sent == 1 ? "request" : "requests",
                    open.getMessage(), causeSet ? " (the last failure: " + describe(open.getCause()) + ")" : "");
            return end(Outcome.REFUSED_AFTER_REQUESTS, -1, causeSet);
        }
        if (pending != null && pending.failure == failure && pending.decision.isEmpty()) {
            // Not retried: the result line says it all; what it caused follows that line.
            unplaced.addAll(0, pending.after);
            pending = null;
        }
        flushPending();
        out.printf("        -> failed: %s%n", describe(failure));
        return end(Outcome.FAILED, -1, false);
    }

    private Call end(Outcome outcome, int answeredBy, boolean causeSet) {
        printAll(unplaced);
        unplaced.clear();
        List<Tally> tallies = new ArrayList<>();
        for (int i = 0; i < delegates.size(); i++) {
            int server = delegates.get(i).serverRequests().getAsInt() - serverBefore[i];
            tallies.add(new Tally(requests[i], retries[i], failed[i], unanswered[i], rejected[i], server));
        }
        Call call = new Call(number, outcome, answeredBy, causeSet, List.copyOf(tallies), List.copyOf(callTransitions));
        calls.add(call);
        return call;
    }

    @Override
    public void onFailoverAttempt(String method, int attempt, int delegate) {
        flushPending();
        printAll(unplaced);
        unplaced.clear();
        this.delegate = delegate;
    }

    @Override
    public void onAttempt(String method, int attempt, Throwable failure) {
        if (failure instanceof CircuitOpenException) {
            return; // refused by a breaker: no request was sent (onRejected tells)
        }
        flushPending();
        requests[delegate]++;
        if (attempt > 1) {
            retries[delegate]++;
        }
        if (failure != null) {
            failed[delegate]++;
            if (!(failure instanceof HttpStatusException)) {
                unanswered[delegate]++;
            }
        }
        pending = new Line(attempt, delegate, failure);
        pending.after.addAll(unplaced); // heard before this attempt's own event, caused by it
        unplaced.clear();
    }

    @Override
    public void onRetry(String method, int attempt, Throwable failure, Duration wait) {
        decide(attempt, failure, String.format(Locale.ROOT, "retrying in %d ms", wait.toMillis()));
    }

    @Override
    public void onRetriesExhausted(String method, int attempts, Throwable failure) {
        decide(attempts, failure, "giving up");
    }

    private void decide(int attempt, Throwable failure, String decision) {
        if (pending != null && pending.attempt == attempt && pending.failure == failure) {
            pending.decision = ", " + decision;
            flushPending();
        } else {
            flushPending();
            out.printf("        attempt %d: %s (%s)%n", attempt, decision, describe(failure));
        }
    }

    @Override
    public void onRejected(String breaker, CircuitOpenException rejection) {
        flushPending();
        printAll(unplaced);
        unplaced.clear();
        int refused = delegateOf(breaker);
        if (refused >= 0) {
            rejected[refused]++;
        }
        if (delegates.size() > 1) {
            out.printf("        %s skipped: %s%n", refused >= 0 ? delegates.get(refused).label() : breaker, rejection.getMessage());
        }
        // With one delegate a refusal ends the call, whose result line says so.
    }

    @Override
    public void onStateChange(String breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
        transitions.add(breaker + ": " + from + " -> " + to);
        callTransitions.add(breaker + ": " + from + " -> " + to);
        String line = String.format("     >> breaker '%s': %s -> %s", breaker, from, to);
        if (from == CircuitBreaker.State.OPEN) {
            // openFor has elapsed: the breaker lets a trial call through, which runs after this.
            flushPending();
            printAll(unplaced);
            unplaced.clear();
            out.println(line);
        } else if (pending != null && causedBy(pending, breaker, to)) {
            pending.after.add(line); // reported after the attempt's own event
        } else {
            unplaced.add(line); // reported before it: held until its line is printed
        }
    }

    /** Whether a change to {@code to} of {@code breaker} can follow from the attempt of {@code line}. */
    private boolean causedBy(Line line, String breaker, CircuitBreaker.State to) {
        if (delegateOf(breaker) != line.delegate) {
            return false;
        }
        return (to == CircuitBreaker.State.CLOSED) == (line.failure == null);
    }

    private void flushPending() {
        if (pending == null) {
            return;
        }
        Line line = pending;
        pending = null;
        String where = delegates.size() > 1 ? " to " + delegates.get(line.delegate).label() : "";
        if (line.failure == null) {
            out.printf("        attempt %d%s answered%n", line.attempt, where);
        } else {
            out.printf("        attempt %d%s failed (%s)%s%n", line.attempt, where, describe(line.failure), line.decision);
        }
        printAll(line.after);
    }

    private void printAll(List<String> lines) {
        lines.forEach(out::println);
    }

    private int delegateOf(String breaker) {
        for (int i = 0; i < delegates.size(); i++) {
            if (delegates.get(i).breaker().equals(breaker)) {
                return i;
            }
        }
        return -1;
    }

    private static int sum(int[] counts) {
        int sum = 0;
        for (int count : counts) {
            sum += count;
        }
        return sum;
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Every breaker transition heard, in order, as in {@code "weather: CLOSED -> OPEN"}. */
    List<String> transitions() {
        return List.copyOf(transitions);
    }

    /** Every call ended so far, in order. */
    List<Call> calls() {
        return List.copyOf(calls);
    }
}
