package dev.resilient.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits how many calls of a method are inside the delegate at once, per wrapper. A call that
 * cannot enter within {@link #maxWait()} fails with {@code BulkheadFullException}.
 *
 * <p>On an interface, applies to every abstract method it declares or inherits; a method's own
 * {@code @Bulkhead} replaces the interface's.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Bulkhead {
    /** Calls allowed inside the delegate at once. At least 1; default 10. */
    int maxConcurrent() default 10;

    /**
     * How long a call may wait for a free slot, as a duration string. Default {@code "0"}: it
     * does not wait. Asynchronous methods require {@code "0"}.
     */
    String maxWait() default "0";
}
