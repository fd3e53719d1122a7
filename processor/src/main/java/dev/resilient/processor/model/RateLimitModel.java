package dev.resilient.processor.model;

/**
 * A method's {@code @RateLimit}.
 *
 * @param name the limit's name: as written, or the method's id
 * @param named whether the annotation wrote the name
 * @param written its numbers and durations as written
 */
public record RateLimitModel(String name, boolean named, Written written) {}
