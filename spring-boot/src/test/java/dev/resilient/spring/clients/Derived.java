package dev.resilient.spring.clients;

import dev.resilient.annotations.Retryable;

/** Its wrapper serves for {@link Base} too. */
@Retryable(maxAttempts = 2, delay = "0")
public interface Derived extends Base {
    String more();
}
