package dev.resilient.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.resilient.examples.FlakyServer;
import dev.resilient.examples.ResilientWeatherService;
import dev.resilient.examples.WeatherService;
import dev.resilient.runtime.ResilienceContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The example as its README shows it, on a random port and with a remote that fails only when told. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "weather.server.failure-share=0")
class WeatherApplicationTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort int port;
    @Autowired WeatherService weather;
    @Autowired FlakyServer server;
    @Autowired ResilienceContext context;

    @BeforeEach
    void closeBreakers() {
        context.breakers().forEach(breaker -> breaker.reset());
        server.failNext(0);
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theControllerGetsTheWrapperConfiguredFromApplicationYml() throws Exception {
        assertThat(weather).isInstanceOf(ResilientWeatherService.class);
        int before = server.requests();
        server.failNext(3);
        HttpResponse<String> oslo = send("GET", "/weather/Oslo");
        assertThat(oslo.statusCode()).as(oslo.body()).isEqualTo(200);
        assertThat(JsonPath.parse(oslo.body()).read("$.city", String.class)).isEqualTo("Oslo");
        assertThat(server.requests() - before).as("maxAttempts 4 from application.yml").isEqualTo(4);

        DocumentContext breaker = JsonPath.parse(send("GET", "/actuator/resilient/weather").body());
        assertThat(breaker.read("$.settings", String.class)).contains("failureThreshold=4", "openFor=PT5S");
    }

    @Test
    void anOutageOpensTheBreakerUntilItIsReset() throws Exception {
        send("POST", "/outage?seconds=60");
        assertThat(send("GET", "/weather/Oslo").statusCode()).isEqualTo(502); // four failed attempts open the breaker
        HttpResponse<String> rejected = send("GET", "/weather/Lima");
        assertThat(rejected.statusCode()).isEqualTo(503);
        assertThat(rejected.body()).contains("circuit breaker 'weather' is OPEN");
        assertThat(JsonPath.parse(send("GET", "/actuator/health").body()).read("$.status", String.class)).isEqualTo("CIRCUIT_OPEN");

        send("POST", "/outage?seconds=0");
        HttpRequest reset = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/resilient/weather"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"reset\"}")).build();
        assertThat(http.send(reset, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/weather/Lima").statusCode()).isEqualTo(200);
        assertThat(JsonPath.parse(send("GET", "/actuator/health").body()).read("$.status", String.class)).isEqualTo("UP");
    }
}
