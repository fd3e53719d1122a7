package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.AttemptTimeoutException;
import dev.resilient.runtime.ResilienceContext;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code @Timeout} against bug reports of peer libraries (Failsafe, Polly, SmallRye / MicroProfile
 * Fault Tolerance, Spring Retry).
 */
class PeerTimeoutTest {
    private static final long WAIT = 30;

    interface Blocking {
        String call();
    }

    /**
     * MicroProfile Fault Tolerance's eclipse/microprofile-fault-tolerance#322: a timed-out method
     * that ignored its interrupt and returned with the flag still set left it on the worker thread,
     * so whatever that pooled thread ran next started interrupted. The attempt's own thread here is
     * the executor's only one, and the task it runs next sees no interrupt.
     */
    @Test
    void theInterruptOfATimedOutAttemptDoesNotReachWhatItsThreadRunsNext() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            ResilienceContext context = ResilienceContext.builder().executor(single).build();
            CountDownLatch interrupted = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Blocking ignoresInterrupts = () -> {
                boolean sawInterrupt = false;
                while (true) {
                    try {
                        release.await();
                        break;
                    } catch (InterruptedException e) {
                        sawInterrupt = true;
                        interrupted.countDown();
                    }
                }
                if (sawInterrupt) {
                    Thread.currentThread().interrupt(); // it returns with the flag set, as polite code that did not stop does
                }
                return "late";
            };
            MethodPolicies<Blocking> policies = MethodPlan.builder("B.call").timeout(Duration.ofMillis(50)).build()
                    .over(context, ignoresInterrupts);
            assertThrows(AttemptTimeoutException.class, () -> policies.<String>call(Blocking::call, null));
            assertTrue(interrupted.await(WAIT, TimeUnit.SECONDS), "the attempt's thread was interrupted at the deadline");
            release.countDown();
            boolean next = single.submit(() -> Thread.currentThread().isInterrupted()).get(WAIT, TimeUnit.SECONDS);
            assertFalse(next, "the next task on that thread starts without the interrupt");
        } finally {
            single.shutdownNow();
        }
    }
}
