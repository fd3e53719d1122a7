package dev.resilient.runtime.internal;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.ResilienceListener;
import dev.resilient.runtime.TimeSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
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
    /** By name, in the order declared; guarded by itself. */
    private final Map<String, Breaker> breakers = new LinkedHashMap<>();
    /** By name; guarded by itself. */
    private final Map<String, RateLimiter> limiters = new LinkedHashMap<>();
    /** By name; guarded by itself. */
    private final Map<String, RetryBudget> budgets = new LinkedHashMap<>();
    private final Overrides overrides;

    /** Called by the context's constructor; {@code random}, {@code scheduler} and {@code executor} may be {@code null}. */
    public ContextCore(
            TimeSource time,
            RandomGenerator random,
            List<ResilienceListener> listeners,
            ScheduledExecutorService scheduler,
            Executor executor,
            Map<String, String> overrides) {
        this.time = Objects.requireNonNull(time, "time");
        this.overrides = new Overrides(overrides);
        this.random = random;
        this.listener = new Listeners(listeners);
        this.scheduler = scheduler;
        this.executor = executor;
    }

    /** {@code spec} with the overrides of {@code method}'s retry applied. */
    RetrySpec configure(String method, RetrySpec spec) {
        return overrides.apply(method, spec);
    }

    /** {@code method}'s hedge settings, checked, with their overrides applied. */
    Settings hedge(String method, Settings declared) {
        declared.requireNoProblems("hedge of " + method);
        return overrides.applyHedge(method, declared);
    }

    /**
     * Throws {@code problems} of rules between the policies of one method, if any, naming the
     * overrides of its retry, breaker and rate limit that its settings were merged with.
     */
    void requireNone(List<Attribute.Problem> problems, String what, String retried, String breaker, String rateLimit) {
        overrides.requireNone(problems, what, retried, breaker, rateLimit);
    }

    /** Override keys no wrapper built on this context has claimed. */
    public Set<String> unclaimedOverrides() {
        return overrides.unclaimed();
    }

    /** The override settings this context was built with. */
    public Map<String, String> overrides() {
        return overrides.values();
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
     * thread, which a slow delegate would block; on it only when the executor refuses the task).
     *
     * @return cancels the task if it has not started, leaving nothing queued
     * @throws java.util.concurrent.RejectedExecutionException when the scheduler refuses it
     */
    Runnable schedule(Runnable task, long delayNanos) {
        if (time instanceof ManualTime) {
            return scheduleShort(task, delayNanos);
        }
        Executor runner = executor();
        return scheduleShort(() -> {
            try {
                runner.execute(task);
            } catch (RejectedExecutionException refused) {
                task.run();
            }
        }, delayNanos);
    }

    /** Like {@link #schedule}, but runs {@code task} on the timer's thread: for short work such as failing a stage. */
    Runnable scheduleShort(Runnable task, long delayNanos) {
        if (time instanceof ManualTime manual) {
            return manual.schedule(task, Duration.ofNanos(delayNanos));
        }
        ScheduledExecutorService timer = scheduler != null ? scheduler : SharedThreads.scheduler();
        ScheduledFuture<?> scheduled = timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        return () -> {
            scheduled.cancel(false);
            if (timer instanceof ThreadPoolExecutor pool && scheduled instanceof Runnable queued) {
                pool.remove(queued); // whatever the pool's removal policy: a cancelled timer leaves nothing queued
            }
        };
    }

    /**
     * Where {@link TimeBuckets} schedule their ticks: on the timer under the system clock;
     * {@code null} under any other time source, whose readings they take per event instead.
     */
    TimeBuckets.Ticks ticks() {
        return time == TimeSource.system() ? this::scheduleShort : null;
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

    /** The breaker {@code name}, with {@code declared}'s settings and the overrides of that name, registering it first if needed. */
    Breaker declare(String name, BreakerSpec declared) {
        requireName(name);
        BreakerSpec spec = overrides.apply(name, Objects.requireNonNull(declared, "spec"));
        Breaker breaker;
        synchronized (breakers) {
            breaker = breakers.computeIfAbsent(name, key -> new Breaker(name, spec, this));
        }
        if (!breaker.spec().equals(spec)) {
            throw new IllegalArgumentException(
                    "circuit breaker '" + name + "' is declared twice in one context with different settings: "
                            + breaker.spec().settings() + " and " + spec.settings()
                            + "; give one of them another name or the same settings");
        }
        return breaker;
    }

    /**
     * The rate limit {@code name}, with {@code declared}'s settings and the overrides of that name,
     * registering it, full, first if needed.
     *
     * @throws IllegalArgumentException when the settings break a rule, or differ from those the
     *     name was declared with before
     */
    RateLimiter limiter(String name, Settings declared) {
        return named("rate limit", limiters, name, declared, overrides::apply,
                settings -> new RateLimiter(name, settings, this), RateLimiter::sameSettings, RateLimiter::settings, RateLimiter::text);
    }

    /**
     * The retry budget {@code name}, with {@code declared}'s settings and the overrides of that
     * name, registering it, empty, first if needed.
     *
     * @throws IllegalArgumentException when the settings break a rule, or differ from those the
     *     name was declared with before
     */
    RetryBudget budget(String name, Settings declared) {
        return named("retry budget", budgets, name, declared, overrides::applyBudget,
                settings -> new RetryBudget(name, settings, this), RetryBudget::sameSettings, RetryBudget::settings, RetryBudget::text);
    }

    /**
     * The {@code kind} of {@code name} in {@code registered}, made from {@code declared} with its
     * overrides applied if the name is new; one already there must have the same settings.
     */
    private <T> T named(String kind, Map<String, T> registered, String name, Settings declared,
            BiFunction<String, Settings, Settings> withOverrides, Function<Settings, T> create,
            BiPredicate<T, Settings> same, Function<T, String> text,
            Function<Settings, String> settingsText) {
        requireName(name);
        Objects.requireNonNull(declared, "settings").requireNoProblems(kind + " '" + name + "'");
        Settings settings = withOverrides.apply(name, declared);
        T found;
        synchronized (registered) {
            found = registered.computeIfAbsent(name, key -> create.apply(settings));
        }
        if (!same.test(found, settings)) {
            throw new IllegalArgumentException(
                    kind + " '" + name + "' is declared twice in one context with different settings: "
                            + text.apply(found) + " and " + settingsText.apply(settings)
                            + "; give one of them another name or the same settings");
        }
        return found;
    }

    private static void requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
        }
    }

    /** The breaker registered under {@code name}. */
    public CircuitBreaker breaker(String name) {
        synchronized (breakers) {
            Breaker breaker = breakers.get(name);
            if (breaker == null) {
                throw new IllegalArgumentException(
                        "no circuit breaker named '" + name + "' was declared in this context; known: "
                                + new TreeSet<>(breakers.keySet()));
            }
            return breaker;
        }
    }

    /** Every breaker declared, in the order first declared. */
    public List<CircuitBreaker> breakers() {
        synchronized (breakers) {
            return List.copyOf(breakers.values());
        }
    }

    @Override
    public String toString() {
        Set<String> names;
        synchronized (breakers) {
            names = new TreeSet<>(breakers.keySet());
        }
        return "[time=" + time + ", breakers=" + names
                + (scheduler == null ? "" : ", scheduler=" + scheduler)
                + (executor == null ? "" : ", executor=" + executor) + "]";
    }
}
