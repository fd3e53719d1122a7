package dev.resilient.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.CircuitBreaker.State;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Failures as values: the generated {@code ResilientWeatherApi} over real HTTP to the embedded
 * server, judging the replies it returns, with waits on {@link ManualTime}.
 */
class WeatherApiTest {
    private final FlakyServer server = new FlakyServer(0, 0, Duration.ZERO, 1);
    private final ManualTime time = new ManualTime();
    private final ResilienceContext context = ResilienceContext.builder().time(time).random(new SplittableRandom(3)).build();
    private final WeatherApi api = new ResilientWeatherApi(new HttpWeatherApi(server.uri(), Duration.ofSeconds(10)), context);

    WeatherApiTest() throws IOException {}

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a503ReplyIsRetriedAsAThrown503Would() throws IOException {
        server.failNext(2);

        Reply reply = api.forecast("Oslo");

        assertEquals(200, reply.status(), reply.toString());
        assertEquals(3, server.requests());
        List<Duration> waits = time.sleeps();
        assertEquals(2, waits.size(), waits.toString());
        assertTrue(waits.get(0).compareTo(Duration.ofMillis(25)) >= 0 && waits.get(0).compareTo(Duration.ofMillis(50)) <= 0, waits.toString());
    }

    @Test
    void whenTheAttemptsRunOutOnA503TheCallerGetsTheLastReplyAfterTheWaitsItAskedFor() throws IOException {
        server.goDownFor(Duration.ofSeconds(30));

        Reply reply = api.forecast("Oslo");

        assertEquals(503, reply.status(), "returned, not thrown");
        assertEquals(Duration.ofSeconds(1), reply.retryAfter());
        assertEquals(3, server.requests());
        assertEquals(List.of(Duration.ofMillis(400), Duration.ofMillis(400)), time.sleeps(),
                "waitFrom: Retry-After: 1, under maxDelay = 400ms, and without jitter");
    }

    @Test
    void the503RepliesCountAgainstTheBreakerWhichThenProtectsTheServer() throws IOException {
        server.failNext(4);

        assertEquals(503, api.forecast("Lima").status());
        assertEquals(State.CLOSED, context.breaker("weather-api").state(), "three 503s in a row: one short of the threshold");
        assertEquals(503, api.forecast("Lima").status(), "the fourth opens the breaker; no wait is made towards a rejection");
        assertEquals(State.OPEN, context.breaker("weather-api").state());
        assertEquals(4, server.requests());
        assertEquals(2, time.sleeps().size(), "only the first call waited");

        assertThrows(CircuitOpenException.class, () -> api.forecast("Lima"));
        assertEquals(4, server.requests(), "an open breaker sends nothing");

        time.advance(Duration.ofSeconds(1));
        assertEquals(200, api.forecast("Lima").status());
        assertEquals(State.CLOSED, context.breaker("weather-api").state());
    }

    @Test
    void aClientErrorReplyIsNeitherRetriedNorCountedAgainstTheBreaker() throws IOException {
        for (int i = 0; i < 5; i++) {
            assertEquals(404, api.forecast("Atlantis").status());
        }
        assertEquals(5, server.requests());
        assertEquals(List.of(), time.sleeps());
        assertEquals(State.CLOSED, context.breaker("weather-api").state());
    }
}
