package dev.resilient.examples;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The plain client: one HTTP request per call, no retries, no breaker. */
public final class HttpWeatherService implements WeatherService {
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(\"([^\"]*)\"|[-0-9.]+)");

    private final HttpClient http;
    private final URI base;
    private final Duration requestTimeout;

    /**
     * @param base where the service listens, as in {@code http://127.0.0.1:8080}
     * @param requestTimeout how long one request may take before it fails with an {@link IOException}
     */
    public HttpWeatherService(URI base, Duration requestTimeout) {
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
        this.base = base;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public Forecast forecast(String city) throws IOException {
        String body = get("/forecast?city=" + URLEncoder.encode(city, StandardCharsets.UTF_8));
        return new Forecast(field(body, "city"), Double.parseDouble(field(body, "temperature")), field(body, "summary"));
    }

    @Override
    public boolean healthy() throws IOException {
        return field(get("/health"), "status").equals("up");
    }

    private String get(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + path, e);
        }
        if (response.statusCode() != 200) {
            throw HttpStatusException.of(response.statusCode(), response.body(), response.headers().firstValue("Retry-After"));
        }
        return response.body();
    }

    /** A field of a flat JSON object; enough for this service's answers. */
    private static String field(String json, String name) throws IOException {
        Matcher matcher = FIELD.matcher(json);
        while (matcher.find()) {
            if (matcher.group(1).equals(name)) {
                return matcher.group(3) != null ? matcher.group(3) : matcher.group(2);
            }
        }
        throw new IOException("no field '" + name + "' in " + json);
    }
}
