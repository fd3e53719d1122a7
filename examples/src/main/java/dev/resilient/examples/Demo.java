package dev.resilient.examples;

import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Drives the generated {@code ResilientWeatherService} against a {@link FlakyServer} and prints a
 * timeline: each call with its attempts, waits and result, each breaker transition, and a
 * summary; then fails over to a healthy backup while the primary is down. Ends by itself in
 * about twelve seconds.
 */
public final class Demo {
    private static final List<String> CITIES = List.of("Oslo", "Lisbon", "Nairobi", "Lima");
    private static final int CALLS = 50;
    private static final int OUTAGE_AT_CALL = 20;
    private static final int UNKNOWN_CITY_AT_CALL = 12;
    private static final Duration OUTAGE = Duration.ofSeconds(2);
    private static final Duration PACE = Duration.ofMillis(150);
    private static final int FAILOVER_CALLS = 12;

    /** What a run did, for the summary and for tests: the two parts. */
    record Summary(OutageSummary outage, FailoverSummary failover) {}

    /** The first part: one flaky server, with an outage. */
    record OutageSummary(int calls, int answered, int failed, int rejected, int retries, int requests, List<String> transitions) {}

    /** The failover part: requests each server saw while the primary was down. */
    record FailoverSummary(int calls, int backupRequests, int primaryRequests) {}

    private Demo() {}

    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    static Summary run(PrintStream out) throws IOException, InterruptedException {
        try (FlakyServer server = new FlakyServer(0.25, 0.08, Duration.ofMillis(400), 42);
                FlakyServer backup = new FlakyServer(0, 0, Duration.ZERO, 7)) {
            return new Summary(runSingle(out, server), failover(out, server, backup));
        }
    }

    private static OutageSummary runSingle(PrintStream out, FlakyServer server) throws InterruptedException {
        Timeline timeline = new Timeline(out);
        ResilienceContext context = ResilienceContext.builder().listener(timeline).build();
        // Built once and kept: the breaker's memory lives as long as the wrapper's context.
        WeatherService weather = new ResilientWeatherService(
                new HttpWeatherService(server.uri(), Duration.ofMillis(250)), context);

        out.printf("Resilient demo: WeatherService against a flaky server at %s%n", server.uri());
        out.printf("The server fails 25%% of requests with 503 and answers 8%% after 400 ms (the client gives up after 250 ms);%n");
        out.printf("at call %d it goes down for %d s. Breaker 'weather': 4 failed attempts in a row open it for 1 s.%n%n",
                OUTAGE_AT_CALL, OUTAGE.toSeconds());

        long started = System.nanoTime();
        int answered = 0;
        int failed = 0;
        int rejected = 0;
        for (int call = 1; call <= CALLS; call++) {
            if (call == OUTAGE_AT_CALL) {
                server.goDownFor(OUTAGE);
                out.printf("     !! the server goes down for %d s%n", OUTAGE.toSeconds());
            }
            String city = call == UNKNOWN_CITY_AT_CALL ? "Atlantis" : CITIES.get(call % CITIES.size());
            out.printf("%3d  %6.2fs  forecast(%s)%n", call, (System.nanoTime() - started) / 1e9, city);
            try {
                out.printf("        -> %s%n", weather.forecast(city));
                answered++;
            } catch (CircuitOpenException e) {
                out.printf("        -> rejected at once: %s%s%n", e.getMessage(),
                        e.getCause() == null ? "" : " (after " + Timeline.describe(e.getCause()) + ")");
                rejected++;
            } catch (IOException e) {
                out.printf("        -> failed: %s%n", Timeline.describe(e));
                failed++;
            }
            Thread.sleep(PACE.toMillis());
        }
        OutageSummary summary = new OutageSummary(CALLS, answered, failed, rejected, timeline.retries(), server.requests(),
                timeline.transitions());
        out.printf("%nSummary after %.1f s: %d calls: %d answered, %d failed, %d rejected by the open breaker.%n",
                (System.nanoTime() - started) / 1e9, summary.calls(), answered, failed, rejected);
        out.printf("%d retries; the server saw %d requests; breaker transitions: %s%n",
                summary.retries(), summary.requests(), summary.transitions());
        return summary;
    }

    /** Part two: the same service with a healthy backup region, while the primary is down. */
    private static FailoverSummary failover(PrintStream out, FlakyServer primary, FlakyServer backup)
            throws InterruptedException {
        Timeline timeline = new Timeline(out);
        ResilienceContext context = ResilienceContext.builder().listener(timeline).build();
        Duration requestTimeout = Duration.ofMillis(250);
        WeatherService weather = ResilientWeatherService.failover(context,
                new HttpWeatherService(primary.uri(), requestTimeout),
                new HttpWeatherService(backup.uri(), requestTimeout));
        out.printf("%nFailover: the same client over the primary and a healthy backup at %s.%n", backup.uri());
        out.printf("The primary goes down for %d s; each delegate has its own breaker ('weather', 'weather#1').%n%n",
                OUTAGE.toSeconds());
        primary.goDownFor(OUTAGE);
        int primaryBefore = primary.requests();
        int answered = 0;
        for (int call = 1; call <= FAILOVER_CALLS; call++) {
            String city = CITIES.get(call % CITIES.size());
            out.printf("%3d  forecast(%s)%n", call, city);
            try {
                out.printf("        -> %s%n", weather.forecast(city));
                answered++;
            } catch (IOException | RuntimeException e) {
                out.printf("        -> failed: %s%n", Timeline.describe(e));
            }
            Thread.sleep(PACE.toMillis());
        }
        int primaryRequests = primary.requests() - primaryBefore;
        out.printf("%nFailover summary: %d calls, %d answered; the primary saw %d requests, the backup %d;"
                        + " breaker transitions: %s%n",
                FAILOVER_CALLS, answered, primaryRequests, backup.requests(), timeline.transitions());
        return new FailoverSummary(FAILOVER_CALLS, backup.requests(), primaryRequests);
    }
}
