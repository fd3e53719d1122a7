package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @Hedge} against bug reports of peer libraries (Failsafe, Polly, SmallRye / MicroProfile
 * Fault Tolerance, Spring Retry).
 */
class PeerHedgeTest {
    private static final long WAIT = 10;

    private final ManualTime time = new ManualTime();
    private final Recorder recorder = new Recorder();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ResilienceContext context = ResilienceContext.builder().time(time).executor(executor).listener(recorder).build();

    interface Blocking {
        String read(int attempt) throws Exception;
    }

    @AfterEach
    void stopThreads() {
        executor.shutdownNow();
    }

    /**
     * Failsafe's and Polly's reports of exceptions thrown by user predicates (a predicate that
     * throws must fail the attempt, not the policy): a synchronous attempt whose delegate answered
     * first, but whose value then failed the attempt ({@code failOnResult} threw), kept its claim
     * as the race's only possible winner. No further attempt could reach its delegate, none was
     * started for the failure, and with no other attempt in flight the race never ended: the
     * caller waited forever. The failed attempt now starts the next at once, as any failure does.
     */
    @Test
    void anAttemptWhoseAnswerFailsAfterAllStartsTheNextAndTheCallEnds() throws Exception {
        Outcomes outcomes = Outcomes.builder().failOn((String value) -> {
            if (value.equals("poisoned")) {
                throw new IllegalStateException("failOnResult cannot judge " + value);
            }
            return false;
        }).build();
        Blocking delegate = attempt -> attempt == 1 ? "poisoned" : "good";
        MethodPolicies<Blocking> policies = MethodPlan.builder("Service.read").hedge().hedgeDelay(Duration.ofHours(1)).hedgeMaxAttempts(3)
                .breaker("read", BreakerSpec.builder().failureThreshold(5).build()).build()
                .over(context, List.of(delegate), outcomes);
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<String> call = CompletableFuture.supplyAsync(
                () -> policies.<String>call(service -> service.read(attempts.incrementAndGet()), null), executor);
        assertEquals("good", call.get(WAIT, TimeUnit.SECONDS));
        assertEquals(2, attempts.get(), "the second attempt started at once, not after the hour's delay");
        assertEquals(List.of("attempt Service.read #1 ok", "hedge Service.read #2", "attempt Service.read #2 ok"),
                recorder.events());
    }
}
