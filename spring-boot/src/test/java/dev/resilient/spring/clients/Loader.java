package dev.resilient.spring.clients;

import dev.resilient.annotations.Retryable;
import java.io.IOException;

/** A generic client: beans of {@code Loader<String>} and {@code Loader<Integer>} are told apart by their type argument. */
@Retryable(maxAttempts = 2, delay = "0", retryOn = IOException.class)
public interface Loader<T> {
    T load(String id) throws IOException;
}
