package dev.resilient.examples;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The plain transport: one HTTP request per call, its answer returned whatever its status; no retries, no breaker. */
public final class HttpWeatherApi implements WeatherApi {
    private final HttpClient http;
    private final URI base;
    private final Duration requestTimeout;

    /**
     * @param base where the service listens, as in {@code http://127.0.0.1:8080}
     * @param requestTimeout how long one request may take before it fails with an {@link IOException}
     */
    public HttpWeatherApi(URI base, Duration requestTimeout) {
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
        this.base = base;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public Reply forecast(String city) throws IOException {
        return get("/forecast?city=" + URLEncoder.encode(city, StandardCharsets.UTF_8));
    }

    /** The answer to a GET of {@code path}; an {@link IOException} when there is none in time. */
    Reply get(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + path, e);
        }
        return Reply.of(response.statusCode(), response.body(), response.headers().firstValue("Retry-After"));
    }
}
