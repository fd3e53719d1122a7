package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code @Retryable} against bug reports of peer libraries (Failsafe, Polly, SmallRye / MicroProfile
 * Fault Tolerance, Spring Retry, Resilience4j).
 */
class PeerRetryTest {
    interface Service {
        CompletionStage<String> call();
    }

    /**
     * Polly's App-vNext/Polly#1866 (an overflowing exponential wait ignored maxDelay and waited
     * forever) and #2163 (after 1,024 retries the wait went negative, so retries ran at once), and
     * Spring Retry's spring-projects/spring-retry#126 (random backoff exceeded maxInterval): over
     * thousands of attempts, past where the nominal wait overflows a long, every wait stays
     * capped, and jitter stays within its range under the cap.
     */
    @Test
    void thousandsOfExponentialWaitsStayCappedAndJitteredWithinTheCap() {
        for (RetrySpec.Jitter jitter : RetrySpec.Jitter.values()) {
            ManualTime time = new ManualTime();
            ResilienceContext context = ResilienceContext.builder().time(time).random(new SplittableRandom(3)).build();
            Retry retry = Retry.create(context, "C.m", RetrySpec.builder().maxAttempts(3000).delay(Duration.ofMillis(100))
                    .multiplier(2.0).maxDelay(Duration.ofSeconds(30)).jitter(jitter).build());
            long start = retry.start();
            int attempt = 1;
            while (retry.retry(new IOException(), attempt, start)) {
                attempt++;
            }
            assertEquals(3000, attempt, jitter + ": every attempt was made");
            List<Duration> capped = time.sleeps().subList(20, time.sleeps().size()); // 100ms × 2^9 passes 30s
            Duration low = switch (jitter) {
                case NONE -> Duration.ofSeconds(30);
                case EQUAL -> Duration.ofSeconds(15);
                case FULL -> Duration.ZERO;
            };
            assertTrue(capped.stream().allMatch(wait -> wait.compareTo(low) >= 0 && wait.compareTo(Duration.ofSeconds(30)) <= 0),
                    jitter + ": every wait in [" + low + ", 30s]");
            if (jitter != RetrySpec.Jitter.NONE) {
                assertTrue(capped.stream().distinct().count() > 1000, jitter + ": draws still vary");
            }
        }
    }

