package dev.resilient.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.RateLimitedException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.internal.Breaker;
import dev.resilient.runtime.internal.BreakerSpec;
import dev.resilient.runtime.internal.MethodPlan;
import dev.resilient.runtime.internal.MethodPolicies;
import dev.resilient.runtime.internal.Retry;
import dev.resilient.runtime.internal.RetrySpec;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class MicrometerListenerTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerListener metrics = new MicrometerListener(registry);
    private final ManualTime time = new ManualTime();
    private final ResilienceContext context = ResilienceContext.builder().time(time).listener(metrics).build();

    @Test
    void retriesAndExhaustionAreCountedPerInterfaceAndMethod() {
        Retry retry = Retry.create(context, "WeatherClient.forecast", RetrySpec.builder().maxAttempts(3).build());
        int attempt = 1;
        while (retry.retry(new IOException(), attempt, 0)) {
            attempt++;
        }
        Tags tags = Tags.of("interface", "WeatherClient", "method", "forecast");
        assertEquals(2.0, registry.get("resilient.retries").tags(tags).counter().count());
        assertEquals(1.0, registry.get("resilient.retries.exhausted").tags(tags).counter().count());
    }

    @Test
    void breakerStateIsAGaugeAndTransitionsAndRejectionsAreCounted() {
        Breaker breaker = Breaker.declare(context, "weather", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(1)).build());
        metrics.monitor(breaker);
        assertEquals(0.0, registry.get("resilient.breaker.state").tag("breaker", "weather").gauge().value());

        breaker.acquire(null).failed(new IOException());
        assertEquals(1.0, registry.get("resilient.breaker.state").tag("breaker", "weather").gauge().value());
        assertThrows(CircuitOpenException.class, () -> breaker.acquire(null));
        assertEquals(1.0, registry.get("resilient.breaker.rejections").tag("breaker", "weather").counter().count());

        time.advance(Duration.ofSeconds(1));
        breaker.acquire(null).succeeded();
        assertEquals(0.0, registry.get("resilient.breaker.state").tag("breaker", "weather").gauge().value());
        assertEquals(1.0, registry.get("resilient.breaker.transitions")
                .tags("breaker", "weather", "from", "half_open", "to", "closed").counter().count());
    }

    /**
     * A restarted application context (or a second one) brings a new listener and new breakers to
     * the same registry: the state gauge must follow them, not the first listener's value
     * (resilience4j/resilience4j#821: Micrometer keeps the first meter of an id and ignores the next).
     */
    @Test
    void theStateGaugeFollowsTheLatestListenerOfTheRegistry() {
        Breaker first = Breaker.declare(context, "weather", BreakerSpec.builder().failureThreshold(1).build());
        metrics.monitor(first);

        MicrometerListener restarted = new MicrometerListener(registry);
        ResilienceContext again = ResilienceContext.builder().time(time).listener(restarted).build();
        Breaker second = Breaker.declare(again, "weather", BreakerSpec.builder().failureThreshold(1).build());
        restarted.monitor(second);
        second.acquire(null).failed(new IOException());

        assertEquals(1, registry.find("resilient.breaker.state").tag("breaker", "weather").gauges().size());
        assertEquals(1.0, registry.get("resilient.breaker.state").tag("breaker", "weather").gauge().value());
    }

    /**
     * A monitored breaker's gauge reads what {@code state()} says (and health reports): once the
     * open time has elapsed it is half-open, though no call has come to make a transition event
     * (resilience4j/resilience4j#182: a state gauge stuck on the first value it saw). The gauge
     * also needs no listener on the breaker's context.
     */
    @Test
    void aMonitoredBreakersGaugeReadsItsStateWithoutWaitingForEvents() {
        Breaker breaker = Breaker.declare(context, "weather", BreakerSpec.builder().failureThreshold(1).openFor(Duration.ofSeconds(1)).build());
        metrics.monitor(breaker);
        breaker.acquire(null).failed(new IOException());
        assertEquals(1.0, registry.get("resilient.breaker.state").tag("breaker", "weather").gauge().value());
        time.advance(Duration.ofSeconds(1));
        assertEquals(2.0, registry.get("resilient.breaker.state").tag("breaker", "weather").gauge().value(), "HALF_OPEN, as state() says");

        ResilienceContext unheard = ResilienceContext.builder().time(time).build(); // the application's own context, no listener
        Breaker quiet = Breaker.declare(unheard, "prices", BreakerSpec.builder().failureThreshold(1).build());
        metrics.monitor(quiet);
        quiet.acquire(null).failed(new IOException());
        assertEquals(1.0, registry.get("resilient.breaker.state").tag("breaker", "prices").gauge().value());
    }

    @Test
    void slowCallsAreCountedPerBreaker() {
        Breaker breaker = Breaker.declare(context, "prices", BreakerSpec.builder().window(10).slowCall(Duration.ofSeconds(2)).build());
        for (Duration took : new Duration[] {Duration.ofSeconds(2), Duration.ofMillis(1999), Duration.ofSeconds(3)}) {
            var permit = breaker.acquire(null);
            time.advance(took);
            permit.failed(new IOException());
        }
        assertEquals(2.0, registry.get("resilient.breaker.slow.calls").tag("breaker", "prices").counter().count());
    }

    @Test
    void rateLimitRefusalsAreCountedPerLimiter() {
        MethodPolicies<Supplier<String>> policies = MethodPlan.builder("Quotes.get").rateLimit("quota").permits(1).build()
                .over(context, () -> "ok");
        policies.<String>call(Supplier::get, null);
        assertThrows(RateLimitedException.class, () -> policies.<String>call(Supplier::get, null));
        assertThrows(RateLimitedException.class, () -> policies.<String>call(Supplier::get, null));
        assertEquals(2.0, registry.get("resilient.ratelimit.rejected").tag("limiter", "quota").counter().count());
    }

    @Test
    void retryBudgetRefusalsAreCountedPerMethodAndBudget() {
        MethodPolicies<Supplier<String>> policies = MethodPlan.builder("Quotes.get")
                .retry(RetrySpec.builder().maxAttempts(5).delay(Duration.ZERO).build())
                .retryBudget("Quotes").ratio(0).minPerSecond(0).build()
                .over(context, () -> {
                    throw new IllegalStateException("down");
                });
        assertThrows(IllegalStateException.class, () -> policies.<String>call(Supplier::get, null));
        assertThrows(IllegalStateException.class, () -> policies.<String>call(Supplier::get, null));
        assertEquals(2.0, registry.get("resilient.retry.budget.exhausted").tag("method", "Quotes.get").tag("budget", "Quotes")
                .counter().count());
    }

    @Test
    void hedgedAttemptsAreCountedPerInterfaceAndMethod() {
        MethodPolicies<Supplier<String>> policies = MethodPlan.builder("Quotes.get").hedge().hedgeDelay(Duration.ofHours(1))
                .hedgeMaxAttempts(3).build()
                .over(context, () -> {
                    throw new IllegalStateException("down"); // each failure starts the next attempt at once
                });
        assertThrows(IllegalStateException.class, () -> policies.<String>call(Supplier::get, null));
        assertEquals(2.0, registry.get("resilient.hedges").tags("interface", "Quotes", "method", "get").counter().count());
        assertEquals(3.0, registry.get("resilient.attempts").tags("interface", "Quotes", "method", "get", "outcome", "failure")
                .counter().count());
    }

    @Test
    void callsAndAttemptsAreCountedFromAttemptEvents() {
        metrics.onAttempt("WeatherClient.forecast", 1, new IOException());
        metrics.onAttempt("WeatherClient.forecast", 2, null);
        metrics.onAttempt("WeatherClient.forecast", 1, null);
        Tags tags = Tags.of("interface", "WeatherClient", "method", "forecast");
        assertEquals(2.0, registry.get("resilient.calls").tags(tags).counter().count());
        assertEquals(2.0, registry.get("resilient.attempts").tags(tags.and("outcome", "success")).counter().count());
        assertEquals(1.0, registry.get("resilient.attempts").tags(tags.and("outcome", "failure")).counter().count());
    }

    @Test
    void overloadedMethodsKeepTheirParametersInTheMethodTag() {
        assertEquals(Tags.of("interface", "Outer.Store", "method", "get(String,int)"), MicrometerListener.methodTags("Outer.Store.get(String,int)"));
    }

    /**
     * resilience4j/resilience4j#1330 (state gauges read NaN after a while): Micrometer holds the
     * object a gauge reads weakly, so a gauge read through a listener nobody else keeps goes NaN
     * once the garbage collector runs. A listener used only to {@code monitor(...)} a breaker, not
     * given to the breaker's context, is such a listener; its gauge still reads the state after
     * collections.
     */
    @Test
    void aMonitoredBreakersGaugeSurvivesGarbageCollectionOfAListenerNobodyElseKeeps() {
        ResilienceContext unheard = ResilienceContext.builder().time(time).build();
        Breaker breaker = Breaker.declare(unheard, "kept", BreakerSpec.builder().failureThreshold(1).build());
        new MicrometerListener(registry).monitor(breaker);
        breaker.acquire(null).failed(new IOException());
        collectGarbage();
        assertEquals(1.0, registry.get("resilient.breaker.state").tag("breaker", "kept").gauge().value());
    }

    /** Runs the collector until an object only weakly reachable is gone (a bounded number of times). */
    private static void collectGarbage() {
        java.lang.ref.WeakReference<Object> sentinel = new java.lang.ref.WeakReference<>(new Object());
        for (int i = 0; i < 50 && sentinel.get() != null; i++) {
            System.gc();
        }
        assertEquals(null, sentinel.get(), "a collection ran");
    }
}
