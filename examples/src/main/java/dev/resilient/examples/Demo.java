package dev.resilient.examples;

import dev.resilient.examples.Timeline.Call;
import dev.resilient.examples.Timeline.Outcome;
import dev.resilient.examples.Timeline.Tally;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * Drives the generated {@code ResilientWeatherService} against a {@link FlakyServer} and prints a
 * timeline: each call with its attempts, waits and result, each breaker transition after the
 * attempt that caused it, and a summary counted from the client's events and from the server;
 * then fails over to a healthy backup while a primary is down, until the primary is back. Then
 * the parts of its own classes: {@link RetryBudgetPart}, {@link RateLimitPart},
 * {@link FailuresAsValuesPart} and {@link HedgePart}. Ends by itself in about thirty seconds.
 */
public final class Demo {
    /** The cities the demo asks about, in turn. */
    static final List<String> CITIES = List.of("Oslo", "Lisbon", "Nairobi", "Lima");
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(250);
    private static final Duration PACE = Duration.ofMillis(150);

    private static final int CALLS = 50;
    private static final int OUTAGE_AT_CALL = 20;
    private static final int UNKNOWN_CITY_AT_CALL = 12;
    private static final Duration OUTAGE = Duration.ofSeconds(2);

    private static final Duration FAILOVER_OUTAGE = Duration.ofMillis(1200);
    /** Calls the primary answers after its breaker closed, before the failover part ends. */
    private static final int ANSWERED_WHEN_BACK = 3;
    private static final int MAX_FAILOVER_CALLS = 40;
    /**
     * Picks which requests of the failover's primary fail on their own: with this seed none of its
     * first sixteen does, so it usually answers its breaker's first trial once the outage is over.
     * The part does not count on it: it ends once the primary is back, or after
     * {@link #MAX_FAILOVER_CALLS} calls.
     */
    private static final long FAILOVER_PRIMARY_SEED = 39;

    /** What a run did, for the summary and for tests: each part. */
    record Summary(Part outage, Part failover, RetryBudgetPart.Result budget, RateLimitPart.Result rateLimit,
            FailuresAsValuesPart.Result values, HedgePart.Result hedge) {}

    /**
     * One part of the demo.
     *
     * @param delegates the delegates' labels, the primary first
     * @param calls every call, as the timeline tallied it
     * @param transitions every breaker transition, in order, as in {@code "weather: CLOSED -> OPEN"}
     * @param seconds how long the part took
     */
    record Part(List<String> delegates, List<Call> calls, List<String> transitions, double seconds) {
        int count(Outcome outcome) {
            return (int) calls.stream().filter(call -> call.outcome() == outcome).count();
        }

        /** Summed over the calls, for delegate {@code index}. */
        int sum(int index, ToIntFunction<Tally> field) {
            return calls.stream().mapToInt(call -> field.applyAsInt(call.delegates().get(index))).sum();
        }

        /** Requests that were a call's first attempt, to any delegate. */
        int firstAttempts() {
            return calls.stream().mapToInt(call -> call.requests() - call.delegates().stream().mapToInt(Tally::retries).sum()).sum();
        }

        /** Calls answered after at least one retry. */
        int answeredAfterRetry() {
            return (int) calls.stream()
                    .filter(call -> call.outcome() == Outcome.ANSWERED && call.delegates().stream().anyMatch(t -> t.retries() > 0))
                    .count();
        }

        /** Requests the servers counted during the calls rejected at once. */
        int serverRequestsWhileRejectedAtOnce() {
            return calls.stream().filter(call -> call.outcome() == Outcome.REJECTED_AT_ONCE).mapToInt(Call::serverRequests).sum();
        }

        /** The number of the first call during which {@code transition} was heard, or -1. */
        int callOf(String transition) {
            return calls.stream().filter(call -> call.transitions().contains(transition)).mapToInt(Call::number).findFirst().orElse(-1);
        }

