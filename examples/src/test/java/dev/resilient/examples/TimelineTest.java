package dev.resilient.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.examples.Timeline.Call;
import dev.resilient.examples.Timeline.Outcome;
import dev.resilient.examples.Timeline.Tally;
import dev.resilient.runtime.CircuitBreaker.State;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What the timeline prints and counts. Events are fed by hand in each order the runtime could
 * report them in, and then through the generated wrapper on {@link ManualTime}: nothing sleeps.
 */
class TimelineTest {
    private static final String METHOD = "WeatherService.forecast";
    private static final HttpStatusException UNAVAILABLE = HttpStatusException.of(503, "{\"error\":\"unavailable\"}");
    private static final Forecast LIMA = new Forecast("Lima", 19.0, "sun");

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    private final ManualTime time = new ManualTime();
    private final AtomicInteger serverRequests = new AtomicInteger();

    private Timeline single() {
        return new Timeline(out, time::nanoTime, List.of(new Timeline.Delegate("the server", "weather", serverRequests::get)));
    }

    private Timeline failover() {
        return new Timeline(out, time::nanoTime, List.of(
                new Timeline.Delegate("the primary", "weather", serverRequests::get),
                new Timeline.Delegate("backup #1", "weather#1", () -> 0)));
    }

    private List<String> lines() {
        List<String> lines = List.of(buffer.toString(StandardCharsets.UTF_8).split("\\R"));
        buffer.reset();
        return lines;
    }

    /** Feeds a call that fails once, opening the breaker, whose retry the breaker refuses. */
    private List<String> refusedRetry(Consumer<Timeline> attemptAndStateChange, boolean stateAfterRetry) {
        Timeline timeline = single();
        timeline.begin("forecast(Lima)");
        serverRequests.incrementAndGet();
        attemptAndStateChange.accept(timeline);
        timeline.onRetry(METHOD, 1, UNAVAILABLE, Duration.ofMillis(40));
        if (stateAfterRetry) {
            timeline.onStateChange("weather", State.CLOSED, State.OPEN);
        }
        CircuitOpenException refusal = new CircuitOpenException("weather", State.OPEN, 960_000_000L, UNAVAILABLE);
        timeline.onRejected("weather", refusal);
        Call call = timeline.failed(refusal);
        assertEquals(Outcome.REFUSED_AFTER_REQUESTS, call.outcome());
        assertEquals(List.of(new Tally(1, 0, 1, 0, 1, 1)), call.delegates());
        assertTrue(call.causeSet());
        assertEquals(List.of("weather: CLOSED -> OPEN"), call.transitions());
        return lines();
    }

    @Test
    void theStateChangeAnAttemptCausedIsPrintedUnderItWhicheverIsHeardFirst() {
        List<String> expected = List.of(
                "  1    0.00s  forecast(Lima)",
                "        attempt 1 failed (HttpStatusException: HTTP 503: {\"error\":\"unavailable\"}), retrying in 40 ms",
                "     >> breaker 'weather': CLOSED -> OPEN",
                "        -> refused by the breaker after 1 failed request: circuit breaker 'weather' is OPEN for another 0.960 s"
                        + " (the last failure: HttpStatusException: HTTP 503: {\"error\":\"unavailable\"})");
        List<String> stateFirst = refusedRetry(timeline -> {
            timeline.onStateChange("weather", State.CLOSED, State.OPEN);
            timeline.onAttempt(METHOD, 1, UNAVAILABLE);
        }, false);
        List<String> attemptFirst = refusedRetry(timeline -> {
            timeline.onAttempt(METHOD, 1, UNAVAILABLE);
            timeline.onStateChange("weather", State.CLOSED, State.OPEN);
        }, false);
        List<String> retryFirst = refusedRetry(timeline -> timeline.onAttempt(METHOD, 1, UNAVAILABLE), true);

        assertEquals(expected, stateFirst);
        assertEquals(expected, attemptFirst);
        assertEquals(expected, retryFirst);
    }

