package dev.resilient.examples.boot;

import dev.resilient.examples.FlakyServer;
import dev.resilient.examples.Forecast;
import dev.resilient.examples.WeatherService;
import dev.resilient.runtime.CircuitOpenException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /weather/{city}} through the injected client; {@code POST /outage?seconds=3} takes the remote down. */
@RestController
class WeatherController {
    private final WeatherService weather;
    private final FlakyServer server;

    /** {@code weather} is the generated wrapper: the application asked for the interface. */
    WeatherController(WeatherService weather, FlakyServer server) {
        this.weather = weather;
        this.server = server;
    }

    @GetMapping("/weather/{city}")
    Forecast forecast(@PathVariable("city") String city) throws IOException {
        return weather.forecast(city);
    }

    @PostMapping("/outage")
    Map<String, Object> outage(@RequestParam(name = "seconds", defaultValue = "3") int seconds) {
        server.goDownFor(Duration.ofSeconds(seconds));
        return Map.of("down for seconds", seconds);
    }

    @ExceptionHandler(CircuitOpenException.class)
    ResponseEntity<Map<String, String>> open(CircuitOpenException rejected) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", rejected.getMessage()));
    }

    @ExceptionHandler(IOException.class)
    ResponseEntity<Map<String, String>> failed(IOException failure) {
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(Map.of("error", String.valueOf(failure.getMessage())));
    }
}
