package dev.resilient.examples;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The plain client: one HTTP request per call, no retries, no breaker; an answer other than 200 is thrown. */
public final class HttpWeatherService implements WeatherService {
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(\"([^\"]*)\"|[-0-9.]+)");

    private final HttpWeatherApi api;

    /**
     * @param base where the service listens, as in {@code http://127.0.0.1:8080}
     * @param requestTimeout how long one request may take before it fails with an {@link IOException}
     */
    public HttpWeatherService(URI base, Duration requestTimeout) {
        this.api = new HttpWeatherApi(base, requestTimeout);
    }

    @Override
    public Forecast forecast(String city) throws IOException {
        String body = ok(api.forecast(city));
        return new Forecast(field(body, "city"), Double.parseDouble(field(body, "temperature")), field(body, "summary"));
    }

    @Override
    public boolean healthy() throws IOException {
        return field(ok(api.get("/health")), "status").equals("up");
    }

    /** The body of a 200 reply; any other is thrown as an {@link HttpStatusException}. */
    private static String ok(Reply reply) throws HttpStatusException {
        if (reply.status() != 200) {
            throw HttpStatusException.of(reply);
        }
        return reply.body();
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
