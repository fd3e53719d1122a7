package dev.resilient.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.examples.FleetClients.Forecasts;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.RateLimitedException;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet parts' clients one call at a time, over real HTTP to the embedded server, on
 * {@link ManualTime}: the budget's and the limit's arithmetic, exactly.
 */
class FleetClientsTest {
    private final FlakyServer server = new FlakyServer(0, 0, Duration.ZERO, 1);
    private final ManualTime time = new ManualTime();
    private final ResilienceContext context = ResilienceContext.builder().time(time).build();
    private final HttpWeatherService http = new HttpWeatherService(server.uri(), Duration.ofSeconds(10));

    FleetClientsTest() throws IOException {}

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void withoutABudgetEveryCallToADownServerSendsMaxAttemptsRequests() {
        server.goDownFor(Duration.ofMinutes(1));
        Forecasts client = new ResilientFleetClients_Retrying(http::forecast, context);

        callWhileDown(client, 100);

        assertEquals(100 * FleetClients.MAX_ATTEMPTS, server.requests());
    }

    @Test
    void theBudgetAllowsItsRatioOfTheCallsPlusItsReserve() {
        server.goDownFor(Duration.ofMinutes(1));
        Forecasts client = new ResilientFleetClients_Budgeted(http::forecast, context);

        callWhileDown(client, 100);

        // 0.2 x 100 calls + 1 a second x 10 s: the first five calls use the reserve up, then one call in five retries once.
        assertEquals(100 + 30, server.requests());
        assertEquals(30, time.sleeps().size(), "a refused retry waits nothing");
    }

    @Test
    void theRateLimitLetsItsBurstThroughThenOneRequestPerIntervalAndRefusesTheRestUnsent() throws IOException {
        Forecasts client = new ResilientFleetClients_RateLimited(http::forecast, context);
        for (int i = 0; i < FleetClients.RATE_PERMITS; i++) {
            client.forecast("Oslo");
        }

        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> client.forecast("Oslo"));

        Duration interval = Duration.ofMillis(FleetClients.RATE_PER_MILLIS / FleetClients.RATE_PERMITS);
        assertEquals(interval, refused.nextTokenIn());
        assertEquals(FleetClients.RATE_PERMITS, server.requests(), "the refused call sent nothing");
        time.advance(interval);
        client.forecast("Oslo");
        assertThrows(RateLimitedException.class, () -> client.forecast("Oslo"));
        assertEquals(FleetClients.RATE_PERMITS + 1, server.requests());
    }

    /** On the system clock: a hedge's delay is a timer of the context. */
    @Test
    void aLateFirstAnswerIsHedgedAndTheSecondRequestsAnswerWins() throws Exception {
        try (FlakyServer slow = new FlakyServer(0, 0, Duration.ofSeconds(30), 1)) {
            slow.slowEvery(2);
            EventCounts hedges = new EventCounts();
            ResilienceContext system = ResilienceContext.builder().listener(hedges).build();
            HttpWeatherService raw = new HttpWeatherService(slow.uri(), Duration.ofMinutes(1));
            Forecasts client = new ResilientFleetClients_Hedged(raw::forecast, system);
            raw.forecast("Oslo"); // request 1, answered at once; it also opens the connection, so no first call is late

            long start = System.nanoTime();
            assertEquals(new Forecast("Lima", 19.0, "sun"), client.forecast("Lima"), "request 2 is slow, request 3 is not");

            assertTrue(System.nanoTime() - start < Duration.ofSeconds(15).toNanos(), "not the 30 s of the slow answer");
            assertEquals(1, hedges.hedges.get());
            assertEquals(3, slow.requests());
        }
    }

    private static void callWhileDown(Forecasts client, int calls) {
        for (int i = 0; i < calls; i++) {
            HttpStatusException failure = assertThrows(HttpStatusException.class, () -> client.forecast("Oslo"));
            assertEquals(503, failure.status());
        }
    }
}
