package dev.resilient.annotations;

/** How a retry wait is randomised, so that many clients that failed together do not retry together. */
public enum Jitter {
    /** The nominal wait, unchanged. */
    NONE,
    /** A wait drawn uniformly from {@code [0, wait]}. */
    FULL,
    /** A wait drawn uniformly from {@code [wait / 2, wait]}. */
    EQUAL
}
