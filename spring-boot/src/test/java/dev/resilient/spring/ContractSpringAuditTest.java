package dev.resilient.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilient.runtime.CircuitBreaker;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.ResilienceListener;
import dev.resilient.spring.clients.FailingStore;
import dev.resilient.spring.clients.Store;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * CONTRACT.md, "Spring Boot": "one ResilienceContext bean (unless the application defines one),
 * told of every ResilienceListener bean".
 */
class ContractSpringAuditTest {
    static final List<String> HEARD = new CopyOnWriteArrayList<>();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WithListeners {
        @Bean
        FailingStore store() {
            return new FailingStore();
        }

        @Bean
        @Order(2)
        ResilienceListener second() {
            return new ResilienceListener() {
                @Override
                public void onAttempt(String method, int attempt, Throwable failure) {
                    HEARD.add("second " + method + " #" + attempt);
                }
            };
        }

        @Bean
        @Order(1)
        ResilienceListener first() {
            return new ResilienceListener() {
                @Override
                public void onAttempt(String method, int attempt, Throwable failure) {
                    HEARD.add("first " + method + " #" + attempt);
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WithOwnContext {
        static final ManualTime TIME = new ManualTime();

        @Bean
        ResilienceContext applicationsOwn() {
            return ResilienceContext.builder().time(TIME).build();
        }

        @Bean
        FailingStore store() {
            return new FailingStore();
        }
    }

    private static ConfigurableApplicationContext run(Class<?> app) {
        SpringApplication application = new SpringApplication(app);
        application.setWebApplicationType(WebApplicationType.NONE);
        return application.run();
    }

    @Test
    void everyListenerBeanIsToldInItsOrder() {
        HEARD.clear();
        try (ConfigurableApplicationContext spring = run(WithListeners.class)) {
            assertThat(spring.getBeansOfType(ResilienceContext.class)).hasSize(1);
            Store store = spring.getBean(Store.class);
            assertThatThrownBy(() -> store.get("k")).isInstanceOf(IOException.class);
            assertThat(HEARD).containsExactly("first Store.get(String) #1", "second Store.get(String) #1",
                    "first Store.get(String) #2", "second Store.get(String) #2");
        }
    }

    @Test
    void anApplicationsOwnContextIsTheOneTheWrappersUse() {
        try (ConfigurableApplicationContext spring = run(WithOwnContext.class)) {
            assertThat(spring.getBeansOfType(ResilienceContext.class)).containsOnlyKeys("applicationsOwn");
            ResilienceContext context = spring.getBean(ResilienceContext.class);
            Store store = spring.getBean(Store.class);
            assertThatThrownBy(() -> store.get("k")).isInstanceOf(IOException.class);
            assertThat(spring.getBean(FailingStore.class).byKey).hasValue(2);
            assertThat(context.breakers()).extracting(CircuitBreaker::name).contains("Store.get(String)", "Store.get(String,int)");
            assertThat(WithOwnContext.TIME.sleeps()).hasSize(1);
        }
    }
}