    @Test
    void aClosingIsPrintedUnderTheTrialCallsAnswerWhicheverIsHeardFirst() {
        for (boolean stateFirst : new boolean[] {true, false}) {
            Timeline timeline = single();
            timeline.begin("forecast(Lima)");
            timeline.onStateChange("weather", State.OPEN, State.HALF_OPEN);
            if (stateFirst) {
                timeline.onStateChange("weather", State.HALF_OPEN, State.CLOSED);
            }
            timeline.onAttempt(METHOD, 1, null);
            if (!stateFirst) {
                timeline.onStateChange("weather", State.HALF_OPEN, State.CLOSED);
            }
            Call call = timeline.answered(LIMA);

            assertEquals(List.of(
                    "  1    0.00s  forecast(Lima)",
                    "     >> breaker 'weather': OPEN -> HALF_OPEN",
                    "        -> Lima 19.0°C sun",
                    "     >> breaker 'weather': HALF_OPEN -> CLOSED"), lines(), "state change heard first: " + stateFirst);
            assertEquals(Outcome.ANSWERED, call.outcome());
            assertEquals(List.of("weather: OPEN -> HALF_OPEN", "weather: HALF_OPEN -> CLOSED"), call.transitions());
        }
    }

    @Test
    void underFailoverThePrimarysFailureAndItsBreakerComeBeforeTheBackupsAnswer() {
        for (boolean stateFirst : new boolean[] {true, false}) {
            Timeline timeline = failover();
            timeline.begin("forecast(Lima)");
            timeline.onFailoverAttempt(METHOD, 1, 0);
            serverRequests.incrementAndGet();
            if (stateFirst) {
                timeline.onStateChange("weather", State.CLOSED, State.OPEN);
            }
            timeline.onAttempt(METHOD, 1, UNAVAILABLE);
            if (!stateFirst) {
                timeline.onStateChange("weather", State.CLOSED, State.OPEN);
            }
            timeline.onFailoverAttempt(METHOD, 1, 1);
            timeline.onAttempt(METHOD, 1, null);
            Call call = timeline.answered(LIMA);

            assertEquals(List.of(
                    "  1    0.00s  forecast(Lima)",
                    "        attempt 1 to the primary failed (HttpStatusException: HTTP 503: {\"error\":\"unavailable\"})",
                    "     >> breaker 'weather': CLOSED -> OPEN",
                    "        -> Lima 19.0°C sun (from backup #1)"), lines(), "state change heard first: " + stateFirst);
            assertEquals(1, call.answeredBy());
            assertEquals(List.of(new Tally(1, 0, 1, 0, 0, 1), new Tally(1, 0, 0, 0, 0, 0)), call.delegates());

            timeline.begin("forecast(Oslo)");
            timeline.onRejected("weather", new CircuitOpenException("weather", State.OPEN, 500_000_000L, null));
            timeline.onFailoverAttempt(METHOD, 1, 1);
            timeline.onAttempt(METHOD, 1, null);
            Call skipped = timeline.answered(new Forecast("Oslo", -3.5, "snow"));

            assertEquals(List.of(
                    "  2    0.00s  forecast(Oslo)",
                    "        the primary skipped: circuit breaker 'weather' is OPEN for another 0.500 s",
                    "        -> Oslo -3.5°C snow (from backup #1)"), lines());
            assertEquals(List.of(new Tally(0, 0, 0, 0, 1, 0), new Tally(1, 0, 0, 0, 0, 0)), skipped.delegates());
        }
    }

    @Test
    void aRejectionReportedAsAnAttemptIsNotCountedAsARequest() {
        Timeline timeline = single();
        timeline.begin("forecast(Lima)");
        CircuitOpenException rejection = new CircuitOpenException("weather", State.OPEN, 500_000_000L, null);
        timeline.onRejected("weather", rejection);
        timeline.onAttempt(METHOD, 1, rejection);
        Call call = timeline.failed(rejection);

        assertEquals(Outcome.REJECTED_AT_ONCE, call.outcome());
        assertEquals(0, call.requests());
        assertFalse(call.causeSet());
        assertEquals(List.of(
                "  1    0.00s  forecast(Lima)",
                "        -> rejected at once, no request sent: circuit breaker 'weather' is OPEN for another 0.500 s"), lines());
    }

