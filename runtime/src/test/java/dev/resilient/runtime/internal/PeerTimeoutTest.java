package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.AttemptTimeoutException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code @Timeout} against bug reports of peer libraries (Failsafe, Polly, SmallRye / MicroProfile
 * Fault Tolerance, Spring Retry, Resilience4j).
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

    /**
     * Failsafe's failsafe-lib/failsafe#260 (a timeout never fired for an execution that started
     * only after its deadline, queued behind a busy pool): an attempt still queued on a busy
     * executor times out at its deadline all the same, and once given up it never reaches the
     * delegate when the executor gets to it.
     */
    @Test
    void anAttemptQueuedBehindABusyExecutorTimesOutAndNeverReachesTheDelegate() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            Recorder recorder = new Recorder();
            ResilienceContext context = ResilienceContext.builder().executor(single).listener(recorder).build();
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            single.execute(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(busy.await(WAIT, TimeUnit.SECONDS));
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            MethodPolicies<Blocking> policies = MethodPlan.builder("B.call").timeout(Duration.ofMillis(50)).build()
                    .over(context, () -> "called " + calls.incrementAndGet());
            assertThrows(AttemptTimeoutException.class, () -> policies.<String>call(Blocking::call, null));
            release.countDown();
            single.submit(() -> {}).get(WAIT, TimeUnit.SECONDS); // the executor has got past the queued attempt
            assertEquals(0, calls.get(), "the attempt given up at its deadline did not start late");
            assertEquals(java.util.List.of("timeout B.call 50ms", "attempt B.call #1 AttemptTimeoutException"), recorder.events(),
                    "nothing was abandoned: it never ran");
        } finally {
            single.shutdownNow();
        }
    }

    interface Async {
        CompletionStage<String> call();
    }

    /**
     * resilience4j#1428 (a time-limited call cancelled for another reason was reported as a
     * timeout): a delegate's stage cancelled by the delegate's own side before the deadline ends
     * the call with that {@code CancellationException}, not {@code AttemptTimeoutException}, and
     * no timeout is reported; nor does the deadline fire later.
     */
    @Test
    void aStageCancelledBeforeTheDeadlineIsNotATimeout() {
        ManualTime time = new ManualTime();
        Recorder recorder = new Recorder();
        ResilienceContext context = ResilienceContext.builder().time(time).listener(recorder).build();
        CompletableFuture<String> stage = new CompletableFuture<>();
        MethodPolicies<Async> policies = MethodPlan.builder("A.call").timeout(Duration.ofSeconds(1)).asynchronous().build()
                .over(context, () -> stage);
        CompletableFuture<String> call = policies.callAsync(Async::call, null);
        time.advance(Duration.ofMillis(500));
        stage.cancel(false); // the remote client gave up on its own, say
        time.advance(Duration.ofSeconds(5));
        assertTrue(call.isDone());
        Throwable failure = call.handle((value, thrown) -> thrown).join();
        assertTrue(failure instanceof CancellationException, "was " + failure);
        assertEquals(List.of(), recorder.events("timeout"));
    }
}
