package dev.resilient.spring;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Places {@code CIRCUIT_OPEN} in Boot's order of health statuses, between OUT_OF_SERVICE and UP,
 * as the lowest-precedence default. Boot sorts a status it does not know first, so without this an
 * open breaker would hide a DOWN database from {@code /actuator/health}.
 */
final class HealthStatusOrder implements EnvironmentPostProcessor {
    static final String ORDER = "management.endpoint.health.status.order";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("resilientHealthStatusOrder",
                Map.of(ORDER, "DOWN,OUT_OF_SERVICE,CIRCUIT_OPEN,UP,UNKNOWN")));
    }
}