    /** The same without a cap: once the nominal wait passes what a long holds, it stays at the longest wait, never wrapping. */
    @Test
    void uncappedExponentialWaitsNeverWrapRound() {
        ManualTime time = new ManualTime();
        Retry retry = Retry.create(ResilienceContext.builder().time(time).build(), "C.m",
                RetrySpec.builder().maxAttempts(2000).delay(Duration.ofMillis(100)).multiplier(2.0).build());
        int attempt = 1;
        while (retry.retry(new IOException(), attempt, 0)) {
            attempt++;
        }
        assertEquals(2000, attempt);
        List<Duration> waits = time.sleeps();
        for (int i = 1; i < waits.size(); i++) {
            assertTrue(waits.get(i).compareTo(waits.get(i - 1)) >= 0, "wait " + (i + 1) + " is no shorter than the one before");
        }
        assertEquals(Duration.ofNanos(Long.MAX_VALUE), waits.get(waits.size() - 1));
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

    private static Throwable failureOf(CompletableFuture<?> call) {
        assertTrue(call.isDone(), "the call has ended");
        return call.handle((value, thrown) -> thrown).join();
    }

    /**
     * resilience4j#2198 (fixed by #2209): a retry predicate that threw (a {@code NoClassDefFoundError}
     * there) left the stage of an asynchronous retry never completed. Here {@code retryOnResult}
     * throws on every value: each attempt fails with what it threw, as a delegate's failure would,
     * the returned stage fails with it once attempts are used up, and the bulkhead slot of the
     * attempts is free again.
     */
    @Test
    void anAsynchronousCallWhoseRetryOnResultThrowsEndsWithThatFailureAndFreesItsSlot() {
        ManualTime time = new ManualTime();
        ResilienceContext context = ResilienceContext.builder().time(time).build();
        AtomicInteger calls = new AtomicInteger();
        Service answering = () -> CompletableFuture.completedFuture("answer " + calls.incrementAndGet());
        IllegalStateException broken = new IllegalStateException("retryOnResult is broken");
        Outcomes outcomes = Outcomes.builder().<String>retryOn(value -> {
            throw broken;
        }).build();
        MethodPolicies<Service> policies = MethodPlan.builder("S.call").retry(RetrySpec.builder().maxAttempts(3).build())
                .bulkhead().maxConcurrent(1).asynchronous().build().over(context, List.of(answering), outcomes);
        for (int call = 1; call <= 2; call++) {
            CompletableFuture<String> result = policies.callAsync(Service::call, null);
            time.advance(Duration.ofMinutes(1));
            assertSame(broken, failureOf(result), "call " + call + " ended with what the predicate threw, not BulkheadFullException");
            assertEquals(3 * call, calls.get());
        }
    }

    /**
     * resilience4j#1718: an asynchronous retry hung when the first attempt returned a failed stage
     * and the second threw instead of returning one. Here attempts alternate between the two
     * kinds of failure until one succeeds; and when all fail, the call ends with the last failure.
     */
    @Test
    void anAsynchronousRetryMixingFailedStagesAndThrownFailuresEnds() {
        ManualTime time = new ManualTime();
        ResilienceContext context = ResilienceContext.builder().time(time).build();
        AtomicInteger calls = new AtomicInteger();
        IOException last = new IOException("thrown by attempt 4");
        Service alternating = () -> {
            int call = calls.incrementAndGet();
            if (call == 5) {
                return CompletableFuture.completedFuture("ok");
            }
            if (call % 2 == 1) {
                return CompletableFuture.failedFuture(new IOException("stage of attempt " + call));
            }
            throw Rethrow.unchecked(call == 4 ? last : new IOException("thrown by attempt " + call));
        };
        MethodPlan.Builder plan = MethodPlan.builder("S.call").asynchronous();
        MethodPolicies<Service> fourAttempts = plan.retry(RetrySpec.builder().maxAttempts(4).delay(Duration.ofMillis(10)).build())
                .build().over(context, alternating);
        CompletableFuture<String> failed = fourAttempts.callAsync(Service::call, null);
        time.advance(Duration.ofSeconds(1));
        assertSame(last, failureOf(failed));
        calls.set(0);
        MethodPolicies<Service> fiveAttempts = plan.retry(RetrySpec.builder().maxAttempts(5).delay(Duration.ofMillis(10)).build())
                .build().over(context, alternating);
        CompletableFuture<String> succeeded = fiveAttempts.callAsync(Service::call, null);
        time.advance(Duration.ofSeconds(1));
        assertEquals("ok", succeeded.join());
        assertEquals(5, calls.get());
    }

    interface VoidService {
        CompletionStage<Void> run();
    }

    /**
     * resilience4j#480 (fixed by #484): a {@code CompletionStage<Void>}, whose value is always
     * {@code null}, was not handled as a success by retry and breaker. Here it is one success:
     * one attempt, no retry, and the caller gets {@code null}.
     */
    @Test
    void aStageOfVoidCompletingWithNullIsASuccess() {
        ManualTime time = new ManualTime();
        Recorder recorder = new Recorder();
        ResilienceContext context = ResilienceContext.builder().time(time).listener(recorder).build();
        AtomicInteger calls = new AtomicInteger();
        VoidService done = () -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        };
        MethodPolicies<VoidService> policies = MethodPlan.builder("V.run").retry(RetrySpec.builder().maxAttempts(3).build())
                .asynchronous().build().over(context, done);
        CompletableFuture<Void> result = policies.callAsync(VoidService::run, null);
        assertTrue(result.isDone() && !result.isCompletedExceptionally());
        assertEquals(null, result.join());
        assertEquals(1, calls.get());
        assertEquals(List.of("attempt V.run #1 ok"), recorder.events("attempt"));
        assertEquals(List.of(), recorder.events("retry"));
    }

    /**
     * resilience4j#280 (fixed by #394): retry and breaker tested a stage's failure still wrapped in
     * its {@code CompletionException}, so {@code ignoreExceptions} missed it. Here a stage that a
     * dependent step failed (so it holds the failure wrapped) is classified by what it wraps: a
     * failure in {@code abortOn} is not retried, the breaker skips one in {@code skipOn}, and the
     * caller gets the failure itself.
     */
    @Test
    void aStagesFailureIsClassifiedUnwrappedFromItsCompletionException() {
        ManualTime time = new ManualTime();
        ResilienceContext context = ResilienceContext.builder().time(time).build();
        IllegalArgumentException mistake = new IllegalArgumentException("the caller's mistake");
        AtomicInteger calls = new AtomicInteger();
        Service wrapping = () -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture("request").thenApply(request -> {
                throw mistake; // the stage holds it wrapped in a CompletionException
            });
        };
        MethodPolicies<Service> policies = MethodPlan.builder("S.call")
                .retry(RetrySpec.builder().maxAttempts(3).abortOn(IllegalArgumentException.class).build())
                .breaker("s", BreakerSpec.builder().failureThreshold(1).skipOn(IllegalArgumentException.class).build())
                .asynchronous().build().over(context, wrapping);
        assertSame(mistake, failureOf(policies.callAsync(Service::call, null)));
        assertEquals(1, calls.get(), "abortOn saw the failure itself");
        assertEquals(dev.resilient.runtime.CircuitBreaker.State.CLOSED, context.breaker("s").state(), "skipOn saw it too");
    }
}
