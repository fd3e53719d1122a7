package dev.resilient.runtime;

import dev.resilient.runtime.internal.ContextCore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * Where generated wrappers keep their circuit breakers, and the time, randomness and listener
 * their policies use.
 *
 * <p>Breakers with one name in one context share their state; wrappers built on different
 * contexts share nothing. A context owns no thread of its own: forgetting one leaks nothing.
 *
 * <pre>{@code
 * ResilienceContext context = ResilienceContext.builder()
 *         .time(new ManualTime())
 *         .listener(listener)
 *         .build();
 * WeatherClient client = new ResilientWeatherClient(httpClient, context);
 * context.breaker("weather").state();
 * }</pre>
 */
public final class ResilienceContext {
    static {
        ContextCore.grantAccess(context -> context.core);
    }

    private final ContextCore core;

    private ResilienceContext(Builder builder) {
        this.core = new ContextCore(builder.time, builder.random, builder.listeners, builder.scheduler, builder.executor,
                builder.overrides);
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The breaker of that name that a wrapper built on this context declared.
     *
     * @throws IllegalArgumentException when no wrapper on this context declared it; the message
     *     lists the names that are declared
     */
    public CircuitBreaker breaker(String name) {
        Objects.requireNonNull(name, "name");
        return core.breaker(name);
    }

    /** Every breaker the wrappers built on this context declared, in the order first declared. */
    public List<CircuitBreaker> breakers() {
        return core.breakers();
    }

    /**
     * The {@linkplain Builder#overrides(Map) override} keys that no wrapper built on this context
     * so far has claimed: a misspelt breaker or method name, or a wrapper not built yet. Meant for
     * a start-up check once every wrapper is built, so that no setting is silently ignored.
     */
    public Set<String> unclaimedOverrides() {
        return core.unclaimedOverrides();
    }

    /**
     * The {@linkplain Builder#overrides(Map) override} settings this context was built with: those
     * under {@code resilient.}, each value stripped of surrounding blanks, sorted by key.
     */
    public Map<String, String> overrides() {
        return core.overrides();
    }

    @Override
    public String toString() {
        return "ResilienceContext" + core;
    }

    /** Settings of a {@link ResilienceContext}; each setter checks its argument at once. */
    public static final class Builder {
        private TimeSource time = TimeSource.system();
        private RandomGenerator random;
        private final List<ResilienceListener> listeners = new ArrayList<>();
        private ScheduledExecutorService scheduler;
        private Executor executor;
        private final Map<String, String> overrides = new TreeMap<>();

        private Builder() {}

        /**
         * Settings that replace the annotations' values when a wrapper is built on this context
         * (never per call): {@code resilient.breaker.<name>.<attribute>} for every numeric and
         * duration attribute of {@code @Breaker} ({@code failureThreshold}, {@code window},
         * {@code failureRate}, {@code minimumCalls}, {@code openFor}, {@code halfOpenCalls},
         * {@code windowDuration}, {@code slowCall}, {@code slowCallRate}, {@code maxHalfOpen},
         * {@code openForMultiplier}, {@code maxOpenFor});
         * {@code resilient.retry.<Interface>.<method>.<attribute>} for {@code maxAttempts},
         * {@code delay}, {@code multiplier}, {@code maxDelay} and {@code maxDuration};
         * {@code resilient.ratelimit.<name>.<attribute>} for {@code permits}, {@code per} and
         * {@code maxWait}; {@code resilient.budget.<name>.<attribute>} for {@code ratio},
         * {@code minPerSecond} and {@code window}; {@code resilient.hedge.<Interface>.<method>.<attribute>}
         * for {@code delay} and {@code maxAttempts}. Each generated wrapper's static
         * {@code overrideKeys()} lists the keys it reads. Durations are written as in the
         * annotations. Keys not starting with
         * {@code resilient.} are ignored. A bad value or an unknown attribute fails the wrapper's
         * construction with an {@link IllegalArgumentException} naming the key.
         */
        public Builder overrides(Map<String, String> overrides) {
            Objects.requireNonNull(overrides, "overrides").forEach((key, value) -> this.overrides.put(
                    Objects.requireNonNull(key, "overrides must not contain a null key"),
                    Objects.requireNonNull(value, () -> "overrides must not map " + key + " to null")));
            return this;
        }

        /** {@link #overrides(Map)} from properties, for example a file or {@code System.getProperties()}. */
        public Builder overrides(Properties overrides) {
            Objects.requireNonNull(overrides, "overrides").stringPropertyNames()
                    .forEach(key -> this.overrides.put(key, overrides.getProperty(key)));
            return this;
        }

        /** The clock to read and wait with. Default: {@link TimeSource#system()}. */
        public Builder time(TimeSource time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        /**
         * Where jitter is drawn from. The context guards it, so a generator that is not thread-safe
         * is fine. Default: {@link java.util.concurrent.ThreadLocalRandom}.
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Told about attempts, retries, rejections and state changes. May be called several times:
         * every listener is told, in the order given. Default: none.
         */
        public Builder listener(ResilienceListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Where asynchronous waits and timeouts are scheduled under the system clock. Not allowed
         * with a {@link ManualTime}, which runs scheduled work itself. Default: shared daemon threads.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Where attempts of {@code @Timeout} methods run. Default: shared daemon threads. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * A new context with these settings.
         *
         * @throws IllegalArgumentException when a scheduler is given together with a {@link ManualTime}
         */
        public ResilienceContext build() {
            if (scheduler != null && time instanceof ManualTime) {
                throw new IllegalArgumentException(
                        "scheduler must not be set together with time " + time
                                + ": ManualTime runs scheduled work itself, inside advance()");
            }
            return new ResilienceContext(this);
        }
    }
}
