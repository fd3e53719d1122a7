package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.ResilienceContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code @Fallback} against bug reports of peer libraries (Failsafe, Polly, SmallRye / MicroProfile
 * Fault Tolerance, Spring Retry).
 */
class PeerFallbackTest {
    interface Blocking {
        String call() throws Exception;
    }

    /**
     * Failsafe's failsafe-lib/failsafe#63 and Spring Retry's spring-projects/spring-retry#386: an
     * {@code InterruptedException} turned into something else must leave the thread's interrupt
     * flag set. A blocking delegate that threw it (its own wait interrupted, which cleared the
     * flag) fell back, and the caller got the fallback's value with its interrupt lost; behind a
     * {@code @Retryable} the retry sets the flag again, so the fallback ran with it set there only.
     */
    @Test
    void aFallbackTakingTheDelegatesInterruptedExceptionLeavesTheCallerInterrupted() {
        Recorder recorder = new Recorder();
        ResilienceContext context = ResilienceContext.builder().listener(recorder).build();
        Blocking interrupted = () -> {
            throw new InterruptedException("its wait was interrupted, which cleared the flag");
        };
        MethodPolicies<Blocking> policies = MethodPlan.builder("B.call").fallback().build().over(context, interrupted);
        boolean flagAfter;
        String answer;
        try {
            answer = policies.<String>call(Blocking::call, failure -> "fallback");
        } finally {
            flagAfter = Thread.interrupted();
        }
        assertEquals("fallback", answer, "the fallback applies, as applyOn = Exception says");
        assertEquals(List.of("attempt B.call #1 InterruptedException", "fallback B.call InterruptedException"), recorder.events());
        assertTrue(flagAfter, "the interrupt the delegate reported is not lost");
    }
}
