package dev.resilient.spring.clients;

import dev.resilient.annotations.Retryable;

/** Has a wrapper of its own, and so does {@link Derived}, which extends it. */
@Retryable(maxAttempts = 2, delay = "0")
public interface Base {
    String name();
}
