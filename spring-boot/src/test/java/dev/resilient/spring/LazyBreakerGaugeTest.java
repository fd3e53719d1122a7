package dev.resilient.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilient.spring.clients.FailingStore;
import dev.resilient.spring.clients.Store;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * A lazy client's wrapper, and its breakers, are built after start-up: their state gauges come
 * when it is built, not at their first change (resilience4j/resilience4j#249: breakers created
 * after the metrics bean got no metrics).
 */
class LazyBreakerGaugeTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        MeterRegistry registry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        @Lazy
        FailingStore store() {
            return new FailingStore();
        }
    }

    @Test
    void aLazyWrappersBreakersAreGaugedWhenItIsBuilt() {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext spring = application.run()) {
            MeterRegistry registry = spring.getBean(MeterRegistry.class);
            assertThat(registry.find("resilient.breaker.state").gauges()).isEmpty();
            spring.getBean(Store.class);
            assertThat(registry.find("resilient.breaker.state").tag("breaker", "Store.get(String)").gauge())
                    .as("the gauge of a breaker declared by a lazy wrapper").isNotNull()
                    .satisfies(gauge -> assertThat(gauge.value()).isEqualTo(0.0));
        }
    }
}
