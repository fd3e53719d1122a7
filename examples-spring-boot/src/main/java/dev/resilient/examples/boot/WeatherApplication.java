package dev.resilient.examples.boot;

import dev.resilient.examples.FlakyServer;
import dev.resilient.examples.HttpWeatherService;
import java.io.IOException;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The weather client as a Spring Boot application. There is no resilience code here: the plain
 * {@link HttpWeatherService} is a bean, and {@code resilient-spring-boot} has every injection point
 * of {@code WeatherService} receive the generated {@code ResilientWeatherService} around it,
 * configured from {@code application.yml}.
 */
@SpringBootApplication
public class WeatherApplication {

    /** The remote service, embedded so that the example runs alone: it fails a share of requests and can go down. */
    @Bean(destroyMethod = "close")
    FlakyServer flakyServer(@Value("${weather.server.failure-share}") double failureShare) throws IOException {
        return new FlakyServer(failureShare, 0, Duration.ZERO, 42);
    }

    @Bean
    HttpWeatherService httpWeatherService(FlakyServer server) {
        return new HttpWeatherService(server.uri(), Duration.ofSeconds(2));
    }

    public static void main(String[] args) {
        SpringApplication.run(WeatherApplication.class, args);
    }
}
