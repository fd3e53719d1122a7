package dev.resilient.examples;

import dev.resilient.annotations.Breaker;
import dev.resilient.annotations.Jitter;
import dev.resilient.annotations.Retryable;
import java.io.IOException;
import java.time.Duration;

/**
 * A small HTTP JSON weather service, as its clients see it. The processor generates
 * {@code ResilientWeatherService} from these annotations.
 *
 * <p>One breaker, {@code "weather"}, guards every method: four failed attempts in a row open it
 * for a second. Each method retries transport failures and 5xx answers with a growing,
 * jittered wait; a 4xx answer is the caller's mistake: never retried, and not held against the
 * service by the breaker. When the service says how long to wait ({@code Retry-After}), the
 * retry waits that long, capped by {@code maxDelay}.
 */
@Breaker(name = "weather", failureThreshold = 4, openFor = "1s",
        failOn = IOException.class, skipOn = HttpStatusException.ClientError.class)
public interface WeatherService {

    @Retryable(maxAttempts = 3, delay = "50ms", multiplier = 2.0, maxDelay = "400ms", jitter = Jitter.EQUAL,
            retryOn = IOException.class, abortOn = HttpStatusException.ClientError.class, waitFrom = "serverWait")
    Forecast forecast(String city) throws IOException;

    @Retryable(maxAttempts = 2, delay = "20ms", retryOn = IOException.class)
    boolean healthy() throws IOException;

    /** The wait a 503 asked for, or {@code null}: the computed one. */
    default Duration serverWait(Throwable failure) {
        return failure instanceof HttpStatusException answered ? answered.retryAfter().orElse(null) : null;
    }
}
