package dev.resilient.spring;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.ResilienceContext;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code resilient} health contributor: each breaker's state as a detail; UP while none is
 * OPEN, else {@code CIRCUIT_OPEN} (or DOWN under {@code resilient.health.open-status=DOWN}).
 */
final class ResilientHealthIndicator extends AbstractHealthIndicator {
    static final Status CIRCUIT_OPEN = new Status("CIRCUIT_OPEN", "a circuit breaker is open");

    private final ResilienceContext context;
    private final ResilientProperties properties;

    ResilientHealthIndicator(ResilienceContext context, ResilientProperties properties) {
        super("resilient health check failed");
        this.context = context;
        this.properties = properties;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean open = false;
        for (CircuitBreaker breaker : context.breakers()) {
            CircuitBreaker.State state = breaker.state();
            open |= state == CircuitBreaker.State.OPEN;
            builder.withDetail(breaker.name(), state.name());
        }
        builder.status(!open ? Status.UP
                : properties.getHealth().getOpenStatus() == ResilientProperties.OpenStatus.DOWN ? Status.DOWN : CIRCUIT_OPEN);
    }
}
