package dev.resilient.spring.clients;

import dev.resilient.annotations.Retryable;
import java.io.IOException;

/** A client whose wrapper retries: what the injection tests inject. Closed by its owner only. */
@Retryable(maxAttempts = 3, delay = "0", retryOn = IOException.class)
public interface Echo extends AutoCloseable {
    String echo(String text) throws IOException;

    @Override
    void close();
}
