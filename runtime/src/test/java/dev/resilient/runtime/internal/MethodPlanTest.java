package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.resilient.runtime.BulkheadFullException;
import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MethodPlanTest {
    private final ResilienceContext context = ResilienceContext.builder().time(new ManualTime()).build();

    interface Service {
        String call(String input) throws IOException;
    }

    @Test
    void oneDelegatesFailureCountsAgainstItsBreakerAndReachesTheCallerUnchanged() {
        IOException failure = new IOException("down");
        Service failing = input -> {
            throw failure;
        };
        MethodPolicies<Service> policies = MethodPlan.builder("Service.call")
                .breaker("one", BreakerSpec.builder().failureThreshold(1).build())
                .build()
                .over(context, failing);

        assertSame(failure, assertThrows(IOException.class, () -> policies.<String>call(service -> service.call("x"), null)));
        assertEquals(CircuitBreaker.State.OPEN, context.breaker("one").state());
        assertThrows(CircuitOpenException.class, () -> policies.<String>call(service -> service.call("x"), null));
    }

    @Test
    void anInlineMethodGetsPoliciesOnlyWhenThereAreBackups() throws Throwable {
        MethodPlan plan = MethodPlan.builder("Service.call").breaker("inline", BreakerSpec.builder().build()).build();
        Service primary = input -> {
            throw new IOException("primary down");
        };
        assertNull(plan.failover(context, List.of(primary)), "one delegate: the inline code is the only path");

        MethodPolicies<Service> policies = plan.failover(context, List.of(primary, input -> "backup"));
        assertEquals("backup", policies.<String>call(service -> service.call("x"), null));
        assertEquals(List.of("inline", "inline#1"), context.breakers().stream().map(CircuitBreaker::name).toList());
    }

    @Test
    void overAFailoverEachDelegateHasItsOwnBreakerAndBulkhead() {
        Service primary = input -> "primary";
        Service backup = input -> "backup";
        MethodPlan plan = MethodPlan.builder("Service.call")
                .breaker("two", BreakerSpec.builder().failureThreshold(1).build())
                .bulkhead().maxConcurrent(1)
                .build();
        MethodPolicies<Service> policies = plan.over(context, List.of(primary, backup));
        assertEquals(List.of("two", "two#1"), context.breakers().stream().map(CircuitBreaker::name).toList());

        CompletableFuture<String> hanging = new CompletableFuture<>();
        CompletableFuture<String> held = policies.callAsync(
                service -> service == primary ? CompletableFuture.failedFuture(new IOException("moves on")) : hanging, null);
        assertEquals(CircuitBreaker.State.OPEN, context.breaker("two").state(), "the primary's own breaker");
        assertEquals(CircuitBreaker.State.CLOSED, context.breaker("two#1").state());
        context.breaker("two").reset();
        assertEquals("primary", policies.<String>callAsync(service -> CompletableFuture.completedFuture(service.call("x")), null).join(),
                "the backup holds its only slot; the primary's bulkhead is its own");
        assertInstanceOf(BulkheadFullException.class, policies.<String>callAsync(
                service -> service == primary ? CompletableFuture.failedFuture(new IOException()) : hanging, null)
                .handle((value, failure) -> failure).join(), "the backup's slot is still held");
        hanging.complete("late");
        assertEquals("late", held.join());
    }

    @Test
    void missingDelegatesAreNamed() {
        MethodPlan plan = MethodPlan.builder("Service.call").build();
        assertEquals("delegate", assertThrows(NullPointerException.class, () -> plan.over(context, (Service) null)).getMessage());
        Service service = input -> input;
        Service[] backup = {service};
        assertEquals("primary", assertThrows(NullPointerException.class, () -> MethodPolicies.delegates(null, backup)).getMessage());
        assertEquals("backups", assertThrows(NullPointerException.class, () -> MethodPolicies.delegates(service, null)).getMessage());
        assertEquals("backups must not contain null", assertThrows(NullPointerException.class,
                () -> MethodPolicies.delegates(service, new Service[] {service, null})).getMessage());
        assertEquals(List.of(service, service), MethodPolicies.delegates(service, backup));
    }

    @Test
    void overridesThatLeaveNoRoomForARetryFailConstructionWithTheCompilerIds() {
        MethodPlan plan = MethodPlan.builder("Service.timed")
                .retry(RetrySpec.builder().maxDuration(Duration.ofSeconds(10)).build())
                .breaker("timed", BreakerSpec.builder().window(10).slowCall(Duration.ofMillis(500)).build())
                .timeout(Duration.ofSeconds(1))
                .build();
        Service service = input -> input;
        ResilienceContext shorter = ResilienceContext.builder().time(new ManualTime())
                .overrides(java.util.Map.of("resilient.retry.Service.timed.maxDuration", "1s")).build();
        IllegalArgumentException budget = assertThrows(IllegalArgumentException.class, () -> plan.over(shorter, service));
        assertEquals("with overrides [resilient.retry.Service.timed.maxDuration], method Service.timed:"
                + " [TimeoutBeyondBudget] a timeout of 1s per attempt is at least the retry's maxDuration (1s),"
                + " so no retry could follow a timed-out attempt (hint: make the timeout shorter than maxDuration, or maxDuration longer)",
                budget.getMessage());

        ResilienceContext slower = ResilienceContext.builder().time(new ManualTime())
                .overrides(java.util.Map.of("resilient.breaker.timed.slowCall", "1s")).build();
        assertEquals(true, assertThrows(IllegalArgumentException.class, () -> plan.over(slower, service)).getMessage()
                .startsWith("with overrides [resilient.breaker.timed.slowCall], method Service.timed: [BreakerSlowCallBeyondTimeout]"
                        + " slowCall (1s) is at least the method's @Timeout (1s)"));
        assertEquals("ok", plan.over(context, service).<String>call(delegate -> delegate.call("ok"), null), "as built, it is sound");
    }
    @Test
    void overrideKeysNameEachSharedBreakerLimitAndBudgetOnceInTheOrderFirstFound() {
        BreakerSpec breaker = BreakerSpec.builder().build();
        MethodPlan find = MethodPlan.builder("S.find").retry(RetrySpec.builder().build()).breaker("shared", breaker)
                .rateLimit("quota").retryBudget("fleet").build();
        MethodPlan plain = MethodPlan.builder("S.plain").build();
        MethodPlan save = MethodPlan.builder("S.save").breaker(breaker).rateLimit("quota").build();
        MethodPlan read = MethodPlan.builder("S.read").hedge().breaker("shared", breaker).retryBudget("fleet").build();

        assertEquals(Overrides.keys(List.of("shared", "S.save"), List.of("S.find"), List.of("quota"), List.of("fleet"), List.of("S.read")),
                MethodPlan.overrideKeys(find, plain, save, read));
        assertEquals(List.of(), MethodPlan.overrideKeys(plain), "a method without policies reads no key");
    }
}
