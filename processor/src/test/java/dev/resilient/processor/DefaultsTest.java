package dev.resilient.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.resilient.annotations.Breaker;
import dev.resilient.annotations.Jitter;
import dev.resilient.annotations.Retryable;
import dev.resilient.runtime.internal.BreakerSpec;
import dev.resilient.runtime.internal.RetrySpec;
import org.junit.jupiter.api.Test;

/**
 * Generated code writes only the settings that differ from the annotations' defaults, so the
 * runtime's builders must start from exactly those defaults.
 */
class DefaultsTest {
    private static Object defaultOf(Class<?> annotation, String attribute) throws NoSuchMethodException {
        return annotation.getMethod(attribute).getDefaultValue();
    }

    @Test
    void retrySpecStartsFromRetryablesDefaults() throws Exception {
        assertEquals(3, defaultOf(Retryable.class, "maxAttempts"));
        assertEquals("100ms", defaultOf(Retryable.class, "delay"));
        assertEquals(2.0, defaultOf(Retryable.class, "multiplier"));
        assertEquals("", defaultOf(Retryable.class, "maxDelay"));
        assertEquals(Jitter.NONE, defaultOf(Retryable.class, "jitter"));
        assertEquals("", defaultOf(Retryable.class, "maxDuration"));
        assertArrayEquals(new Class<?>[] {Exception.class}, (Class<?>[]) defaultOf(Retryable.class, "retryOn"));
        assertArrayEquals(new Class<?>[0], (Class<?>[]) defaultOf(Retryable.class, "abortOn"));
        assertEquals("RetrySpec[m maxAttempts=3, delay=PT0.1S, multiplier=2.0, jitter=NONE, retryOn=[Exception], abortOn=[]]",
                RetrySpec.builder("m").build().toString());
    }

    @Test
    void breakerSpecStartsFromBreakersDefaults() throws Exception {
        assertEquals(5, defaultOf(Breaker.class, "failureThreshold"));
        assertEquals(0, defaultOf(Breaker.class, "window"));
        assertEquals(0.5, defaultOf(Breaker.class, "failureRate"));
        assertEquals("30s", defaultOf(Breaker.class, "openFor"));
        assertEquals(1, defaultOf(Breaker.class, "halfOpenCalls"));
        assertArrayEquals(new Class<?>[] {Throwable.class}, (Class<?>[]) defaultOf(Breaker.class, "failOn"));
        assertArrayEquals(new Class<?>[0], (Class<?>[]) defaultOf(Breaker.class, "skipOn"));
        assertEquals("BreakerSpec[b {failureThreshold=5, openFor=PT30S, halfOpenCalls=1, failOn=[Throwable], skipOn=[]}]",
                BreakerSpec.builder("b").build().toString());
        assertEquals("BreakerSpec[r {window=10, failureRate=0.5, minimumCalls=10, openFor=PT30S, halfOpenCalls=1, failOn=[Throwable], skipOn=[]}]",
                BreakerSpec.builder("r").window(10).build().toString(), "minimumCalls defaults to the window");
    }
}
