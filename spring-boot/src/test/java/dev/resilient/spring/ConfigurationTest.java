package dev.resilient.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilient.runtime.ResilienceContext;
import dev.resilient.spring.clients.FailingStore;
import dev.resilient.spring.clients.ResilientStore;
import dev.resilient.spring.clients.Store;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Override keys from the application's YAML, from {@code -D}, from environment variables and from
 * the command line reach the wrappers; keys that nothing reads stop start-up. {@link Store} has
 * overloads: its keys hold parentheses and commas, which relaxed binding would drop.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        FailingStore failingStore() {
            return new FailingStore();
        }
    }

    /** A failover across two stores, built by the application on the context bean. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class FailoverApp {
        @Bean
        Store store(ResilienceContext context) {
            return ResilientStore.failover(context, new FailingStore(), new FailingStore());
        }
    }

    /** An application with a context of its own, built without the environment's settings. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class OwnContextApp {
        @Bean
        ResilienceContext resilienceContext() {
            return ResilienceContext.builder().build();
        }

        @Bean
        FailingStore failingStore() {
            return new FailingStore();
        }
    }

    /** An application with a context of its own, built with the settings of the profile's YAML. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class OwnConfiguredContextApp {
        @Bean
        ResilienceContext resilienceContext() {
            return ResilienceContext.builder().overrides(Map.of(
                    "resilient.retry.Store.get(String,int).maxAttempts", "4",
                    "resilient.breaker.Store.get(String).failureThreshold", "7",
                    "resilient.breaker.Store.get(String,int).failureThreshold", " 50 ")).build();
        }

        @Bean
        FailingStore failingStore() {
            return new FailingStore();
        }
    }

    /**
     * An application with a context of its own, given every {@code resilient.*} setting of its environment, the
     * starter's own keys among them, as a stranger's trial did.
     */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class OwnContextGivenEverythingApp {
        @Bean
        ResilienceContext resilienceContext() {
            return ResilienceContext.builder().overrides(Map.of(
                    "resilient.retry.Store.get(String,int).maxAttempts", "4",
                    "resilient.breaker.Store.get(String).failureThreshold", "7",
                    "resilient.breaker.Store.get(String,int).failureThreshold", "50",
                    "resilient.wrap", "true",
                    "resilient.strict", "true",
                    "resilient.health.open-status", "CIRCUIT_OPEN")).build();
        }

        @Bean
        FailingStore failingStore() {
            return new FailingStore();
        }
    }

    /** Starts the application under profile {@code store} with these environment variables and arguments. */
    private static ConfigurableApplicationContext start(Map<String, Object> variables, String... arguments) {
        return start(App.class, variables, arguments);
    }

    private static ConfigurableApplicationContext start(Class<?> app, Map<String, Object> variables, String... arguments) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        environment.setActiveProfiles("store");
        SpringApplication application = new SpringApplication(app);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setEnvironment(environment);
        return application.run(arguments);
    }

    /** Calls {@code get(key)} or {@code get(key, 1)} once through the injected store and counts the attempts that reached the raw bean. */
    private static int attemptsOf(ConfigurableApplicationContext spring, boolean versioned) {
        Store store = spring.getBean(Store.class);
        FailingStore raw = spring.getBean(FailingStore.class);
        int before = versioned ? raw.byVersion.get() : raw.byKey.get();
        try {
            if (versioned) {
                store.get("k", 1);
            } else {
                store.get("k");
            }
        } catch (IOException expected) {
            // every attempt fails
        }
        return (versioned ? raw.byVersion.get() : raw.byKey.get()) - before;
    }

    @Test
    void yamlKeysOfOverloadsTakeEffect() {
        try (ConfigurableApplicationContext spring = start(Map.of())) {
            assertThat(attemptsOf(spring, true)).as("resilient.retry.Store.get(String,int).maxAttempts from YAML").isEqualTo(4);
            assertThat(attemptsOf(spring, false)).as("the annotation's maxAttempts").isEqualTo(2);
            assertThat(spring.getBean(ResilienceContext.class).breaker("Store.get(String)").settings())
                    .contains("failureThreshold=7");
            assertThat(spring.getBean(ResilienceContext.class).breaker("Store.get(String,int)").settings())
                    .contains("failureThreshold=50");
        }
    }

    /**
     * resilience4j#2097 and #1404 (an instance that overrode one setting of a shared base, there
     * exponential backoff or {@code waitDuration}, failed start-up with "intervalFunction was
     * configured twice"): switching {@code Store.get(String)}, whose annotation sets
     * {@code failureThreshold} (and whose YAML overrides it), to rate mode from the command line
     * starts, when the conflicting setting is given an empty value as the README says.
     */
    @Test
    void anEmptyValueFromTheCommandLineTakesBackASettingSoAnotherModeCanBeChosen() {
        try (ConfigurableApplicationContext spring = start(Map.of(), "--resilient.breaker.Store.get(String).window=4",
                "--resilient.breaker.Store.get(String).failureThreshold=")) {
            String settings = spring.getBean(ResilienceContext.class).breaker("Store.get(String)").settings();
            assertThat(settings).contains("window=4").doesNotContain("failureThreshold");
            assertThat(spring.getBean(ResilienceContext.class).breaker("Store.get(String,int)").settings())
                    .as("the other overload keeps its YAML setting").contains("failureThreshold=50");
        }
    }

    /**
     * Spring's own way to keep dots in a map key, {@code [Store.get(String)]} (spring-projects/spring-boot#18735),
     * names the same key as the dots do, in YAML ({@code "[Store.get(String)]":}) and in properties
     * ({@code resilient.breaker[Store.get(String)].failureThreshold}).
     */
    @Test
    void bracketedKeysNameTheKeyWithinTheBrackets() {
        try (ConfigurableApplicationContext spring = start(Map.of(),
                "--resilient.breaker.[Store.get(String)].failureThreshold=3",
                "--resilient.breaker[Store.get(String,int)].failureThreshold=4",
                "--resilient.retry.Store.[get(String)].maxAttempts=1")) {
            ResilienceContext context = spring.getBean(ResilienceContext.class);
            assertThat(context.breaker("Store.get(String)").settings()).contains("failureThreshold=3");
            assertThat(context.breaker("Store.get(String,int)").settings()).contains("failureThreshold=4");
            assertThat(attemptsOf(spring, false)).isEqualTo(1);
        }
    }

    @Test
    void aNumberAfterABreakersNameInAVariableIsItsFailoverDelegate() {
        try (ConfigurableApplicationContext spring = start(FailoverApp.class,
                Map.of("RESILIENT_BREAKER_STORE_GET_STRING_1_FAILURETHRESHOLD", "3"),
                "--resilient.breaker.Store.get(String,int)#1.failureThreshold=8")) {
            ResilienceContext context = spring.getBean(ResilienceContext.class);
            assertThat(context.breaker("Store.get(String)#1").settings()).contains("failureThreshold=3");
            assertThat(context.breaker("Store.get(String,int)#1").settings()).contains("failureThreshold=8");
            assertThat(context.breaker("Store.get(String)").settings()).as("YAML").contains("failureThreshold=7");
        }
    }

    @Test
    void environmentVariablesNameKeysByTheirLettersAndDigits() {
        Map<String, Object> variables = Map.of(
                "RESILIENT_RETRY_STORE_GET_STRING__MAXATTEMPTS", "3",
                "RESILIENT_RETRY_STORE_GET_STRING_INT__MAXATTEMPTS", "5",
                "RESILIENT_BREAKER_STORE_GET_STRING_INT__FAILURETHRESHOLD", "9");
        try (ConfigurableApplicationContext spring = start(variables)) {
            assertThat(attemptsOf(spring, false)).isEqualTo(3);
            assertThat(attemptsOf(spring, true)).as("the variable wins over the YAML").isEqualTo(5);
            assertThat(spring.getBean(ResilienceContext.class).breaker("Store.get(String,int)").settings())
                    .contains("failureThreshold=9");
        }
    }

    @Test
    void systemPropertiesAndArgumentsWinOverVariablesAndFiles() {
        System.setProperty("resilient.retry.Store.get(String,int).maxAttempts", "6");
        try (ConfigurableApplicationContext spring = start(Map.of("RESILIENT_RETRY_STORE_GET_STRING_INT__MAXATTEMPTS", "5"),
                "--resilient.retry.Store.get(String).maxAttempts=1")) {
            assertThat(attemptsOf(spring, true)).as("-D over the variable and the YAML").isEqualTo(6);
            assertThat(attemptsOf(spring, false)).as("the command line").isEqualTo(1);
        } finally {
            System.clearProperty("resilient.retry.Store.get(String,int).maxAttempts");
        }
    }

    @Test
    void aMisspeltKeyFailsStartUpNamingItAndTheKnownKeys() {
        assertThatThrownBy(() -> start(Map.of("RESILIENT_RETRY_STORE_PUT_MAXATTEMPTS", "3"),
                "--resilient.retry.Store.gte(String).maxAttempts=3", "--resilient.breakers.x=1").close())
                .isInstanceOf(UnknownSettingsException.class)
                .hasMessage("unknown resilience settings: "
                        + "RESILIENT_RETRY_STORE_PUT_MAXATTEMPTS (an environment variable that names no key), "
                        + "resilient.breakers.x, "
                        + "resilient.retry.Store.gte(String).maxAttempts (did you mean resilient.retry.Store.get(String).maxAttempts?)"
                        + "; no wrapper reads them. Known keys: " + String.join(", ", new TreeSet<>(ResilientStore.overrideKeys()))
                        + ". Set resilient.strict=false to start with a warning instead.");
    }

    @Test
    void anUnknownAttributeOfAKnownBreakerFailsAsTheRuntimeSays() {
        assertThatThrownBy(() -> start(Map.of(), "--resilient.breaker.Store.get(String).openFr=5s").close())
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .rootCause()
                .hasMessageStartingWith("override resilient.breaker.Store.get(String).openFr: unknown attribute 'openFr'; known: [");
    }

    @Test
    void settingsAnOwnContextWasNotGivenFailStartUpInsteadOfBeingIgnored() {
        assertThatThrownBy(() -> start(OwnContextApp.class, Map.of()).close())
                .isInstanceOf(UnknownSettingsException.class)
                .hasMessageStartingWith("unknown resilience settings: "
                        + "resilient.breaker.Store.get(String).failureThreshold (not given to the application's own ResilienceContext), "
                        + "resilient.breaker.Store.get(String,int).failureThreshold (not given to the application's own ResilienceContext), "
                        + "resilient.retry.Store.get(String,int).maxAttempts (not given to the application's own ResilienceContext)"
                        + "; no wrapper reads them.");
    }

    @Test
    void anOwnContextBuiltWithTheSettingsStartsAndUsesThem() {
        try (ConfigurableApplicationContext spring = start(OwnConfiguredContextApp.class, Map.of())) {
            assertThat(attemptsOf(spring, true)).isEqualTo(4);
        }
    }

    @Test
    void anOwnContextGivenTheStartersOwnKeysTooStarts() {
        try (ConfigurableApplicationContext spring = start(OwnContextGivenEverythingApp.class, Map.of(), "--resilient.wrap=true",
                "--resilient.strict=true", "--resilient.health.open-status=CIRCUIT_OPEN")) {
            assertThat(attemptsOf(spring, true)).isEqualTo(4);
        }
    }

    @Test
    void strictFalseOnlyWarns(CapturedOutput output) {
        try (ConfigurableApplicationContext spring = start(Map.of(), "--resilient.strict=false",
                "--resilient.retry.Store.gte(String).maxAttempts=3")) {
            assertThat(attemptsOf(spring, false)).isEqualTo(2);
            assertThat(output).contains("WARN").contains("unknown resilience settings: resilient.retry.Store.gte(String).maxAttempts");
        }
    }

    /**
     * An environment variable {@code variable} standing for {@code variableKey}, and a command-line
     * argument {@code argumentKey}: both are read as overrides, neither is unknown.
     */
    private static void assertReadAsOverrides(String variable, String variableKey, String variableValue, String argumentKey,
            String argumentValue) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of(variable, variableValue)));
        environment.getPropertySources().addFirst(new MapPropertySource("arguments", Map.of(argumentKey, argumentValue)));
        EnvironmentOverrides overrides = new EnvironmentOverrides(environment, List.of(variableKey, argumentKey));
        assertThat(overrides.values()).containsExactlyInAnyOrderEntriesOf(Map.of(variableKey, variableValue, argumentKey, argumentValue));
        assertThat(overrides.unknown()).isEmpty();
    }

    @Test
    void rateLimitKeysAndVariablesAreOverridesToo() {
        assertReadAsOverrides("RESILIENT_RATELIMIT_QUOTA_PERMITS", "resilient.ratelimit.quota.permits", "5",
                "resilient.ratelimit.Store.get(String).per", "2s");
    }

    @Test
    void budgetKeysAndVariablesAreOverridesToo() {
        assertReadAsOverrides("RESILIENT_BUDGET_STORE_RATIO", "resilient.budget.Store.ratio", "0.5", "resilient.budget.Store.window", "30s");
    }

    @Test
    void hedgeKeysAndVariablesAreOverridesToo() {
        assertReadAsOverrides("RESILIENT_HEDGE_STORE_GET_STRING__MAXATTEMPTS", "resilient.hedge.Store.get(String).maxAttempts", "3",
                "resilient.hedge.Store.get(String).delay", "20ms");
    }
}
