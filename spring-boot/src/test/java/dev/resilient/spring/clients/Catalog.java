package dev.resilient.spring.clients;

import dev.resilient.annotations.Retryable;
import java.io.IOException;

/** One method with a retry ({@code resilient.retry.Catalog.item.*}), one with no policy at all, so no key. */
public interface Catalog {
    @Retryable(maxAttempts = 2, delay = "0", retryOn = IOException.class)
    String item(String id) throws IOException;

    String ping();
}
