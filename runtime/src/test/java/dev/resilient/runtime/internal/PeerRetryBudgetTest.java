package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code @RetryBudget} against bug reports and design discussions of peers' retry budgets
 * (Envoy's, Finagle's {@code RetryBudget}, tower's {@code TpsBudget}, the Gateway API's
 * GEP-3388). gRPC's retry throttling is in {@link PeerGrpcRetryTest}.
 */
class PeerRetryBudgetTest {
    private final ManualTime time = new ManualTime();
    private final Recorder recorder = new Recorder();
    private final ResilienceContext context = ResilienceContext.builder().time(time).listener(recorder).build();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicBoolean failing = new AtomicBoolean(true);

    interface Service {
        String call() throws IOException;
    }

    /** The remote: counts every request, and fails each while {@link #failing}. */
    private final Service remote = () -> {
        int request = requests.incrementAndGet();
        if (failing.get()) {
            throw new IOException("failure " + request);
        }
        return "ok " + request;
    };

    private MethodPlan.Builder plan(String method, int maxAttempts, double ratio, int minPerSecond) {
        return MethodPlan.builder(method).retry(RetrySpec.builder().maxAttempts(maxAttempts).delay(Duration.ZERO).build())
                .retryBudget("Service").ratio(ratio).minPerSecond(minPerSecond).budgetWindow(Duration.ofSeconds(10));
    }

    private static void call(MethodPolicies<Service> policies) {
        try {
            policies.<String>call(Service::call, null);
        } catch (Exception expected) {
            assertInstanceOf(IOException.class, expected, "the remote's failure, once the budget or the attempts ran out");
        }
    }

    /**
     * Envoy's retry budget (envoyproxy/envoy#9069) allows retries as a share of the requests active
     * now, and envoyproxy/envoy#25660 found the catch: by the time a failed request asks, the
     * active requests may have gone, and a transient failure gets no retry. Our contract counts the
     * calls started in the last {@code window}, finished or not: ten calls that have all ended still
     * earn the eleventh its retry, until they leave the window.
     */
    @Test
    void callsThatHaveAlreadyEndedStillEarnRetriesWhileInTheWindow() {
        MethodPolicies<Service> policies = plan("Service.call", 10, 0.1, 0).build().over(context, remote);
        failing.set(false);
        for (int i = 0; i < 10; i++) {
            call(policies);
        }
        failing.set(true);
        call(policies);
        assertEquals(10 + 2, requests.get(), "0.1 × 11 calls started: one retry, though no other call is in flight");

        time.advance(Duration.ofSeconds(10));
        call(policies);
        assertEquals(12 + 1, requests.get(), "those calls have left the window: 0.1 × 1 earns no retry");
        assertEquals(List.of("budget exhausted Service.call Service", "budget exhausted Service.call Service"), recorder.events("budget"));
    }

    /**
     * tower's tower-rs/tower#857 (its {@code TpsBudget} truncated {@code 1 / retry_percent}, so a
     * percent of 0.6 allowed one retry per request instead of 0.6) and the integer deposit and
     * withdrawal amounts it scales for percents of 0, up to 1 and up to 1000 (tower-rs/tower#130).
     * Our contract: retries within {@code ratio} × the calls plus the reserve, {@code ratio} in
     * [0, 1000]: 10 calls at 0.6 allow 6, 2 calls at 2.5 allow 5, 1 call at 1000 allows 1000, and
     * at 0 with no reserve none, while every first attempt still goes out.
     */
    @Test
    void fractionalRatiosAndRatiosAboveOneAllowExactlyTheirShare() {
        record Case(double ratio, int calls, int retries) {}
        for (Case c : List.of(new Case(0.6, 10, 6), new Case(2.5, 2, 5), new Case(1000, 1, 1000), new Case(0, 5, 0))) {
            ManualTime clock = new ManualTime();
            ResilienceContext fresh = ResilienceContext.builder().time(clock).build();
            requests.set(0);
            MethodPolicies<Service> policies = plan("Service.call", 2000, c.ratio(), 0).build().over(fresh, remote);
            for (int i = 0; i < c.calls(); i++) {
                call(policies);
            }
            assertEquals(c.calls() + c.retries(), requests.get(), c + ": every call's first attempt and the retries the ratio earns");
        }
    }

