package dev.resilient.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bounds each attempt. The caller receives {@code AttemptTimeoutException} by the deadline even
 * when the delegate ignores interrupts, and the attempt's thread is interrupted. A timeout is a
 * failure for retry and breaker.
 *
 * <p>On an interface, applies to every abstract method it declares or inherits; a method's own
 * {@code @Timeout} replaces the interface's.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Timeout {
    /** The longest one attempt may take, as a duration string such as {@code "2s"}; above 0. */
    String value();
}
