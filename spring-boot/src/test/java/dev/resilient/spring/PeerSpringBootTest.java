package dev.resilient.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilient.micrometer.MicrometerListener;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.spring.clients.Catalog;
import dev.resilient.spring.clients.CountingEcho;
import dev.resilient.spring.clients.Echo;
import dev.resilient.spring.clients.FailingStore;
import dev.resilient.spring.clients.Loader;
import dev.resilient.spring.clients.RemoteClient;
import dev.resilient.spring.clients.ResilientEcho;
import dev.resilient.spring.clients.ResilientLoader;
import dev.resilient.spring.clients.ResilientStore;
import dev.resilient.spring.clients.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.stereotype.Component;

/**
 * Scenarios from other libraries' bug reports about their Spring integration (Resilience4j's
 * Spring Boot starters, Spring Cloud CircuitBreaker, Spring Retry, MicroProfile and SmallRye Fault
 * Tolerance, Spring itself), replayed against the starter: each test names the report, what went
 * wrong there, and what the README or CONTRACT.md promises here.
 */
class PeerSpringBootTest {

    private static ConfigurableApplicationContext start(Class<?> app, String... arguments) {
        SpringApplication application = new SpringApplication(app);
        application.setWebApplicationType(WebApplicationType.NONE);
        return application.run(arguments);
    }

