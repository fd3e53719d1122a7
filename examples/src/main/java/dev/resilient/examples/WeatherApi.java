package dev.resilient.examples;

import dev.resilient.annotations.Breaker;
import dev.resilient.annotations.Jitter;
import dev.resilient.annotations.Retryable;
import java.io.IOException;
import java.time.Duration;

/**
 * The weather service as most HTTP clients see a remote: every answer, a 503 too, is a
 * {@link Reply} returned, not an exception thrown; only a request that gets no answer throws.
 * The policies judge the replies through {@link #unavailable}: a 5xx reply is retried
 * ({@code retryOnResult}) and counted against the breaker ({@code failOnResult}) as a thrown
 * failure would be, and its {@code Retry-After} sets the wait ({@code waitFrom}). The caller
 * still gets a reply: the last one, when the attempts run out on 503s.
 */
@Breaker(name = "weather-api", failureThreshold = 4, openFor = "1s", failOn = IOException.class, failOnResult = "unavailable")
public interface WeatherApi {

    @Retryable(maxAttempts = 3, delay = "50ms", multiplier = 2.0, maxDelay = "400ms", jitter = Jitter.EQUAL,
            retryOn = IOException.class, retryOnResult = "unavailable", waitFrom = "serverWait")
    Reply forecast(String city) throws IOException;

    /** Whether {@code reply} says the service cannot answer now: a 5xx, not the caller's mistake. */
    default boolean unavailable(Reply reply) {
        return reply.status() >= 500;
    }

    /** The wait {@code reply} asked for, or {@code null}: the computed one. */
    default Duration serverWait(Reply reply) {
        return reply.retryAfter();
    }
}