        /** Calls answered by delegate {@code index} after call {@code after}. */
        int answeredBy(int index, int after) {
            return (int) calls.stream().filter(call -> call.number() > after && call.answeredBy() == index).count();
        }
    }

    private Demo() {}

    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    static Summary run(PrintStream out) throws IOException, InterruptedException {
        Part outage = onItsServer(new FlakyServer(0.25, 0.08, Duration.ofMillis(400), 42), out, Demo::runSingle);
        Part failover;
        try (FlakyServer primary = new FlakyServer(0.25, 0.08, Duration.ofMillis(400), FAILOVER_PRIMARY_SEED);
                FlakyServer backup = new FlakyServer(0, 0, Duration.ZERO, 7)) {
            failover = failover(out, primary, backup);
        }
        return new Summary(outage, failover,
                onItsServer(new FlakyServer(0, 0, Duration.ZERO, 1), out, RetryBudgetPart::run),
                onItsServer(new FlakyServer(0, 0, Duration.ZERO, 1), out, RateLimitPart::run),
                onItsServer(new FlakyServer(0.25, 0, Duration.ZERO, 42), out, FailuresAsValuesPart::run),
                onItsServer(new FlakyServer(0, 0, HedgePart.SLOWNESS, 1), out, HedgePart::run));
    }

    /** A part of the demo that runs against one server. */
    private interface OneServerPart<R> {
        R run(PrintStream out, FlakyServer server) throws InterruptedException;
    }

    /** Runs {@code part} against {@code server}, then stops the server. */
    private static <R> R onItsServer(FlakyServer server, PrintStream out, OneServerPart<R> part) throws InterruptedException {
        try (server) {
            return part.run(out, server);
        }
    }

    private static Part runSingle(PrintStream out, FlakyServer server) throws InterruptedException {
        Timeline timeline = new Timeline(out, System::nanoTime, List.of(new Timeline.Delegate("the server", "weather", server::requests)));
        ResilienceContext context = ResilienceContext.builder().listener(timeline).build();
        // Built once and kept: the breaker's memory lives as long as the wrapper's context.
        WeatherService weather = new ResilientWeatherService(new HttpWeatherService(server.uri(), REQUEST_TIMEOUT), context);

        out.printf("Resilient demo: WeatherService against a flaky server at %s%n", server.uri());
        out.printf("The server fails 25%% of requests with 503 and answers 8%% after 400 ms (the client gives up after %d ms);%n",
                REQUEST_TIMEOUT.toMillis());
        out.printf("at call %d it goes down for %d s, answering 503 with Retry-After: 1, which the client honours up to its"
                + " maxDelay of 400 ms.%nBreaker 'weather': 4 failed attempts in a row open it for 1 s.%n%n",
                OUTAGE_AT_CALL, OUTAGE.toSeconds());

        for (int call = 1; call <= CALLS; call++) {
            if (call == OUTAGE_AT_CALL) {
                server.goDownFor(OUTAGE);
                out.printf("     !! the server goes down for %d s%n", OUTAGE.toSeconds());
            }
            String city = call == UNKNOWN_CITY_AT_CALL ? "Atlantis" : CITIES.get(call % CITIES.size());
            forecast(timeline, weather, city);
            Thread.sleep(PACE.toMillis());
        }
        Part part = new Part(List.of("the server"), timeline.calls(), timeline.transitions(), timeline.seconds());

        out.printf(Locale.ROOT, "%nSummary after %.1f s: %d calls: %d answered (%d of them after a retry), %d failed, "
                        + "%d refused by the breaker after failed requests, %d rejected at once.%n",
                part.seconds(), part.calls().size(), part.count(Outcome.ANSWERED), part.answeredAfterRetry(),
                part.count(Outcome.FAILED), part.count(Outcome.REFUSED_AFTER_REQUESTS), part.count(Outcome.REJECTED_AT_ONCE));
        int requests = part.sum(0, Tally::requests);
        out.printf("The client sent %d requests: %d first attempts and %d retries. The server counted %d, "
                        + "%d of them during the calls rejected at once.%n",
                requests, part.firstAttempts(), requests - part.firstAttempts(), part.sum(0, Tally::serverRequests),
                part.serverRequestsWhileRejectedAtOnce());
        out.printf("Breaker transitions: %s%n", String.join(", ", part.transitions()));
        return part;
    }

