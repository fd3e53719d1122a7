package dev.resilient.processor.model;

/**
 * A retried method's {@code @RetryBudget}.
 *
 * @param name the budget's name: as written, or the interface's name within its package
 * @param written its numbers and durations as written
 */
public record RetryBudgetModel(String name, Written written) {}