    private static ConfigurableApplicationContext start(Class<?> app, Map<String, Object> variables, String... arguments) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        SpringApplication application = new SpringApplication(app);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setEnvironment(environment);
        return application.run(arguments);
    }

    /** Whether {@code echo} retried: {@code raw}, behind it, fails its next call. */
    private static boolean retries(Echo echo, CountingEcho raw) throws IOException {
        raw.failNext.set(1);
        raw.calls.set(0);
        try {
            return echo.echo("hi").equals("hi") && raw.calls.get() == 2;
        } catch (IOException failedOnce) {
            return false;
        } finally {
            raw.failNext.set(0);
            raw.calls.set(0);
        }
    }

    /** The number of attempts one {@code get(key)} through {@code store} made on {@code raw}, all failing. */
    private static int attempts(Store store, FailingStore raw) {
        int before = raw.byKey.get();
        assertThatThrownBy(() -> store.get("k")).isInstanceOf(IOException.class);
        return raw.byKey.get() - before;
    }

    /**
     * The starter with a store and a MeterRegistry, on a class loader that lacks {@code missing}.
     * The auto-configuration is registered by name, so that Spring reads it as it reads it from a
     * jar, without loading its classes: an annotation whose class is missing is then not there,
     * as in an application without that dependency.
     */
    private static ApplicationContextRunner without(FilteredClassLoader missing) {
        return new ApplicationContextRunner()
                .withClassLoader(missing)
                .withInitializer(context -> ((BeanDefinitionRegistry) context).registerBeanDefinition("resilientAutoConfiguration",
                        new RootBeanDefinition(ResilientAutoConfiguration.class.getName())))
                .withBean("store", FailingStore.class, FailingStore::new)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new);
    }

    // --- optional dependencies -------------------------------------------------------------------

    /**
     * resilience4j/resilience4j#1465: with Micrometer but without Actuator, the starter failed
     * start-up with a ClassNotFoundException for an Actuator class. Here: health and the endpoint
     * are used "when present", so without Actuator's classes the application starts, wrapped and
     * with its metrics.
     */
    @Test
    void withoutActuatorTheApplicationStartsWrappedAndMetered() {
        without(new FilteredClassLoader("org.springframework.boot.health", "org.springframework.boot.actuate"))
                .run(context -> {
                    assertThat(context).hasNotFailed()
                            .doesNotHaveBean(ResilientHealthIndicator.class)
                            .doesNotHaveBean(ResilientEndpoint.class)
                            .hasSingleBean(MicrometerListener.class);
                    assertThat(context.getBean(Store.class)).isInstanceOf(ResilientStore.class);
                    assertThat(context.getBean(MeterRegistry.class).find("resilient.breaker.state").gauges()).hasSize(2);
                });
    }

    /**
     * resilience4j/resilience4j#537: the starter failed start-up when an optional part (there
     * AspectJ) was missing. Here: with a MeterRegistry but without {@code resilient-micrometer},
     * there is simply no metrics listener; wrapping and health are unaffected.
     */
    @Test
    void withoutResilientMicrometerAMeterRegistryIsLeftAlone() {
        without(new FilteredClassLoader(MicrometerListener.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerListener.class).hasSingleBean(ResilientHealthIndicator.class);
            assertThat(context.getBean(Store.class)).isInstanceOf(ResilientStore.class);
            assertThat(context.getBean(MeterRegistry.class).find("resilient.breaker.state").gauges()).isEmpty();
        });
    }

    // --- metrics ---------------------------------------------------------------------------------

    /** Two stores sharing their breakers, and a lazy third whose wrapper is built after start-up. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class TwoStoresApp {
        @Bean
        MeterRegistry registry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        @Primary
        FailingStore eu() {
            return new FailingStore();
        }

        @Bean
        FailingStore us() {
            return new FailingStore();
        }

        @Bean
        @Lazy
        FailingStore late() {
            return new FailingStore();
        }
    }

    private static double sum(MeterRegistry registry, String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    /**
     * spring-cloud/spring-cloud-circuitbreaker#126 and #265: the same listeners were registered two
     * or three times, so each call was counted as many times and a gauge was registered twice.
     * Here: one context, told of one MicrometerListener, whatever the number of wrappers; a lazy
     * wrapper built later monitors the shared breakers again without adding a second gauge; a call
     * counts once.
     */
    @Test
    void oneCallCountsOnceAndEachBreakerHasOneGaugeWhateverTheNumberOfWrappers() {
        try (ConfigurableApplicationContext spring = start(TwoStoresApp.class)) {
            MeterRegistry registry = spring.getBean(MeterRegistry.class);
            spring.getBean("late.ResilientStore");
            assertThat(attempts(spring.getBean(Store.class), spring.getBean("eu", FailingStore.class))).isEqualTo(2);

            assertThat(sum(registry, "resilient.calls")).isEqualTo(1.0);
            assertThat(sum(registry, "resilient.attempts")).isEqualTo(2.0);
            assertThat(registry.find("resilient.breaker.state").gauges()).as("one gauge per breaker")
                    .hasSize(spring.getBean(ResilienceContext.class).breakers().size()).hasSize(2);
        }
    }

    // --- health ----------------------------------------------------------------------------------

    /** A remote that always fails, on a context of the application's own whose clock the test moves. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ManualClockApp {
        static final ManualTime TIME = new ManualTime();

        @Bean
        ResilienceContext resilienceContext() {
            return ResilienceContext.builder().time(TIME).build();
        }

        @Bean
        MeterRegistry registry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        RemoteClient down() {
            return path -> {
                throw new IOException("down");
            };
        }
    }

    /**
     * smallrye/smallrye-fault-tolerance#249: a breaker moved from open to half-open only at the next
     * call, so whoever watched its state (events, metrics) saw it open long after its open time.
     * Here: once {@code openFor} has passed, health says UP with the breaker HALF_OPEN and its gauge
     * reads 2, with no call made (README, Actuator: HALF_OPEN counts as up).
     */
    @Test
    void anOpenBreakerWhoseTimeHasPassedIsHalfOpenAndUpWithNoCall() {
        try (ConfigurableApplicationContext spring = start(ManualClockApp.class)) {
            HealthIndicator health = spring.getBean("resilientHealthIndicator", HealthIndicator.class);
            MeterRegistry registry = spring.getBean(MeterRegistry.class);
            assertThatThrownBy(() -> spring.getBean(RemoteClient.class).fetch("x")).isInstanceOf(CircuitOpenException.class);

            Health open = health.health(true);
            assertThat(open.getStatus()).isEqualTo(ResilientHealthIndicator.CIRCUIT_OPEN);
            assertThat(open.getDetails()).containsEntry("remote", "OPEN");

            ManualClockApp.TIME.advance(Duration.ofSeconds(30));
            Health halfOpen = health.health(true);
            assertThat(halfOpen.getStatus()).isEqualTo(Status.UP);
            assertThat(halfOpen.getDetails()).containsEntry("remote", "HALF_OPEN");
            assertThat(registry.find("resilient.breaker.state").tag("breaker", "remote").gauge().value()).isEqualTo(2.0);
        }
    }

    // --- configuration ---------------------------------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class StoreApp {
        @Bean
        FailingStore store() {
            return new FailingStore();
        }
    }

    /**
     * resilience4j/resilience4j#1788: one of the starter's own properties bound only in one
     * spelling, camelCase or kebab-case. Here: the starter's own keys are bound by Boot, relaxed
     * binding included (README, Configuration), so {@code resilient.health.openStatus} and
     * {@code RESILIENT_HEALTH_OPENSTATUS} mean {@code resilient.health.open-status} and are no
     * unknown settings.
     */
    @Test
    void theStartersOwnKeysBindInEveryRelaxedSpelling() {
        try (ConfigurableApplicationContext camel = start(StoreApp.class, "--resilient.health.openStatus=down");
                ConfigurableApplicationContext variable = start(StoreApp.class, Map.of("RESILIENT_HEALTH_OPENSTATUS", "down"))) {
            for (ConfigurableApplicationContext spring : List.of(camel, variable)) {
                assertThat(spring.getBean(ResilientProperties.class).getHealth().getOpenStatus())
                        .isEqualTo(ResilientProperties.OpenStatus.DOWN);
                spring.getBean(ResilienceContext.class).breaker("Store.get(String)").forceOpen();
                assertThat(spring.getBean("resilientHealthIndicator", HealthIndicator.class).health(false).getStatus())
                        .isEqualTo(Status.DOWN);
            }
        }
    }

    /**
     * resilience4j/resilience4j#2070: a retry's wait written as a nested key
     * ({@code wait-duration.seconds}) was silently ignored and the default wait used. Here: a key
     * below an attribute is a setting nothing reads, and start-up fails naming it.
     */
    @Test
    void aKeyNestedBelowAnAttributeFailsStartUpInsteadOfBeingIgnored() {
        assertThatThrownBy(() -> start(StoreApp.class, "--resilient.retry.Store.get(String).delay.seconds=2s").close())
                .hasMessageContaining("resilient.retry.Store.get(String).delay.seconds");
    }

    /**
     * resilience4j/resilience4j#1077: a wait written as a bare number ({@code waitDuration: 100})
     * in YAML. Here: values use the annotations' formats, so a number without a unit is a
     * malformed duration ({@code [ResilientDuration]}) that fails the wrapper's construction,
     * naming the key, whatever {@code strict} says; {@code 500ms} and ISO-8601 are read.
     */
    @Test
    void aDurationWithoutAUnitFailsStartUpNamingTheKey() {
        assertThatThrownBy(() -> start(StoreApp.class, "--resilient.strict=false",
                "--resilient.breaker.Store.get(String).openFor=5000").close())
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resilient.breaker.Store.get(String).openFor")
                .hasMessageContaining("[ResilientDuration]");
        try (ConfigurableApplicationContext spring = start(StoreApp.class, "--resilient.breaker.Store.get(String).openFor=500ms",
                "--resilient.breaker.Store.get(String,int).openFor=PT5S")) {
            ResilienceContext context = spring.getBean(ResilienceContext.class);
            assertThat(context.breaker("Store.get(String)").settings()).contains("openFor=PT0.5S");
            assertThat(context.breaker("Store.get(String,int)").settings()).contains("openFor=PT5S");
        }
    }

    /**
     * smallrye/smallrye-fault-tolerance#575: a class-level key ({@code MyService/Retry/maxRetries})
     * silently did not apply to methods annotated one by one. Here: there are no class-level
     * retry keys, and {@code resilient.retry.Store.maxAttempts} is a setting nothing reads: start-up
     * fails, naming it and, among the known keys, the per-method one.
     */
    @Test
    void aClassLevelRetryKeyIsAnUnknownSettingNotASilentNoOp() {
        assertThatThrownBy(() -> start(StoreApp.class, "--resilient.retry.Store.maxAttempts=5").close())
                .isInstanceOf(UnknownSettingsException.class)
                .hasMessageStartingWith("unknown resilience settings: resilient.retry.Store.maxAttempts")
                .hasMessageContaining("resilient.retry.Store.get(String).maxAttempts");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class CatalogApp {
        static final AtomicInteger ITEMS = new AtomicInteger();

        @Bean
        Catalog catalog() {
            return new Catalog() {
                @Override
                public String item(String id) throws IOException {
                    ITEMS.incrementAndGet();
                    throw new IOException("down");
                }

                @Override
                public String ping() {
                    return "pong";
                }
            };
        }
    }

    /**
     * microprofile/microprofile-fault-tolerance#127: configuring a retry for a method that has no
     * {@code @Retry} was ignored without a word. Here: {@code ping()} has no policy, so its retry
     * key is a setting nothing reads and fails start-up; the key of {@code item}, which retries,
     * applies.
     */
    @Test
    void aRetryKeyForAMethodWithoutRetryFailsStartUpAndOneWithRetryApplies() {
        assertThatThrownBy(() -> start(CatalogApp.class, "--resilient.retry.Catalog.ping.maxAttempts=3").close())
                .isInstanceOf(UnknownSettingsException.class)
                .hasMessageStartingWith("unknown resilience settings: resilient.retry.Catalog.ping.maxAttempts");
        try (ConfigurableApplicationContext spring = start(CatalogApp.class, "--resilient.retry.Catalog.item.maxAttempts=3")) {
            CatalogApp.ITEMS.set(0);
            assertThatThrownBy(() -> spring.getBean(Catalog.class).item("a")).isInstanceOf(IOException.class);
            assertThat(CatalogApp.ITEMS).hasValue(3);
        }
    }

    // --- which beans are wrapped -----------------------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ProxyApp {
        static final CountingEcho TARGET = new CountingEcho();

        /** What Spring Data or an HTTP-interface client factory hands out: a JDK proxy, declared as the interface. */
        @Bean
        Echo proxied() {
            return (Echo) Proxy.newProxyInstance(Echo.class.getClassLoader(), new Class<?>[] {Echo.class}, (proxy, method, args) -> {
                try {
                    return method.invoke(TARGET, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        }
    }

    /**
     * spring-attic/spring-retry#214: a Spring Data repository, a JDK proxy, was not retried, and
     * wrapping it again lost its interface. Here: a bean that is a JDK proxy of a client interface,
     * declared as that interface, is wrapped like any other; the raw bean stays the proxy.
     */
    @Test
    void aBeanThatIsAlreadyAJdkProxyIsWrapped() throws IOException {
        try (ConfigurableApplicationContext spring = start(ProxyApp.class)) {
            Echo echo = spring.getBean(Echo.class);
            assertThat(echo).isInstanceOf(ResilientEcho.class).isSameAs(spring.getBean("proxied.ResilientEcho"));
            assertThat(retries(echo, ProxyApp.TARGET)).isTrue();
            assertThat(Proxy.isProxyClass(spring.getBean("proxied").getClass())).isTrue();
        }
    }

    /** A factory bean whose product type its generics tell. */
    static class EchoFactory implements FactoryBean<CountingEcho> {
        final CountingEcho product = new CountingEcho();

        @Override
        public CountingEcho getObject() {
            return product;
        }

        @Override
        public Class<?> getObjectType() {
            return CountingEcho.class;
        }
    }

    /** A factory bean whose product type only the definition's attribute tells, as Feign's and HTTP-interface registrars do. */
    static class UntypedFactory implements FactoryBean<Object> {
        static final CountingEcho PRODUCT = new CountingEcho();

        @Override
        public Object getObject() {
            return PRODUCT;
        }

        @Override
        public Class<?> getObjectType() {
            return null; // unknown until built, like a client factory configured later
        }
    }

    static class UntypedRegistrar implements ImportBeanDefinitionRegistrar {
        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            RootBeanDefinition definition = new RootBeanDefinition(UntypedFactory.class);
            definition.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, Echo.class);
            registry.registerBeanDefinition("untyped", definition);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(UntypedRegistrar.class)
    static class FactoryBeanApp {
        @Bean
        @Primary
        EchoFactory typed() {
            return new EchoFactory();
        }
    }

    /**
     * spring-projects/spring-integration#3935: the proxy a FactoryBean made could not be injected
     * by its interface while the factory's definition did not tell its product's type. Here: a
     * client made by a FactoryBean, its type told by the factory's generics or by
     * {@code FactoryBean.OBJECT_TYPE_ATTRIBUTE}, is wrapped; the factory itself is left alone.
     */
    @Test
    void clientsMadeByFactoryBeansAreWrapped() throws IOException {
        try (ConfigurableApplicationContext spring = start(FactoryBeanApp.class)) {
            EchoFactory factory = spring.getBean("&typed", EchoFactory.class);
            Echo echo = spring.getBean(Echo.class);
            assertThat(echo).isInstanceOf(ResilientEcho.class).isSameAs(spring.getBean("typed.ResilientEcho"));
            assertThat(retries(echo, factory.product)).isTrue();

            Echo untyped = spring.getBean("untyped.ResilientEcho", Echo.class);
            assertThat(untyped).isInstanceOf(ResilientEcho.class);
            assertThat(retries(untyped, UntypedFactory.PRODUCT)).isTrue();
            assertThat(spring.getBean("untyped")).isSameAs(UntypedFactory.PRODUCT);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class LazyApp {
        static final AtomicInteger BUILT = new AtomicInteger();

        @Bean
        @Lazy
        FailingStore lazyStore() {
            BUILT.incrementAndGet();
            return new FailingStore();
        }
    }

    /**
     * spring-attic/spring-retry#178: the retry infrastructure had beans built early, before the
     * application wanted them. Here: a lazy bean's wrapper is lazy too, so neither is built at
     * start-up; the bean's keys are known all the same (no unknown setting), and apply once it is
     * built.
     */
    @Test
    void aLazyBeanAndItsWrapperAreBuiltOnFirstUseAndItsKeysStillApply() {
        LazyApp.BUILT.set(0);
        try (ConfigurableApplicationContext spring = start(LazyApp.class, "--resilient.retry.Store.get(String).maxAttempts=3")) {
            assertThat(LazyApp.BUILT).as("built at start-up").hasValue(0);
            Store store = spring.getBean(Store.class);
            assertThat(LazyApp.BUILT).hasValue(1);
            assertThat(attempts(store, spring.getBean(FailingStore.class))).isEqualTo(3);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class PrototypeApp {
        static final List<CountingEcho> MADE = new CopyOnWriteArrayList<>();

        @Bean
        @Scope("prototype")
        CountingEcho perUse() {
            CountingEcho echo = new CountingEcho();
            MADE.add(echo);
            return echo;
        }
    }

    /**
     * spring-attic/spring-retry#93: with a prototype bean, the first instance's recovery method was
     * called for every instance. Here: a prototype bean's wrapper is a prototype too, each around
     * its own instance, so a call through the second wrapper reaches the second instance only.
     */
    @Test
    void eachInstanceOfAPrototypeBeanGetsAWrapperOfItsOwn() throws IOException {
        PrototypeApp.MADE.clear();
        try (ConfigurableApplicationContext spring = start(PrototypeApp.class)) {
            Echo first = spring.getBean(Echo.class);
            Echo second = spring.getBean(Echo.class);
            assertThat(first).isInstanceOf(ResilientEcho.class).isNotSameAs(second);
            assertThat(PrototypeApp.MADE).hasSize(2);
            assertThat(retries(second, PrototypeApp.MADE.get(1))).isTrue();
            assertThat(PrototypeApp.MADE.get(0).calls).hasValue(0);
        }
    }

    // --- generics, hierarchies -------------------------------------------------------------------

    @Component
    static class LoaderConsumer {
        @Autowired Loader<String> strings;
        @Autowired List<Loader<Integer>> numbers;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(LoaderConsumer.class)
    static class LoaderApp {
        static final AtomicInteger STRING_LOADS = new AtomicInteger();

        @Bean
        Loader<String> stringLoader() {
            return id -> {
                if (STRING_LOADS.incrementAndGet() == 1) {
                    throw new IOException("first fails");
                }
                return id;
            };
        }

        @Bean
        Loader<Integer> integerLoader() {
            return Integer::valueOf;
        }
    }

    /**
     * spring-projects/spring-framework#27765: beans of a generic interface, proxied, were missing
     * from a collection injected by their type argument. Here: the wrapper takes its raw bean's
     * generics (README, What is wrapped), so {@code Loader<String>} receives the wrapper of the
     * {@code Loader<String>} bean and {@code List<Loader<Integer>>} just the other wrapper.
     */
    @Test
    void beansOfAGenericInterfaceAreToldApartByTheirTypeArgument() throws IOException {
        try (ConfigurableApplicationContext spring = start(LoaderApp.class)) {
            LoaderConsumer consumer = spring.getBean(LoaderConsumer.class);
            assertThat(consumer.strings).isInstanceOf(ResilientLoader.class).isSameAs(spring.getBean("stringLoader.ResilientLoader"));
            assertThat(consumer.numbers).hasSize(1);
            assertThat(consumer.numbers.get(0)).isSameAs(spring.getBean("integerLoader.ResilientLoader"));
            LoaderApp.STRING_LOADS.set(0);
            assertThat(consumer.strings.load("a")).isEqualTo("a");
            assertThat(LoaderApp.STRING_LOADS).hasValue(2);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ParentApp {
        @Bean
        CountingEcho parentEcho() {
            return new CountingEcho();
        }
    }

    @Component
    static class EchoConsumer {
        @Autowired Echo echo;
        @Autowired List<Echo> all;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(EchoConsumer.class)
    static class ChildApp {
        @Bean
        FailingStore childStore() {
            return new FailingStore();
        }
    }

    /** A child context with no client of its own. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(EchoConsumer.class)
    static class BareChildApp {}

    /**
     * spring-projects/spring-boot#8187: in a parent and child context, configuration the child
     * should have found in its parent was built a second time. Here: a child context that runs
     * auto-configuration uses the parent's ResilienceContext, and its injection points of the
     * interface, collections included, receive the parent's wrapper, never the parent's raw bean,
     * whether or not the child has clients of its own.
     */
    @Test
    void aChildContextReceivesItsParentsWrappersNotItsRawBeans() throws IOException {
        for (Class<?> childApp : List.of(ChildApp.class, BareChildApp.class)) {
            SpringApplicationBuilder parent = new SpringApplicationBuilder(ParentApp.class).web(WebApplicationType.NONE);
            ConfigurableApplicationContext child = parent.child(childApp).web(WebApplicationType.NONE).run();
            ConfigurableApplicationContext parentContext = (ConfigurableApplicationContext) child.getParent();
            try {
                Echo wrapper = parentContext.getBean("parentEcho.ResilientEcho", Echo.class);
                EchoConsumer consumer = child.getBean(EchoConsumer.class);
                assertThat(consumer.echo).as(childApp.getSimpleName()).isSameAs(wrapper);
                assertThat(consumer.all).as("%s: each wrapper once, no raw bean", childApp.getSimpleName()).containsExactly(wrapper);
                assertThat(child.getBean(ResilienceContext.class)).isSameAs(parentContext.getBean(ResilienceContext.class));
                assertThat(retries(consumer.echo, parentContext.getBean(CountingEcho.class))).isTrue();
            } finally {
                child.close();
                parentContext.close();
            }
        }
    }
}
