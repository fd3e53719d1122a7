package dev.resilient.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What IDEs complete under {@code resilient.}: the static keys with their defaults, hints for the dynamic ones. */
class MetadataTest {

    @Test
    void theMetadataDescribesEveryKey() throws IOException {
        DocumentContext metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = JsonPath.parse(in);
        }
        List<String> names = metadata.read("$.properties[*].name");
        assertThat(names).contains("resilient.wrap", "resilient.strict", "resilient.health.open-status",
                "resilient.breaker", "resilient.retry", "resilient.ratelimit", "resilient.budget", "resilient.hedge");
        List<Object> wrapDefault = metadata.read("$.properties[?(@.name == 'resilient.wrap')].defaultValue");
        assertThat(wrapDefault).containsExactly(true);
        List<String> breakerKeys = metadata.read("$.hints[?(@.name == 'resilient.breaker.keys')].values[*].value");
        assertThat(breakerKeys).contains("<name>.failureThreshold", "<name>.openFor");
        assertThat(breakerKeys).as("every attribute an override may set")
                .containsExactlyInAnyOrderElementsOf(dev.resilient.runtime.internal.Overrides.keys(List.of("<name>"), List.of(), List.of(), List.of(), List.of()).stream()
                        .map(key -> key.substring("resilient.breaker.".length())).toList());
        List<String> retryKeys = metadata.read("$.hints[?(@.name == 'resilient.retry.keys')].values[*].value");
        assertThat(retryKeys).contains("<Interface>.<method>.maxAttempts", "<Interface>.<method>.delay");
        List<String> rateLimitKeys = metadata.read("$.hints[?(@.name == 'resilient.ratelimit.keys')].values[*].value");
        assertThat(rateLimitKeys).as("every attribute an override may set")
                .containsExactlyInAnyOrderElementsOf(dev.resilient.runtime.internal.Overrides.keys(List.of(), List.of(), List.of("<name>"), List.of(), List.of())
                        .stream().map(key -> key.substring("resilient.ratelimit.".length())).toList());
        List<String> budgetKeys = metadata.read("$.hints[?(@.name == 'resilient.budget.keys')].values[*].value");
        assertThat(budgetKeys).as("every attribute an override may set")
                .containsExactlyInAnyOrderElementsOf(dev.resilient.runtime.internal.Overrides.keys(List.of(), List.of(), List.of(),
                        List.of("<name>"), List.of()).stream().map(key -> key.substring("resilient.budget.".length())).toList());
        List<String> hedgeKeys = metadata.read("$.hints[?(@.name == 'resilient.hedge.keys')].values[*].value");
        assertThat(hedgeKeys).as("every attribute an override may set")
                .containsExactlyInAnyOrderElementsOf(dev.resilient.runtime.internal.Overrides.keys(List.of(), List.of(), List.of(),
                        List.of(), List.of("<Interface>.<method>")).stream().map(key -> key.substring("resilient.hedge.".length())).toList());
    }
}
