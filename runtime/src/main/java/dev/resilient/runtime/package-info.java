/**
 * The run-time half of Resilient: the {@link dev.resilient.runtime.ResilienceContext} that
 * generated wrappers keep their circuit breakers in, the time they wait with, and the exceptions
 * and events a caller can see.
 *
 * <p>Classes in {@code dev.resilient.runtime.internal} are called by generated code only; they
 * are kept binary-compatible for it but are not meant for hand-written code.
 */
package dev.resilient.runtime;
