/**
 * Annotations that ask the Resilient annotation processor to generate a wrapper for an interface.
 *
 * <p>Put {@link dev.resilient.annotations.Retryable}, {@link dev.resilient.annotations.Breaker},
 * {@link dev.resilient.annotations.Fallback}, {@link dev.resilient.annotations.Timeout} or
 * {@link dev.resilient.annotations.Bulkhead} on an interface or on its methods; the processor then
 * writes {@code ResilientFoo implements Foo}, which runs every call to a delegate through the
 * policies. An annotation on the interface applies to every abstract method it declares or
 * inherits; a method's own annotation of the same kind replaces the interface's.
 *
 * <p>Durations are strings checked at compile time: {@code "0"}, a whole number followed by one
 * of {@code ns us ms s m h} (for example {@code "250ms"} or {@code "10s"}), or an ISO-8601
 * duration such as {@code "PT0.25S"}. They are never negative.
 *
 * <p>All annotations have {@code CLASS} retention: they are read by the processor and are not
 * needed at run time.
 */
package dev.resilient.annotations;
