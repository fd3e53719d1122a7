package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.ResilienceListener;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fault matrix: collaborators that misbehave — listeners, schedulers, executors — and
 * delegates that fail in unusual ways never change a call's outcome, never leave a permit
 * unsettled, and never replace the delegate's failure. Issue #11, cases 18, 19 and 20.
 */
class FaultMatrixTest {
    private final CapturedLog log = new CapturedLog();

    @AfterEach
    void stopCapturing() {
        log.close();
    }

    /** How a listener misbehaves, from every one of its methods. */
    enum ListenerFault {
        RUNTIME_EXCEPTION {
            @Override
            RuntimeException raise() {
                throw new IllegalStateException("listener bug");
            }
        },
        CHECKED_EXCEPTION_THROWN_SNEAKILY {
            @Override
            RuntimeException raise() {
                throw FaultMatrixTest.<RuntimeException>sneaky(new IOException("as Kotlin code throws it"));
            }
        },
        ERROR {
            @Override
            RuntimeException raise() {
                throw new AssertionError("an Error that is not a VirtualMachineError");
            }
        },
        FAILURE_WHOSE_MESSAGE_THROWS {
            @Override
            RuntimeException raise() {
                throw new BrokenMessage();
            }
        };

        abstract RuntimeException raise();
    }

    @SuppressWarnings("unchecked")
    static <X extends Throwable> X sneaky(Throwable failure) throws X {
        throw (X) failure;
    }

