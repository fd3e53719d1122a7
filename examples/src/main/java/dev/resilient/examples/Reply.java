package dev.resilient.examples;

import java.time.Duration;
import java.util.Optional;

/**
 * An HTTP answer as a value, whatever its status: what {@link WeatherApi} returns where
 * {@link WeatherService} throws.
 *
 * @param status the status, as in 200 or 503
 * @param body the body as sent
 * @param retryAfter the wait the server asked for in its {@code Retry-After} header, or
 *     {@code null} when it sent none
 */
public record Reply(int status, String body, Duration retryAfter) {

    /** @param retryAfter the {@code Retry-After} header, in seconds (its HTTP-date form is not read) */
    static Reply of(int status, String body, Optional<String> retryAfter) {
        Duration wait = retryAfter.filter(seconds -> seconds.matches("\\d{1,9}")).map(seconds -> Duration.ofSeconds(Long.parseLong(seconds)))
                .orElse(null);
        return new Reply(status, body, wait);
    }

    @Override
    public String toString() {
        return status + (body.isBlank() ? "" : " " + body.strip());
    }
}
