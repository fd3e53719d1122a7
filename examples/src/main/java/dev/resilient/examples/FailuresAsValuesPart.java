package dev.resilient.examples;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.ResilienceListener;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Failures as values (issue #13): {@link WeatherApi} returns every answer, a 503 too, as a
 * {@link Reply}; its policies judge them, so the 503s it returns are retried and counted by its
 * breaker as thrown ones are. One call a line: each attempt's status with the wait before the
 * next, then how the call ended, then the breaker transitions it caused.
 */
final class FailuresAsValuesPart {
    static final int CALLS = 30;
    static final int OUTAGE_AT_CALL = 10;
    static final Duration OUTAGE = Duration.ofMillis(1500);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
    private static final Duration PACE = Duration.ofMillis(100);

    /**
     * One call.
     *
     * @param attempts each attempt's status, or {@code "no answer"} where it threw
     * @param waits the wait before each retry
     * @param reply what the call returned, or {@code null}
     * @param failure what the call threw, or {@code null}
     * @param transitions the lines of the breaker transitions heard during the call
     */
    record Call(int number, List<String> attempts, List<Duration> waits, Reply reply, Throwable failure, List<String> transitions) {
        boolean rejectedAtOnce() {
            return failure instanceof CircuitOpenException && attempts.isEmpty();
        }
    }

    /**
     * What the part did.
     *
     * @param transitions every breaker transition, in order, as in {@code "weather-api: CLOSED -> OPEN"}
     */
    record Result(List<Call> calls, List<String> transitions, int serverRequests) {
        int answered(int status) {
            return (int) calls.stream().filter(call -> call.reply() != null && call.reply().status() == status).count();
        }

        /** Attempts that were answered {@code status}. */
        int attempts(String status) {
            return (int) calls.stream().flatMap(call -> call.attempts().stream()).filter(status::equals).count();
        }

        /** Attempts answered {@code status} that were retried. */
        int retried(String status) {
            return calls.stream()
                    .mapToInt(call -> (int) call.attempts().subList(0, call.waits().size()).stream().filter(status::equals).count())
                    .sum();
        }

        /** The number of the first call during which the breaker opened, or -1. */
        int openedAt() {
            return calls.stream().filter(call -> call.transitions().stream().anyMatch(line -> line.endsWith("CLOSED -> OPEN")))
                    .mapToInt(Call::number).findFirst().orElse(-1);
        }
    }

    /** Collects one call at a time, from the delegate (each attempt's status) and the listener (waits, transitions). */
    private static final class Recorder implements ResilienceListener {
        final List<String> transitions = new ArrayList<>();
        List<String> attempts;
        List<Duration> waits;
        List<String> callTransitions;

        void begin() {
            attempts = new ArrayList<>();
            waits = new ArrayList<>();
            callTransitions = new ArrayList<>();
        }

        Reply attempted(WeatherApi raw, String city) throws IOException {
            try {
                Reply reply = raw.forecast(city);
                attempts.add(String.valueOf(reply.status()));
                return reply;
            } catch (IOException e) {
                attempts.add("no answer");
                throw e;
            }
        }

        @Override
        public void onRetry(String method, int attempt, Throwable failure, Duration wait) {
            waits.add(wait);
        }

        @Override
        public void onStateChange(String breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
            transitions.add(breaker + ": " + from + " -> " + to);
            callTransitions.add(String.format("     >> breaker '%s': %s -> %s", breaker, from, to));
        }
    }

    private FailuresAsValuesPart() {}

    static Result run(PrintStream out, FlakyServer server) throws InterruptedException {
        Recorder recorder = new Recorder();
        WeatherApi raw = new HttpWeatherApi(server.uri(), REQUEST_TIMEOUT);
        WeatherApi api = new ResilientWeatherApi(city -> recorder.attempted(raw, city), ResilienceContext.builder().listener(recorder).build());
        out.printf("%nFailures as values: WeatherApi.forecast returns the server's reply, a 503 too, instead of throwing;%n");
        out.printf("its unavailable(reply) judges them: retryOnResult retries a 5xx reply, failOnResult counts it against breaker"
                + " 'weather-api'%n(4 in a row open it for 1 s), and waitFrom = \"serverWait\" reads its Retry-After. The server"
                + " fails 25%% of requests;%nat call %d it goes down for %.1f s.%n%n", OUTAGE_AT_CALL, OUTAGE.toMillis() / 1e3);
        int before = server.requests();
        long began = System.nanoTime();
        List<Call> calls = new ArrayList<>();
        for (int number = 1; number <= CALLS; number++) {
            if (number == OUTAGE_AT_CALL) {
                server.goDownFor(OUTAGE);
                out.printf(Locale.ROOT, "     !! the server goes down for %.1f s%n", OUTAGE.toMillis() / 1e3);
            }
            String city = Demo.CITIES.get(number % Demo.CITIES.size());
            out.printf(Locale.ROOT, "%3d  %6.2fs  forecast(%s): ", number, (System.nanoTime() - began) / 1e9, city);
            recorder.begin();
            Reply reply = null;
            Throwable failure = null;
            try {
                reply = api.forecast(city);
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
            Call call = new Call(number, List.copyOf(recorder.attempts), List.copyOf(recorder.waits), reply, failure,
                    List.copyOf(recorder.callTransitions));
            calls.add(call);
            out.println(line(call, api));
            call.transitions().forEach(transition -> out.println(transition));
            Thread.sleep(PACE.toMillis());
        }
        Result result = new Result(List.copyOf(calls), List.copyOf(recorder.transitions), server.requests() - before);

        int rejected = (int) calls.stream().filter(Call::rejectedAtOnce).count();
        int afterRetry = (int) calls.stream().filter(call -> call.reply() != null && call.reply().status() == 200 && !call.waits().isEmpty())
                .count();
        out.printf("%nFailures-as-values summary: %d calls: %d answered 200 (%d of them after retrying a 503 reply),%n%d returned"
                        + " their last 503 reply, %d rejected at once by the open breaker, %d failed otherwise.%n",
                calls.size(), result.answered(200), afterRetry, result.answered(503), rejected,
                calls.size() - result.answered(200) - result.answered(503) - rejected);
        out.printf("The server counted %d requests; the client got %d replies of 200 and %d of 503, and retried %d of those 503s."
                        + "%nNo 503 was thrown: the breaker counted the replies, and opened %s.%n",
                result.serverRequests(), result.attempts("200"), result.attempts("503"), result.retried("503"),
                result.openedAt() > 0 ? "on the 503 reply of call " + result.openedAt() : "never");
        out.printf("Breaker transitions: %s%n", String.join(", ", result.transitions()));
        return result;
    }

    /** Each attempt's status and the wait after it, then how the call ended. */
    private static String line(Call call, WeatherApi api) {
        if (call.rejectedAtOnce()) {
            return "rejected at once, no request sent: " + call.failure().getMessage();
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < call.attempts().size(); i++) {
            line.append(i == 0 ? "" : "; ").append(call.attempts().get(i));
            if (i < call.waits().size()) {
                line.append(", retried in ").append(call.waits().get(i).toMillis()).append(" ms");
            }
        }
        if (call.failure() != null) {
            return line.append(" -> failed: ").append(Timeline.describe(call.failure())).toString();
        }
        if (api.unavailable(call.reply())) {
            return line.append(" -> the last reply returned: ").append(call.reply()).toString();
        }
        return line.toString();
    }
}
