package dev.resilient.spring;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.ResilienceContext;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code resilient} Actuator endpoint: {@code GET /actuator/resilient} lists every breaker,
 * {@code GET /actuator/resilient/{name}} shows one, and {@code POST /actuator/resilient/{name}}
 * with {@code {"action": "forceOpen"}} or {@code {"action": "reset"}} changes it.
 */
@Endpoint(id = "resilient")
public class ResilientEndpoint {
    private final ResilienceContext context;

    ResilientEndpoint(ResilienceContext context) {
        this.context = context;
    }

    /** Every breaker the context's wrappers declared, in the order declared. */
    @ReadOperation
    public Breakers breakers() {
        return new Breakers(context.breakers().stream().map(BreakerView::of).toList());
    }

    /** One breaker; none (HTTP 404) for a name no wrapper declared. */
    @ReadOperation
    public @Nullable BreakerView breaker(@Selector String name) {
        return context.breakers().stream().filter(breaker -> breaker.name().equals(name)).findFirst().map(BreakerView::of).orElse(null);
    }

    /**
     * Forces the breaker open ({@code forceOpen}) or closes it and forgets its failures ({@code reset});
     * anything else is a bad request (HTTP 400) naming what is allowed.
     */
    @WriteOperation
    public BreakerView change(@Selector String name, String action) {
        CircuitBreaker breaker;
        try {
            breaker = context.breaker(name);
        } catch (IllegalArgumentException unknown) {
            // The reason is what the response shows (as its message, where spring.web.error.include-message allows).
            throw new InvalidEndpointRequestException(unknown.getMessage(), "no circuit breaker named '" + name + "'; the breakers are: "
                    + context.breakers().stream().map(CircuitBreaker::name).collect(Collectors.joining(", ")));
        }
        switch (action) {
            case "forceOpen" -> breaker.forceOpen();
            case "reset" -> breaker.reset();
            default -> throw new InvalidEndpointRequestException("action must be forceOpen or reset, was '" + action + "'",
                    "unknown action '" + action + "': the action must be forceOpen or reset");
        }
        return BreakerView.of(breaker);
    }

    /** What {@code GET /actuator/resilient} answers. */
    public record Breakers(List<BreakerView> breakers) {}

    /**
     * One breaker.
     *
     * @param state {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
     * @param timeLeftOpen how long it still rejects every call, ISO-8601 ({@code PT0.734S}):
     *     {@code PT0S} unless OPEN, {@code null} while held open until reset
     * @param settings its settings, overrides applied
     */
    public record BreakerView(String name, String state, @Nullable String timeLeftOpen, @Nullable String settings) {
        static BreakerView of(CircuitBreaker breaker) {
            return new BreakerView(breaker.name(), breaker.state().name(),
                    breaker.timeLeftOpen().map(Duration::toString).orElse(null),
                    breaker.settings());
        }
    }
}
