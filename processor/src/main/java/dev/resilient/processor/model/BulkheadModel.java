package dev.resilient.processor.model;

import java.time.Duration;

/** A validated {@code @Bulkhead}. */
public record BulkheadModel(int maxConcurrent, Duration maxWait) {}