    /** Part two: a client over a primary that goes down and a healthy backup, until the primary is back. */
    private static Part failover(PrintStream out, FlakyServer primary, FlakyServer backup) throws InterruptedException {
        Timeline timeline = new Timeline(out, System::nanoTime, List.of(
                new Timeline.Delegate("the primary", "weather", primary::requests),
                new Timeline.Delegate("backup #1", "weather#1", backup::requests)));
        ResilienceContext context = ResilienceContext.builder().listener(timeline).build();
        WeatherService weather = ResilientWeatherService.failover(context,
                new HttpWeatherService(primary.uri(), REQUEST_TIMEOUT),
                new HttpWeatherService(backup.uri(), REQUEST_TIMEOUT));
        out.printf("%nFailover: ResilientWeatherService.failover(...) over a primary at %s, as flaky as the first server,%n",
                primary.uri());
        out.printf("and a healthy backup at %s. Each has its own breaker: 'weather' and 'weather#1'.%n", backup.uri());
        out.printf(Locale.ROOT, "The primary is down for its first %.1f s; the calls go on until it is back: "
                + "its breaker closed and %d calls answered by it.%n%n", FAILOVER_OUTAGE.toMillis() / 1e3, ANSWERED_WHEN_BACK);

        primary.goDownFor(FAILOVER_OUTAGE);
        int closedAt = -1;
        int answeredSince = 0;
        for (int call = 1; call <= MAX_FAILOVER_CALLS && answeredSince < ANSWERED_WHEN_BACK; call++) {
            Call made = forecast(timeline, weather, CITIES.get(call % CITIES.size()));
            if (made.transitions().contains("weather: HALF_OPEN -> CLOSED")) {
                closedAt = call;
                answeredSince = 0;
            }
            if (closedAt > 0 && made.answeredBy() == 0) {
                answeredSince++;
            }
            Thread.sleep(PACE.toMillis());
        }
        Part part = new Part(List.of("the primary", "backup #1"), timeline.calls(), timeline.transitions(), timeline.seconds());

        int answered = part.count(Outcome.ANSWERED);
        out.printf(Locale.ROOT, "%nFailover summary after %.1f s: %d calls: %d answered, %d by the primary and %d by backup #1; %d not answered.%n",
                part.seconds(), part.calls().size(), answered, part.answeredBy(0, 0), part.answeredBy(1, 0),
                part.calls().size() - answered);
        for (int i = 0; i < 2; i++) {
            out.printf("%s was sent %d requests (%d failed) and skipped %d times by its open breaker; its server counted %d.%n",
                    i == 0 ? "The primary" : "Backup #1", part.sum(i, Tally::requests), part.sum(i, Tally::failed),
                    part.sum(i, Tally::rejected), part.sum(i, Tally::serverRequests));
        }
        out.printf("Breaker transitions: %s%n", part.transitions().isEmpty() ? "none" : String.join(", ", part.transitions()));
        int closed = part.callOf("weather: HALF_OPEN -> CLOSED");
        if (closed > 0) {
            out.printf("The primary is back: its breaker closed during call %d, and it answered %d of the %d calls from that one on.%n",
                    closed, part.answeredBy(0, closed - 1), part.calls().size() - closed + 1);
        } else {
            out.printf("The primary did not come back within %d calls.%n", part.calls().size());
        }
        return part;
    }

    private static Call forecast(Timeline timeline, WeatherService weather, String city) {
        timeline.begin("forecast(" + city + ")");
        try {
            return timeline.answered(weather.forecast(city));
        } catch (IOException | RuntimeException e) {
            return timeline.failed(e);
        }
    }
}
