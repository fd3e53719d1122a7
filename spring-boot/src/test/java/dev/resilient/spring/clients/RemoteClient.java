package dev.resilient.spring.clients;

import dev.resilient.annotations.Breaker;
import dev.resilient.annotations.Retryable;
import java.io.IOException;

/** An HTTP client: two failed attempts in a row open breaker {@code remote} for 30 s. */
@Breaker(name = "remote", failureThreshold = 2, openFor = "30s", failOn = IOException.class)
public interface RemoteClient {
    @Retryable(maxAttempts = 3, delay = "10ms", retryOn = IOException.class)
    String fetch(String path) throws IOException;
}
