package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code @Retryable} against bug reports of peer libraries (Failsafe, Polly, SmallRye / MicroProfile
 * Fault Tolerance, Spring Retry).
 */
class PeerRetryTest {
    interface Service {
        CompletionStage<String> call();
    }

    /**
     * Polly's App-vNext/Polly#2163 (retries past the 1,024th went wrong) asks what thousands of
     * retries do. Asynchronous retries with zero waits on {@code ManualTime}, whose work due at once
     * ran inside the work that scheduled it, nested one attempt inside the last: after about 300
     * attempts the stack overflowed inside a stage's callback, which swallowed the error, and the
     * returned future never completed.
     */
    @Test
    void twentyThousandAsynchronousRetriesWithZeroWaitsUnderManualTimeEndTheCall() {
        ManualTime time = new ManualTime();
        ResilienceContext context = ResilienceContext.builder().time(time).build();
        AtomicInteger calls = new AtomicInteger();
        IOException failure = new IOException("down");
        Service failing = () -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(failure);
        };
        int attempts = 20_000;
        MethodPolicies<Service> policies = MethodPlan.builder("S.call")
                .retry(RetrySpec.builder().maxAttempts(attempts).delay(Duration.ZERO).build()).build().over(context, failing);
        CompletableFuture<String> result = policies.callAsync(Service::call, null);
        assertTrue(result.isDone(), "the call ended, after " + calls.get() + " attempts");
        assertEquals(attempts, calls.get());
        assertSame(failure, result.handle((value, thrown) -> thrown).join());
    }
}