    @Test
    void aFailureThatIsNotRetriedIsPrintedOnceAndATimeoutCountsAsUnanswered() {
        Timeline timeline = single();
        timeline.begin("forecast(Atlantis)");
        HttpStatusException notFound = HttpStatusException.of(404, "{\"error\":\"unknown city\"}");
        timeline.onAttempt(METHOD, 1, notFound);
        Call call = timeline.failed(notFound);
        assertEquals(Outcome.FAILED, call.outcome());
        assertEquals(List.of(
                "  1    0.00s  forecast(Atlantis)",
                "        -> failed: ClientError: HTTP 404: {\"error\":\"unknown city\"}"), lines());

        timeline.begin("forecast(Lima)");
        time.advance(Duration.ofMillis(1500));
        timeline.onAttempt(METHOD, 1, new HttpTimeoutException("request timed out"));
        timeline.onRetry(METHOD, 1, UNAVAILABLE, Duration.ofMillis(30)); // not the same failure: a line of its own
        timeline.onAttempt(METHOD, 2, null);
        Call retried = timeline.answered(LIMA);
        assertEquals(List.of(new Tally(2, 1, 1, 1, 0, 0)), retried.delegates());
        assertEquals(List.of(
                "  2    0.00s  forecast(Lima)",
                "        attempt 1 failed (HttpTimeoutException: request timed out)",
                "        attempt 1: retrying in 30 ms (HttpStatusException: HTTP 503: {\"error\":\"unavailable\"})",
                "        -> Lima 19.0°C sun"), lines());
        timeline.begin("forecast(Oslo)");
        assertEquals(List.of("  3    1.50s  forecast(Oslo)"), lines(), "the time since the first call");
    }

    /** The real event order of the generated wrapper and the runtime, whatever it is. */
    @Test
    void throughTheGeneratedWrapperEachCallIsTalliedAndEachTransitionFollowsItsCause() {
        Deque<Object> script = new ArrayDeque<>(List.of(UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, LIMA));
        AtomicInteger calls = new AtomicInteger();
        WeatherService scripted = new WeatherService() {
            @Override
            public Forecast forecast(String city) throws IOException {
                calls.incrementAndGet();
                Object next = script.removeFirst();
                if (next instanceof IOException failure) {
                    throw failure;
                }
                return (Forecast) next;
            }

            @Override
            public boolean healthy() {
                return true;
            }
        };
        Timeline timeline = new Timeline(out, time::nanoTime, List.of(new Timeline.Delegate("the server", "weather", calls::get)));
        ResilienceContext context = ResilienceContext.builder().time(time).random(new SplittableRandom(3)).listener(timeline).build();
        WeatherService weather = new ResilientWeatherService(scripted, context);

        Call gaveUp = call(timeline, weather);
        Call refused = call(timeline, weather);
        Call atOnce = call(timeline, weather);
        time.advance(Duration.ofSeconds(1));
        Call trial = call(timeline, weather);

        assertEquals(List.of(Outcome.FAILED, Outcome.REFUSED_AFTER_REQUESTS, Outcome.REJECTED_AT_ONCE, Outcome.ANSWERED),
                List.of(gaveUp.outcome(), refused.outcome(), atOnce.outcome(), trial.outcome()));
        assertEquals(List.of(3, 1, 0, 1), List.of(gaveUp.requests(), refused.requests(), atOnce.requests(), trial.requests()));
        assertEquals(List.of(3, 1, 0, 1), List.of(gaveUp.serverRequests(), refused.serverRequests(), atOnce.serverRequests(),
                trial.serverRequests()));
        assertTrue(refused.causeSet());
        assertFalse(atOnce.causeSet());
        assertEquals(List.of("weather: CLOSED -> OPEN"), refused.transitions());
        assertEquals(List.of("weather: OPEN -> HALF_OPEN", "weather: HALF_OPEN -> CLOSED"), trial.transitions());

        List<String> lines = lines();
        String text = String.join("\n", lines);
        int opened = lines.indexOf("     >> breaker 'weather': CLOSED -> OPEN");
        assertTrue(lines.get(opened - 1).startsWith("        attempt 1 failed (HttpStatusException: HTTP 503"), text);
        assertTrue(lines.get(opened - 2).matches("  2 +\\d+\\.\\d\\ds  forecast\\(Lima\\)"), text);
        assertTrue(lines.get(opened + 1).startsWith("        -> refused by the breaker after 1 failed request: "), text);
        assertTrue(lines.get(opened + 2).startsWith("  3 "), text);
        assertTrue(lines.get(opened + 3).startsWith("        -> rejected at once, no request sent: circuit breaker 'weather' is OPEN"), text);
        int closed = lines.indexOf("     >> breaker 'weather': HALF_OPEN -> CLOSED");
        assertEquals("        -> Lima 19.0°C sun", lines.get(closed - 1), text);
        assertEquals("     >> breaker 'weather': OPEN -> HALF_OPEN", lines.get(closed - 2), text);
    }

    private static Call call(Timeline timeline, WeatherService weather) {
        timeline.begin("forecast(Lima)");
        try {
            return timeline.answered(weather.forecast("Lima"));
        } catch (IOException | RuntimeException e) {
            return timeline.failed(e);
        }
    }
}