    /** An exception that cannot describe itself. */
    static final class BrokenMessage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new IllegalStateException("getMessage() of a failure");
        }

        @Override
        public String toString() {
            throw new IllegalStateException("toString() of a failure");
        }
    }

    /** Throws from every event, and from its own {@code toString()}. */
    static final class FaultyListener implements ResilienceListener {
        private final ListenerFault fault;

        FaultyListener(ListenerFault fault) {
            this.fault = fault;
        }

        @Override
        public void onAttempt(String method, int attempt, Throwable failure) {
            throw fault.raise();
        }

        @Override
        public void onRetry(String method, int attempt, Throwable failure, Duration wait) {
            throw fault.raise();
        }

        @Override
        public void onRetriesExhausted(String method, int attempts, Throwable failure) {
            throw fault.raise();
        }

        @Override
        public void onRejected(String breaker, CircuitOpenException rejection) {
            throw fault.raise();
        }

        @Override
        public void onStateChange(String breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
            throw fault.raise();
        }

        @Override
        public void onBulkheadFull(String method) {
            throw fault.raise();
        }

        @Override
        public void onTimeout(String method, Duration timeout) {
            throw fault.raise();
        }

        @Override
        public void onFallback(String method, Throwable failure) {
            throw fault.raise();
        }

        @Override
        public void onFailoverAttempt(String method, int attempt, int delegate) {
            throw fault.raise();
        }

        @Override
        public String toString() {
            throw new IllegalStateException("toString() of a listener");
        }
    }

    interface Service {
        String call() throws IOException;

        CompletionStage<String> callAsync();
    }

    /** The blocking answer of a {@link Service}. */
    @FunctionalInterface
    interface Blocking {
        String call() throws IOException;
    }

    /** A service answering {@code call} blocking and {@code callAsync} asynchronously. */
    private static Service service(Blocking call, Supplier<CompletionStage<String>> callAsync) {
        return new Service() {
            @Override
            public String call() throws IOException {
                return call.call();
            }

            @Override
            public CompletionStage<String> callAsync() {
                return callAsync.get();
            }
        };
    }

    /**
     * One script through the whole stack, synchronously and asynchronously: a retried failure, an
     * exhausted call that opens the breaker and falls back, a rejection that falls back, a full
     * bulkhead, a timed-out stage, a failover to the backup. Returns what each call ended with.
     */
    private static List<String> script(ResilienceListener listener) {
        ManualTime time = new ManualTime();
        ResilienceContext.Builder builder = ResilienceContext.builder().time(time);
        if (listener != null) {
            builder.listener(listener);
        }
        ResilienceContext context = builder.build();
        List<Object> answers = new ArrayList<>(List.of(new IOException("1"), "a", new IOException("2"), new IOException("3"),
                new IOException("4")));
        Service primary = new Service() {
            @Override
            public String call() throws IOException {
                Object answer = answers.isEmpty() ? new IOException("down") : answers.remove(0);
                if (answer instanceof IOException failure) {
                    throw failure;
                }
                return (String) answer;
            }

            @Override
            public CompletionStage<String> callAsync() {
                try {
                    return CompletableFuture.completedFuture(call());
                } catch (IOException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }
        };
        List<String> outcomes = new ArrayList<>();
        for (boolean async : new boolean[] {false, true}) {
            answers.clear();
            answers.addAll(List.of(new IOException("1"), "a", new IOException("2"), new IOException("3"), new IOException("4")));
            String suffix = async ? "async" : "sync";
            MethodPolicies<Service> policies = MethodPlan.builder("S." + suffix)
                    .retry(RetrySpec.builder().maxAttempts(3).delay(Duration.ofMillis(10)).build())
                    .breaker("b-" + suffix, BreakerSpec.builder().failureThreshold(3).build())
                    .fallback()
                    .build()
                    .over(context, primary);
            for (int call = 0; call < 3; call++) {
                if (async) {
                    CompletableFuture<String> result = policies.callAsync(Service::callAsync,
                            failure -> CompletableFuture.completedFuture("fallback after " + failure.getClass().getSimpleName()));
                    time.advance(Duration.ofSeconds(1));
                    outcomes.add(describe(result));
                } else {
                    outcomes.add(describe(() -> policies.call(Service::call,
                            failure -> "fallback after " + failure.getClass().getSimpleName())));
                }
            }
        }
        // A full bulkhead and a timed-out stage.
        MethodPolicies<Service> slow = MethodPlan.builder("S.slow").bulkhead().maxConcurrent(1).timeout(Duration.ofMillis(50)).build()
                .over(context, service(() -> "unused", CompletableFuture::new));
        CompletableFuture<String> hanging = slow.callAsync(Service::callAsync, null);
        outcomes.add(describe(slow.callAsync(Service::callAsync, null)));
        time.advance(Duration.ofMillis(50));
        outcomes.add(describe(hanging));
        // Failover past a failing primary.
        answers.clear();
        MethodPolicies<Service> failover = MethodPlan.builder("S.failover").build().over(context, List.of(primary,
                service(() -> "backup", () -> CompletableFuture.completedFuture("backup"))));
        outcomes.add(describe(() -> failover.call(Service::call, null)));
        return outcomes;
    }

    private interface Call {
        String run() throws Throwable;
    }

    private static String describe(Call call) {
        try {
            return "value " + call.run();
        } catch (Throwable failure) {
            return "failure " + failure.getClass().getSimpleName();
        }
    }

    private static String describe(CompletableFuture<String> result) {
        assertTrue(result.isDone(), "the call has completed");
        try {
            return "value " + result.join();
        } catch (CompletionException e) {
            return "failure " + e.getCause().getClass().getSimpleName();
        }
    }

    @ParameterizedTest
    @EnumSource(ListenerFault.class)
    void aListenerNeverChangesACallWhateverItThrowsAndIsLoggedOncePerEvent(ListenerFault fault) {
        List<String> quiet = script(null);
        assertEquals(List.of("value a", "value fallback after IOException", "value fallback after CircuitOpenException",
                "value a", "value fallback after IOException", "value fallback after CircuitOpenException",
                "failure BulkheadFullException", "failure AttemptTimeoutException", "value backup"), quiet);

        assertEquals(quiet, script(new FaultyListener(fault)));
        List<String> logged = log.messages();
        List<String> expectedEvents = List.of("onAttempt", "onRetry", "onRetriesExhausted", "onRejected", "onStateChange",
                "onBulkheadFull", "onTimeout", "onFallback", "onFailoverAttempt");
        for (String event : expectedEvents) {
            assertEquals(1, logged.stream().filter(message -> message.contains(" from " + event + ";")).count(),
                    event + " is logged once: " + logged);
        }
        assertEquals(expectedEvents.size(), logged.size(), logged.toString());
        assertTrue(logged.get(0).contains(FaultyListener.class.getName() + "@"), logged.get(0));
        for (LogRecord record : log.records()) {
            assertEquals(Level.WARNING, record.getLevel());
        }
    }

    /** A scheduler that refuses what it is given while {@code refusing} is set. */
    private static final class RefusingScheduler extends ScheduledThreadPoolExecutor {
        final AtomicBoolean refusing = new AtomicBoolean();

        RefusingScheduler() {
            super(1, runnable -> {
                Thread thread = new Thread(runnable, "refusing-scheduler");
                thread.setDaemon(true);
                return thread;
            });
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            if (refusing.get()) {
                throw new RejectedExecutionException("refused on purpose");
            }
            return super.schedule(command, delay, unit);
        }
    }

    @Test
    void aSchedulerRefusingATimeoutFailsThatTrialAndSettlesItsPermit() throws Exception {
        RefusingScheduler scheduler = new RefusingScheduler();
        try {
            ResilienceContext context = ResilienceContext.builder().scheduler(scheduler).build();
            BreakerSpec spec = BreakerSpec.builder().failureThreshold(1).openFor(Duration.ZERO).build();
            Breaker breaker = Breaker.declare(context, "t", spec);
            Service service = service(() -> "unused", () -> CompletableFuture.completedFuture("answer"));
            MethodPolicies<Service> policies = MethodPlan.builder("S.call").breaker(breaker.name(), spec).timeout(Duration.ofSeconds(10)).build()
                    .over(context, service);
            breaker.acquire(null).failed(new IOException("opens it; openFor 0 makes the next call a trial"));
            assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());

            scheduler.refusing.set(true);
            CompletableFuture<String> refused = policies.callAsync(Service::callAsync, null);
            assertInstanceOf(RejectedExecutionException.class, assertThrows(CompletionException.class, refused::join).getCause());
            scheduler.refusing.set(false);
            assertEquals("answer", policies.callAsync(Service::callAsync, null).get(10, TimeUnit.SECONDS),
                    "the refused trial settled its permit");
            assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aSchedulerRefusingARetryWaitEndsTheCall() throws Exception {
        RefusingScheduler scheduler = new RefusingScheduler();
        try {
            ResilienceContext context = ResilienceContext.builder().scheduler(scheduler).build();
            IOException failure = new IOException("first attempt");
            Service service = service(() -> "unused", () -> CompletableFuture.failedFuture(failure));
            MethodPolicies<Service> policies = MethodPlan.builder("S.call").retry(RetrySpec.builder().delay(Duration.ofMillis(10)).build())
                    .build().over(context, service);
            scheduler.refusing.set(true);
            CompletableFuture<String> result = policies.callAsync(Service::callAsync, null);
            Throwable cause = result.handle((value, thrown) -> thrown).get(10, TimeUnit.SECONDS);
            assertInstanceOf(RejectedExecutionException.class, cause, "the call ends, not hangs, when its wait is refused");
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void anExecutorRefusingATimedAttemptFailsItAndSettlesItsPermit() throws Throwable {
        AtomicBoolean refusing = new AtomicBoolean(true);
        Executor executor = task -> {
            if (refusing.get()) {
                throw new RejectedExecutionException("refused on purpose");
            }
            new Thread(task, "test-attempt").start();
        };
        ResilienceContext context = ResilienceContext.builder().executor(executor).build();
        BreakerSpec spec = BreakerSpec.builder().failureThreshold(1).openFor(Duration.ZERO).build();
        Breaker breaker = Breaker.declare(context, "e", spec);
        Service service = service(() -> "answer", () -> CompletableFuture.completedFuture("unused"));
        MethodPolicies<Service> policies = MethodPlan.builder("S.call").breaker(breaker.name(), spec).timeout(Duration.ofSeconds(10)).build()
                .over(context, service);
        breaker.acquire(null).failed(new IOException("opens it; the next call is a trial"));

        assertThrows(RejectedExecutionException.class, () -> policies.call(Service::call, null));
        refusing.set(false);
        assertEquals("answer", policies.call(Service::call, null), "the refused trial settled its permit");
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    }

    @Test
    void aFailureThatCannotDescribeItselfReachesTheCallerItself() throws Exception {
        ResilienceContext context = ResilienceContext.builder().time(new ManualTime()).build();
        BrokenMessage failure = new BrokenMessage();
        Service service = service(() -> {
            throw failure;
        }, () -> CompletableFuture.failedFuture(failure));
        MethodPolicies<Service> timed = MethodPlan.builder("S.call").timeout(Duration.ofSeconds(10)).build().over(context, service);
        assertSame(failure, assertThrows(BrokenMessage.class, () -> timed.call(Service::call, null)), "synchronous, through the timeout's thread");
        CompletableFuture<String> result = timed.callAsync(Service::callAsync, null);
        assertSame(failure, result.handle((value, thrown) -> thrown).get(), "asynchronous");
        // Not MINIMAL nor the FOREIGN kinds, which are built on minimalCompletionStage(): the JDK's relay into
        // such a stage wraps the failure in a CompletionException, whose constructor calls the failure's toString(),
        // so the minimal stage itself never completes. No policy can see an outcome the stage never gets.
        for (StageKind kind : List.of(StageKind.FUTURE, StageKind.DONE_FUTURE, StageKind.DONE_MINIMAL)) {
            ManualTime time = new ManualTime();
            ResilienceContext each = ResilienceContext.builder().time(time).build();
            Service answering = service(() -> "unused", () -> kind.answer(time, failure));
            CompletableFuture<String> through = MethodPlan.builder("S.call")
                    .retry(RetrySpec.builder().maxAttempts(2).delay(Duration.ZERO).build())
                    .build()
                    .over(each, answering)
                    .callAsync(Service::callAsync, null);
            time.advance(Duration.ofSeconds(1));
            assertSame(failure, through.handle((value, thrown) -> thrown).get(), kind.toString());
        }
    }

    @Test
    void anErrorFromTheDelegateReachesTheCallerUnchangedAndSettlesTheTrial() {
        ResilienceContext context = ResilienceContext.builder().time(new ManualTime()).build();
        BreakerSpec spec = BreakerSpec.builder().failureThreshold(1).openFor(Duration.ZERO).build();
        Breaker breaker = Breaker.declare(context, "err", spec);
        StackOverflowError error = new StackOverflowError("deep");
        Service service = service(() -> {
            throw error;
        }, () -> {
            throw error;
        });
        MethodPolicies<Service> policies = MethodPlan.builder("S.call").retry(RetrySpec.builder().build()).breaker(breaker.name(), spec).build()
                .over(context, service);
        breaker.acquire(null).failed(new IOException("the next call is a trial"));
        assertSame(error, assertThrows(StackOverflowError.class, () -> policies.call(Service::call, null)));
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state(), "the failed trial re-opened it, for 0 s");
        CompletableFuture<String> result = policies.callAsync(Service::callAsync, null);
        assertSame(error, assertThrows(CompletionException.class, result::join).getCause());
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
    }
}
