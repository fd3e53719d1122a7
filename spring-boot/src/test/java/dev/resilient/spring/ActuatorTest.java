package dev.resilient.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.spring.clients.CountingServer;
import dev.resilient.spring.clients.FailingStore;
import dev.resilient.spring.clients.HttpRemoteClient;
import dev.resilient.spring.clients.RemoteClient;
import dev.resilient.spring.clients.ResilientRemoteClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application on a random port with Actuator and Micrometer: a client bean is wrapped and
 * retries against a real server; health and the {@code resilient} endpoint, over HTTP, show its
 * breaker open after failures and closed after a reset; meters exist for every breaker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,resilient",
        "management.endpoint.health.show-components=always",
        "management.endpoint.health.show-details=always",
        "spring.web.error.include-message=always"})
class ActuatorTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean(destroyMethod = "close")
        CountingServer server() throws IOException {
            return new CountingServer();
        }

        @Bean
        HttpRemoteClient httpRemoteClient(CountingServer server) {
            return new HttpRemoteClient(server.uri());
        }

        /** Another part of the application's health, DOWN on demand. */
        @Bean
        HealthIndicator databaseHealthIndicator(AtomicBoolean databaseDown) {
            return () -> databaseDown.get() ? Health.down().build() : Health.up().build();
        }

        @Bean
        AtomicBoolean databaseDown() {
            return new AtomicBoolean();
        }

        /** A second client with breakers of its own, so that "every breaker" is more than one. */
        @Bean
        FailingStore store() {
            return new FailingStore();
        }
    }

    @LocalServerPort int port;
    @Autowired RemoteClient client;
    @Autowired CountingServer server;
    @Autowired ResilienceContext context;
    @Autowired MeterRegistry registry;
    @Autowired AtomicBoolean databaseDown;

    @BeforeEach
    void closeBreakers() {
        databaseDown.set(false);
        context.breakers().forEach(breaker -> breaker.reset());
        server.failNext.set(0);
        server.requests.set(0);
    }

    private HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private DocumentContext get(String path, int status) throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", path, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JsonPath.parse(response.body());
    }

    /** One call whose three attempts all fail: the second failure opens the breaker, which rejects the third. */
    private void openTheBreaker() {
        server.requests.set(0);
        server.failNext.set(100);
        assertThatThrownBy(() -> client.fetch("x")).isInstanceOf(CircuitOpenException.class).hasCauseInstanceOf(IOException.class);
        assertThat(server.requests).hasValue(2);
    }

    @Test
    void theClientBeanIsWrappedAndItsRetriesReachTheServer() throws IOException {
        assertThat(client).isInstanceOf(ResilientRemoteClient.class);
        server.failNext.set(1);
        assertThat(client.fetch("x")).isEqualTo("ok");
        assertThat(server.requests).hasValue(2);
    }

    @Test
    void healthShowsAnOpenBreakerAsCircuitOpenAndUpAfterAReset() throws Exception {
        DocumentContext closed = get("/actuator/health", 200);
        assertThat(closed.read("$.status", String.class)).isEqualTo("UP");
        assertThat(closed.read("$.components.resilient.details.remote", String.class)).isEqualTo("CLOSED");

        openTheBreaker();
        DocumentContext open = get("/actuator/health", 200);
        assertThat(open.read("$.status", String.class)).isEqualTo("CIRCUIT_OPEN");
        assertThat(open.read("$.components.resilient.status", String.class)).isEqualTo("CIRCUIT_OPEN");
        assertThat(open.read("$.components.resilient.details.remote", String.class)).isEqualTo("OPEN");
        assertThat(open.read("$.components.resilient.details['Store.get(String)']", String.class)).isEqualTo("CLOSED");

        HttpResponse<String> reset = send("POST", "/actuator/resilient/remote", "{\"action\":\"reset\"}");
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
        assertThat(JsonPath.parse(reset.body()).read("$.state", String.class)).isEqualTo("CLOSED");
        assertThat(get("/actuator/health", 200).read("$.components.resilient.details.remote", String.class)).isEqualTo("CLOSED");
    }

    @Test
    void anOpenBreakerDoesNotHideWhatIsDown() throws Exception {
        openTheBreaker();
        databaseDown.set(true);
        DocumentContext health = get("/actuator/health", 503);
        assertThat(health.read("$.status", String.class)).isEqualTo("DOWN");
        assertThat(health.read("$.components.resilient.status", String.class)).isEqualTo("CIRCUIT_OPEN");
    }

    @Test
    void theEndpointListsEveryBreakerWithStateSettingsAndTimeLeftOpen() throws Exception {
        openTheBreaker();
        DocumentContext all = get("/actuator/resilient", 200);
        List<String> names = all.read("$.breakers[*].name");
        assertThat(names)
                .containsExactlyInAnyOrderElementsOf(context.breakers().stream().map(breaker -> breaker.name()).toList())
                .contains("remote", "Store.get(String)", "Store.get(String,int)");
        DocumentContext remote = get("/actuator/resilient/remote", 200);
        assertThat(remote.read("$.state", String.class)).isEqualTo("OPEN");
        assertThat(remote.read("$.settings", String.class)).contains("failureThreshold=2", "openFor=PT30S", "failOn=[IOException]");
        Duration left = Duration.parse(remote.read("$.timeLeftOpen", String.class));
        assertThat(left).isGreaterThan(Duration.ofSeconds(20)).isLessThanOrEqualTo(Duration.ofSeconds(30));

        HttpResponse<String> reset = send("POST", "/actuator/resilient/remote", "{\"action\":\"reset\"}");
        assertThat(reset.statusCode()).isEqualTo(200);
        DocumentContext closed = get("/actuator/resilient/remote", 200);
        assertThat(closed.read("$.state", String.class)).isEqualTo("CLOSED");
        assertThat(closed.read("$.timeLeftOpen", String.class)).isEqualTo("PT0S");
        server.failNext.set(0);
        assertThat(client.fetch("x")).isEqualTo("ok");
    }

    @Test
    void forceOpenHoldsTheBreakerOpenAndBadRequestsAreRefused() throws Exception {
        HttpResponse<String> forced = send("POST", "/actuator/resilient/remote", "{\"action\":\"forceOpen\"}");
        assertThat(forced.statusCode()).isEqualTo(200);
        DocumentContext remote = JsonPath.parse(forced.body());
        assertThat(remote.read("$.state", String.class)).isEqualTo("OPEN");
        assertThat(remote.read("$.timeLeftOpen", String.class)).as("held open until reset").isNull();
        assertThatThrownBy(() -> client.fetch("x")).isInstanceOf(CircuitOpenException.class);
        assertThat(server.requests).hasValue(0);

        HttpResponse<String> badAction = send("POST", "/actuator/resilient/remote", "{\"action\":\"close\"}");
        assertThat(badAction.statusCode()).isEqualTo(400);
        assertThat(JsonPath.parse(badAction.body()).read("$.message", String.class)).as("what is allowed, where messages are shown")
                .isEqualTo("unknown action 'close': the action must be forceOpen or reset");
        HttpResponse<String> badName = send("POST", "/actuator/resilient/nothing", "{\"action\":\"reset\"}");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(JsonPath.parse(badName.body()).read("$.message", String.class))
                .startsWith("no circuit breaker named 'nothing'; the breakers are: ").contains("remote");
        assertThat(send("GET", "/actuator/resilient/nothing", null).statusCode()).isEqualTo(404);
    }

    @Test
    void micrometerHasAGaugeForEveryBreakerAndCountsAttemptsWithoutCode() throws IOException {
        for (var breaker : context.breakers()) {
            assertThat(registry.find("resilient.breaker.state").tag("breaker", breaker.name()).gauge())
                    .as("state gauge of %s", breaker.name()).isNotNull();
        }
        server.failNext.set(1);
        double before = registry.counter("resilient.attempts", "interface", "RemoteClient", "method", "fetch", "outcome", "failure").count();
        client.fetch("x");
        assertThat(registry.counter("resilient.attempts", "interface", "RemoteClient", "method", "fetch", "outcome", "failure").count())
                .isEqualTo(before + 1);
        openTheBreaker();
        assertThat(registry.find("resilient.breaker.state").tag("breaker", "remote").gauge().value()).isEqualTo(1.0);
    }

    /** Breaker names of overloads hold dots, parentheses and commas; the endpoint takes them as one selector. */
    @Test
    void theEndpointSelectsBreakersWhoseNamesHoldPunctuation() throws Exception {
        assertThat(get("/actuator/resilient/Store.get(String,int)", 200).read("$.name", String.class)).isEqualTo("Store.get(String,int)");
        assertThat(get("/actuator/resilient/Store.get%28String%29", 200).read("$.name", String.class)).isEqualTo("Store.get(String)");
        HttpResponse<String> forced = send("POST", "/actuator/resilient/Store.get(String,int)", "{\"action\":\"forceOpen\"}");
        assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
        assertThat(context.breaker("Store.get(String,int)").state().name()).isEqualTo("OPEN");
        assertThat(send("POST", "/actuator/resilient/remote", "{}").statusCode()).as("no action").isEqualTo(400);
    }
}
