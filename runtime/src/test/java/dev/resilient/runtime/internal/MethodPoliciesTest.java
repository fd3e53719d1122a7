package dev.resilient.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MethodPoliciesTest {
    private final ResilienceContext context = ResilienceContext.builder().time(new ManualTime()).build();

    interface Service {
        String call(String input) throws IOException;
    }

    @Test
    void oneDelegatesFailureCountsAgainstItsBreakerAndReachesTheCallerUnchanged() {
        Breaker breaker = Breaker.declare(context, BreakerSpec.builder("one").failureThreshold(1).build());
        IOException failure = new IOException("down");
        Service failing = input -> {
            throw failure;
        };
        MethodPolicies<Service> policies = MethodPolicies.builder(context, "Service.call", failing).breaker(breaker).build();

        assertSame(failure, assertThrows(IOException.class, () -> policies.<String>call(service -> service.call("x"), null)));
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertThrows(CircuitOpenException.class, () -> policies.<String>call(service -> service.call("x"), null));
    }

    @Test
    void aSinglePolicyForSeveralDelegatesPointsToTheListMethod() {
        Service service = input -> input;
        MethodPolicies.Builder<Service> builder = MethodPolicies.failoverBuilder(context, "Service.call", List.of(service, service));
        Breaker breaker = Breaker.declare(context, BreakerSpec.builder("two").build());
        Bulkhead bulkhead = Bulkhead.create(context, "Service.call", 1, Duration.ZERO);

        assertEquals("breaker(...) is for one delegate, and there are 2: use breakers(...) with one per delegate",
                assertThrows(IllegalArgumentException.class, () -> builder.breaker(breaker)).getMessage());
        assertEquals("bulkhead(...) is for one delegate, and there are 2: use bulkheads(...) with one per delegate",
                assertThrows(IllegalArgumentException.class, () -> builder.bulkhead(bulkhead)).getMessage());
    }

    @Test
    void aMissingDelegateIsNamed() {
        assertEquals("delegate",
                assertThrows(NullPointerException.class, () -> MethodPolicies.builder(context, "Service.call", null)).getMessage());
    }
}
