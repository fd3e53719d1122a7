package dev.resilient.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.spring.clients.FailingStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code resilient.health.open-status=down}: an OPEN breaker makes the application DOWN, HTTP 503. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "resilient.health.open-status=down", "management.endpoint.health.show-components=always"})
class HealthOpenStatusTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        FailingStore store() {
            return new FailingStore();
        }
    }

    @LocalServerPort int port;
    @Autowired ResilienceContext context;

    @Test
    void anOpenBreakerIsDown() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build();
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        context.breaker("Store.get(String)").forceOpen();
        HttpResponse<String> open = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(open.statusCode()).isEqualTo(503);
        assertThat(JsonPath.parse(open.body()).read("$.components.resilient.status", String.class)).isEqualTo("DOWN");
    }
}
