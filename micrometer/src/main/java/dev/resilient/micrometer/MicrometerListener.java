package dev.resilient.micrometer;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ResilienceListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records what the policies of a context do as Micrometer meters:
 *
 * <ul>
 *   <li>{@code resilient.calls}: a counter tagged {@code interface} and {@code method}, one per call
 *       that reached its first attempt (under failover, one per delegate its first pass tried);
 *   <li>{@code resilient.attempts}: a counter tagged {@code interface}, {@code method} and
 *       {@code outcome} ({@code success} or {@code failure});
 *   <li>{@code resilient.retries}, {@code resilient.retries.exhausted}, {@code resilient.hedges}
 *       (one per hedged attempt started after the first), {@code resilient.fallbacks},
 *       {@code resilient.timeouts}, {@code resilient.bulkhead.rejections}: counters tagged
 *       {@code interface} and {@code method};
 *   <li>{@code resilient.failover.attempts}: a counter tagged {@code interface}, {@code method} and
 *       {@code delegate} (0 is the primary);
 *   <li>{@code resilient.breaker.rejections}: a counter tagged {@code breaker};
 *   <li>{@code resilient.breaker.slow.calls}: a counter tagged {@code breaker}, one per attempt
 *       that took at least the breaker's {@code slowCall};
 *   <li>{@code resilient.breaker.transitions}: a counter tagged {@code breaker}, {@code from} and {@code to};
 *   <li>{@code resilient.breaker.state}: a gauge tagged {@code breaker}: 0 closed, 1 open, 2 half-open;
 *   <li>{@code resilient.ratelimit.rejected}: a counter tagged {@code limiter}, one per attempt a
 *       rate limit refused;
 *   <li>{@code resilient.retry.budget.exhausted}: a counter tagged {@code method} and
 *       {@code budget}, one per retry a retry budget refused.
 * </ul>
 *
 * <pre>{@code
 * MicrometerListener metrics = new MicrometerListener(registry);
 * ResilienceContext context = ResilienceContext.builder().listener(metrics).build();
 * WeatherClient client = new ResilientWeatherClient(http, context);
 * metrics.monitor(context.breaker("weather")); // the state gauge from the start, not from the first change
 * }</pre>
 *
 * <p>Methods without any policy call the delegate directly and are not counted.
 */
public final class MicrometerListener implements ResilienceListener {
    private final MeterRegistry registry;
    /** The breakers given to {@link #monitor}: their gauge reads {@code state()}. */
    private final Map<String, CircuitBreaker> monitored = new ConcurrentHashMap<>();
    /** The last state change heard of each breaker not monitored. */
    private final Map<String, AtomicInteger> heard = new ConcurrentHashMap<>();
    /** The breaker names whose state gauge this listener has registered. */
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();

    public MicrometerListener(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Registers the state gauge of {@code breaker} now; from then on it reads {@code breaker.state()}
     * (an OPEN breaker whose open time has elapsed reads half-open, as health says, with no call
     * needed), also when this listener is not one of the breaker's context. A gauge of that name an
     * earlier listener left in the registry is replaced: the latest listener reports.
     */
    public void monitor(CircuitBreaker breaker) {
        monitored.put(breaker.name(), breaker);
        gauge(breaker.name());
    }

    @Override
    public void onAttempt(String method, int attempt, Throwable failure) {
        Tags tags = methodTags(method);
        if (attempt == 1) {
            Counter.builder("resilient.calls").tags(tags).register(registry).increment();
        }
        Counter.builder("resilient.attempts").tags(tags.and("outcome", failure == null ? "success" : "failure"))
                .register(registry)
                .increment();
    }

    @Override
    public void onRetry(String method, int attempt, Throwable failure, Duration wait) {
        count("resilient.retries", method);
    }

    @Override
    public void onRetriesExhausted(String method, int attempts, Throwable failure) {
        count("resilient.retries.exhausted", method);
    }

    @Override
    public void onHedge(String method, int attempt) {
        count("resilient.hedges", method);
    }

    @Override
    public void onFallback(String method, Throwable failure) {
        count("resilient.fallbacks", method);
    }

    @Override
    public void onTimeout(String method, Duration timeout) {
        count("resilient.timeouts", method);
    }

    @Override
    public void onBulkheadFull(String method) {
        count("resilient.bulkhead.rejections", method);
    }

    @Override
    public void onRateLimited(String limiter, Duration nextTokenIn) {
        Counter.builder("resilient.ratelimit.rejected").tag("limiter", limiter).register(registry).increment();
    }

    @Override
    public void onRetryBudgetExhausted(String method, String budget) {
        Counter.builder("resilient.retry.budget.exhausted").tag("method", method).tag("budget", budget).register(registry).increment();
    }

    @Override
    public void onFailoverAttempt(String method, int attempt, int delegate) {
        Counter.builder("resilient.failover.attempts")
                .tags(methodTags(method).and("delegate", Integer.toString(delegate)))
                .register(registry)
                .increment();
    }

    @Override
    public void onRejected(String breaker, CircuitOpenException rejection) {
        Counter.builder("resilient.breaker.rejections").tag("breaker", breaker).register(registry).increment();
    }

    @Override
    public void onSlowCall(String breaker, Duration took) {
        Counter.builder("resilient.breaker.slow.calls").tag("breaker", breaker).register(registry).increment();
    }

    @Override
    public void onStateChange(String breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
        Counter.builder("resilient.breaker.transitions")
                .tags("breaker", breaker, "from", from.name().toLowerCase(java.util.Locale.ROOT), "to", to.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry)
                .increment();
        heard.computeIfAbsent(breaker, name -> new AtomicInteger()).set(to.ordinal());
        gauge(breaker);
    }

    private void gauge(String breaker) {
        if (gauged.add(breaker)) {
            // A registry keeps the first gauge of an id and ignores the next: one left by an earlier
            // listener (a restarted application context) would report that listener's state forever.
            registry.find("resilient.breaker.state").tag("breaker", breaker).gauges().forEach(registry::remove);
            // Held strongly: Micrometer holds a gauge's object weakly, and a listener used only to
            // monitor(...) breakers, which no context keeps, would be collected and read NaN.
            Gauge.builder("resilient.breaker.state", this, listener -> listener.stateOf(breaker))
                    .strongReference(true)
                    .description("0 closed, 1 open, 2 half-open")
                    .tag("breaker", breaker)
                    .register(registry);
        }
    }

    /** The monitored breaker's state, else the last one heard of; NaN for neither. */
    private double stateOf(String breaker) {
        CircuitBreaker monitoredBreaker = monitored.get(breaker);
        if (monitoredBreaker != null) {
            return monitoredBreaker.state().ordinal();
        }
        AtomicInteger last = heard.get(breaker);
        return last == null ? Double.NaN : last.get();
    }

    private void count(String name, String method) {
        Counter.builder(name).tags(methodTags(method)).register(registry).increment();
    }

    /** {@code "WeatherClient.forecast"} as {@code interface=WeatherClient, method=forecast}; overloads keep their parameters. */
    static Tags methodTags(String method) {
        int parameters = method.indexOf('(');
        int dot = method.lastIndexOf('.', parameters < 0 ? method.length() : parameters);
        return dot < 0
                ? Tags.of("interface", "", "method", method)
                : Tags.of("interface", method.substring(0, dot), "method", method.substring(dot + 1));
    }
}
