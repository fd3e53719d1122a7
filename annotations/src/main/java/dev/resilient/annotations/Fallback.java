package dev.resilient.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Calls another method of the same interface when every other policy has failed, open circuit
 * included.
 *
 * <p>The target has the annotated method's parameter types (and, for a generic method, its type
 * parameters in order), optionally followed by one parameter that receives the failure; its
 * return type is assignable to the annotated method's, and it declares no checked exception the
 * annotated method does not. It is called on the wrapper, so its own policies apply; what it
 * throws reaches the caller.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Fallback {
    /** Name of the method of the same interface to call instead. */
    String value();

    /** Failures that fall back, subclasses included. Default: every {@link Exception}. */
    Class<? extends Throwable>[] applyOn() default {Exception.class};

    /** Failures that reach the caller instead; wins over {@link #applyOn()}. Default none. */
    Class<? extends Throwable>[] skipOn() default {};
}
