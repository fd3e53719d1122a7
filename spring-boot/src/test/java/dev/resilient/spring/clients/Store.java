package dev.resilient.spring.clients;

import dev.resilient.annotations.Breaker;
import dev.resilient.annotations.Retryable;
import java.io.IOException;

/**
 * Overloads: breakers {@code Store.get(String)} and {@code Store.get(String,int)}, retry keys
 * {@code resilient.retry.Store.get(String).*} and {@code resilient.retry.Store.get(String,int).*}.
 */
@Breaker(failureThreshold = 100)
@Retryable(maxAttempts = 2, delay = "0")
public interface Store {
    String get(String key) throws IOException;

    String get(String key, int version) throws IOException;
}
