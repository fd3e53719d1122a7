package dev.resilient.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    private static void callWhileDown(Forecasts client, int calls) {
        for (int i = 0; i < calls; i++) {
            HttpStatusException failure = assertThrows(HttpStatusException.class, () -> client.forecast("Oslo"));
            assertEquals(503, failure.status());
        }
    }
}