    /**
     * The Gateway API's kubernetes-sigs/gateway-api#3607 (GEP-3388) asked whether a request
     * retried three times counts once or three times against the budget, and budgets funded by
     * every attempt fund their own retries. Our contract: a call is counted once when it starts,
     * whatever its attempts, and every retry is counted as a retry: 10 failing calls at
     * {@code ratio = 0.5} get 5 retries in all, not the 10 that retries counting as calls would give.
     */
    @Test
    void retriesAreNotCountedAsCallsSoTheyCannotFundMoreRetries() {
        MethodPolicies<Service> policies = plan("Service.call", 100, 0.5, 0).build().over(context, remote);
        for (int i = 0; i < 10; i++) {
            call(policies);
        }
        assertEquals(10 + 5, requests.get());
    }

    /**
     * Finagle's twitter/finagle#956 (with MethodBuilder, both the retry and the requeue filter
     * deposited into one budget for the same request, doubling it). Our contract: a call is counted
     * once however many policies it passes and however many delegates of a failover serve it. Ten
     * calls through a breaker, a bulkhead and a rate limit, each failing over from a broken primary
     * to a backup, earn {@code 0.1 × 11} for the eleventh call: one retry, one more pass.
     */
    @Test
    void aCallIsCountedOnceThroughEveryLayerAndEveryDelegateOfAFailover() {
        AtomicInteger primary = new AtomicInteger();
        Service broken = () -> {
            primary.incrementAndGet();
            throw new IOException("primary down");
        };
        MethodPolicies<Service> policies = plan("Service.call", 10, 0.1, 0)
                .breaker("s", BreakerSpec.builder().failureThreshold(1000).build())
                .bulkhead().maxConcurrent(5)
                .rateLimit().permits(1000)
                .build().over(context, List.of(broken, remote));
        failing.set(false);
        for (int i = 0; i < 10; i++) {
            call(policies);
        }
        assertEquals(10, primary.get());
        assertEquals(10, requests.get(), "each call failed over to the backup at once, no retry");
        failing.set(true);
        call(policies);
        assertEquals(10 + 2, primary.get(), "two passes: the first and one retry");
        assertEquals(10 + 2, requests.get());
    }

    /**
     * Dropwizard's dropwizard/metrics#623 (a sliding time window compared clock readings with
     * {@code >}, not by their difference, and kept values it should have dropped). Our
     * {@code TimeSource}: readings comparable only with each other, from any origin. On a clock
     * that starts at {@code Long.MIN_VALUE} one call is one call: at {@code ratio = 0.5} with no
     * reserve it earns no retry, and two do earn one; and asking for a retry ends.
     */
    @Test
    void aBudgetCountsEachCallOnceOnAClockOfAnyOrigin() {
        for (long origin : new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 999_999_999L, -5_000_000_000L}) {
            TimeSource clock = new PeerRateLimitTest.StandingTime(origin);
            ResilienceContext anywhere = ResilienceContext.builder().time(clock).build();
            requests.set(0);
            MethodPolicies<Service> policies = plan("Service.call", 10, 0.5, 0).build().over(anywhere, remote);
            // Bounded: a retry asked for on such a clock once spun for ever, taking itself back.
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> call(policies), "origin " + origin);
            assertEquals(1, requests.get(), "origin " + origin + ": 0.5 × 1 call earns no retry");
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> call(policies), "origin " + origin);
            assertEquals(1 + 2, requests.get(), "origin " + origin + ": 0.5 × 2 calls earn one");
        }
    }
}
