package dev.resilient.runtime.internal;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.ResilienceListener;
import dev.resilient.runtime.TimeSource;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/** The state behind a {@link ResilienceContext}, reached by generated code through {@link #of}. */
public final class ContextCore {
    private static volatile Function<ResilienceContext, ContextCore> access;

    private final TimeSource time;
    private final RandomGenerator random;
    private final Listeners listener;
    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();
    private final Overrides overrides;

    /** Called by the context's constructor; every argument but {@code time} may be {@code null}. */
    public ContextCore(
            TimeSource time,
            RandomGenerator random,
            ResilienceListener listener,
            ScheduledExecutorService scheduler,
            Executor executor,
            Map<String, String> overrides) {
        this.time = Objects.requireNonNull(time, "time");
        this.overrides = new Overrides(overrides);
        this.random = random;
        this.listener = new Listeners(listener);
        this.scheduler = scheduler;
        this.executor = executor;
    }

    RetrySpec configure(RetrySpec spec) {
        return overrides.apply(spec);
    }

    /** Override keys no wrapper built on this context has claimed. */
    public java.util.Set<String> unclaimedOverrides() {
        return overrides.unclaimed();
    }

    /** Lets {@link ResilienceContext} hand out its core; allowed once. */
    public static void grantAccess(Function<ResilienceContext, ContextCore> access) {
        if (ContextCore.access != null) {
            throw new IllegalStateException("access to ContextCore is granted by ResilienceContext only");
        }
        ContextCore.access = access;
    }

    /** The core of {@code context}. */
    public static ContextCore of(ResilienceContext context) {
        Objects.requireNonNull(context, "context");
        // An instance exists, so ResilienceContext's static initializer has granted access.
        return access.apply(context);
    }

    TimeSource time() {
        return time;
    }

    Listeners listener() {
        return listener;
    }

    /** Where {@code @Timeout} attempts run. */
    Executor executor() {
        return executor != null ? executor : SharedThreads.attempts();
    }

    /**
     * Runs {@code task} after {@code delayNanos}: inside {@link ManualTime#advance} under manual
     * time, otherwise on the executor once the scheduler says so (never on the scheduler's own
     * thread, which a slow delegate would block).
     *
     * @return cancels the task if it has not started
     */
    Runnable schedule(Runnable task, long delayNanos) {
        if (time instanceof ManualTime) {
            return scheduleShort(task, delayNanos);
        }
        Executor runner = executor();
        return scheduleShort(() -> runner.execute(task), delayNanos);
    }

    /** Like {@link #schedule}, but runs {@code task} on the timer's thread: for short work such as failing a stage. */
    Runnable scheduleShort(Runnable task, long delayNanos) {
        if (time instanceof ManualTime manual) {
            return manual.schedule(task, Duration.ofNanos(delayNanos));
        }
        ScheduledExecutorService timer = scheduler != null ? scheduler : SharedThreads.scheduler();
        Future<?> scheduled = timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        return () -> scheduled.cancel(false);
    }

    /** A draw uniform in {@code [0, bound]}; {@code bound >= 0}. */
    long randomUpTo(long bound) {
        if (bound <= 0) {
            return 0;
        }
        long exclusive = bound == Long.MAX_VALUE ? bound : bound + 1;
        if (random == null) {
            return ThreadLocalRandom.current().nextLong(exclusive);
        }
        synchronized (random) {
            return random.nextLong(exclusive);
        }
    }

    /** The breaker registered for {@code spec}'s name (with overrides applied), registering it first if needed. */
    Breaker declare(BreakerSpec declared) {
        BreakerSpec spec = overrides.apply(declared);
        Breaker breaker = breakers.computeIfAbsent(spec.name(), name -> new Breaker(spec, this));
        if (!breaker.spec().equals(spec)) {
            throw new IllegalArgumentException(
                    "circuit breaker '" + spec.name() + "' is declared twice in one context with different settings: "
                            + breaker.spec().settings() + " and " + spec.settings()
                            + "; give one of them another name or the same settings");
        }
        return breaker;
    }

    /** The breaker registered under {@code name}. */
    public CircuitBreaker breaker(String name) {
        Breaker breaker = breakers.get(name);
        if (breaker == null) {
            throw new IllegalArgumentException(
                    "no circuit breaker named '" + name + "' was declared in this context; known: "
                            + new TreeSet<>(breakers.keySet()));
        }
        return breaker;
    }

    @Override
    public String toString() {
        return "[time=" + time + ", breakers=" + new TreeSet<>(breakers.keySet())
                + (scheduler == null ? "" : ", scheduler=" + scheduler)
                + (executor == null ? "" : ", executor=" + executor) + "]";
    }
}
