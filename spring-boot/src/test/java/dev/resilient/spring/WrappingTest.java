package dev.resilient.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilient.runtime.ResilienceContext;
import dev.resilient.spring.clients.CountingEcho;
import dev.resilient.spring.clients.Base;
import dev.resilient.spring.clients.Derived;
import dev.resilient.spring.clients.Echo;
import dev.resilient.spring.clients.ResilientDerived;
import dev.resilient.spring.clients.ResilientEcho;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.CustomScopeConfigurer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;
import org.springframework.context.support.SimpleThreadScope;
import org.springframework.stereotype.Component;

/**
 * What each kind of injection point receives once the starter is on the class path. The raw
 * beans fail their next call; a call through what was injected succeeds on its second attempt
 * when it is the wrapper, and fails when it is the raw bean.
 */
class WrappingTest {

    /** A raw bean defined by {@code @Component}, with a qualifier. */
    @Component("componentEcho")
    @Qualifier("component")
    static class ComponentEcho extends CountingEcho {}

    /** A raw bean defined by {@code @Bean}, primary. */
    static class BeanEcho extends CountingEcho {}

    /** Every kind of injection point, by interface and by class. */
    @Component
    static class Consumer {
        final Echo byConstructor;
        @Autowired Echo byField;
        @Autowired @Qualifier("component") Echo qualified;
        @Autowired @Qualifier("componentEcho") Echo qualifiedByName;
        @Autowired ObjectProvider<Echo> provider;
        @Autowired List<Echo> all;
        @Autowired Map<String, Echo> byName;
        @Autowired Optional<Echo> optional;
        @Autowired Base base;
        @Autowired Derived derived;
        @Autowired ComponentEcho rawComponent;
        @Autowired BeanEcho rawBean;
        @Autowired @Qualifier("handBuilt") Echo handBuilt;

        Consumer(Echo echo) {
            this.byConstructor = echo;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({ComponentEcho.class, Consumer.class})
    static class App {
        @Bean
        @Primary
        BeanEcho beanEcho() {
            return new BeanEcho();
        }

        /** Implements two interfaces with wrappers, one extending the other. */
        @Bean
        Derived derivedBean() {
            return new Derived() {
                @Override
                public String name() {
                    return "derived";
                }

                @Override
                public String more() {
                    return "more";
                }
            };
        }

        /** Declared as the interface, built as a wrapper: left as it is. */
        @Bean
        Echo handBuilt(ResilienceContext context) {
            return new ResilientEcho(new CountingEcho(), context);
        }

        /** Declared as the wrapper: left alone. */
        @Bean
        ResilientEcho declaredWrapper(ResilienceContext context) {
            return new ResilientEcho(new CountingEcho(), context);
        }
    }

    private static ConfigurableApplicationContext start(String... arguments) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        return application.run(arguments);
    }

    /** Whether {@code echo} retried: the raw bean behind it fails its next call. */
    private static boolean retries(Echo echo, CountingEcho raw) throws IOException {
        raw.failNext.set(1);
        try {
            return echo.echo("hi").equals("hi") && raw.calls.get() >= 2;
        } catch (IOException failedOnce) {
            return false;
        } finally {
            raw.failNext.set(0);
            raw.calls.set(0);
        }
    }

    @Test
    void interfaceTypedInjectionPointsReceiveTheWrapperAndClassTypedOnesTheRawBean() throws IOException {
        try (ConfigurableApplicationContext spring = start()) {
            Consumer consumer = spring.getBean(Consumer.class);
            ComponentEcho component = consumer.rawComponent;
            BeanEcho bean = consumer.rawBean;

            assertThat(spring.getBean("componentEcho")).isSameAs(component).isExactlyInstanceOf(ComponentEcho.class);
            assertThat(spring.getBean("beanEcho")).isSameAs(bean).isExactlyInstanceOf(BeanEcho.class);

            // The primary raw bean's wrapper, by constructor, field, ObjectProvider and getBean.
            for (Echo echo : List.of(consumer.byConstructor, consumer.byField, consumer.provider.getObject(), consumer.optional.get(),
                    spring.getBean(Echo.class), spring.getBeanProvider(Echo.class).getObject())) {
                assertThat(echo).isInstanceOf(ResilientEcho.class).isSameAs(spring.getBean("beanEcho.ResilientEcho"));
                assertThat(retries(echo, bean)).as("the wrapper of beanEcho retries").isTrue();
            }
            // The component's wrapper, by its qualifier and by its bean name as qualifier.
            for (Echo echo : List.of(consumer.qualified, consumer.qualifiedByName)) {
                assertThat(echo).isInstanceOf(ResilientEcho.class).isSameAs(spring.getBean("componentEcho.ResilientEcho"));
                assertThat(retries(echo, component)).as("the wrapper of componentEcho retries").isTrue();
            }
            // The raw beans themselves do not retry.
            assertThat(retries(component, component)).isFalse();
            assertThat(retries(bean, bean)).isFalse();
        }
    }

    @Test
    void eachBeanIsWrappedOnceAndGeneratedBeansAreLeftAlone() {
        try (ConfigurableApplicationContext spring = start()) {
            Consumer consumer = spring.getBean(Consumer.class);
            Object handBuilt = spring.getBean("handBuilt");

            assertThat(consumer.handBuilt).isSameAs(handBuilt);
            assertThat(spring.containsBean("declaredWrapper.ResilientEcho")).isFalse();
            // Every Echo once: two wrappers built by the starter, the hand-built one, the declared one; no raw bean.
            assertThat(consumer.all).hasSize(4).allMatch(ResilientEcho.class::isInstance)
                    .containsExactlyInAnyOrder(spring.getBean("beanEcho.ResilientEcho", Echo.class),
                            spring.getBean("componentEcho.ResilientEcho", Echo.class), (Echo) handBuilt,
                            spring.getBean("declaredWrapper", Echo.class));
            assertThat(consumer.byName).containsOnlyKeys(
                    "componentEcho.ResilientEcho", "beanEcho.ResilientEcho", "handBuilt.ResilientEcho", "declaredWrapper");
            // Derived extends Base, both have wrappers: only the more specific one is built, and serves for both.
            assertThat(spring.containsBean("derivedBean.ResilientBase")).isFalse();
            assertThat(consumer.base).isSameAs(consumer.derived).isSameAs(spring.getBean("derivedBean.ResilientDerived"));
            assertThat(consumer.derived).isInstanceOf(ResilientDerived.class);
            assertThat(spring.getBeansOfType(ResilientEcho.class)).containsOnlyKeys(
                    "componentEcho.ResilientEcho", "beanEcho.ResilientEcho", "handBuilt", "handBuilt.ResilientEcho",
                    "declaredWrapper");
        }
    }

    @Test
    void theRawBeanIsClosedOnceByItsOwnDefinition() {
        ComponentEcho component;
        BeanEcho bean;
        try (ConfigurableApplicationContext spring = start()) {
            component = spring.getBean(ComponentEcho.class);
            bean = spring.getBean(BeanEcho.class);
        }
        assertThat(component.closes).hasValue(1);
        assertThat(bean.closes).hasValue(1);
    }

    @Test
    void wrapFalseWrapsNothing() throws IOException {
        try (ConfigurableApplicationContext spring = start("--resilient.wrap=false")) {
            BeanEcho bean = spring.getBean(BeanEcho.class);
            Consumer consumer = spring.getBean(Consumer.class);

            assertThat(spring.containsBean("beanEcho.ResilientEcho")).isFalse();
            assertThat(consumer.byField).isSameAs(bean);
            assertThat(consumer.qualified).isSameAs(consumer.rawComponent);
            assertThat(retries(consumer.byField, bean)).isFalse();
        }
    }

    /** Two scoped proxies of raw beans, one per proxy mode, in a scope of threads. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ScopedApp {
        @Bean
        static CustomScopeConfigurer threadScope() {
            CustomScopeConfigurer scopes = new CustomScopeConfigurer();
            scopes.addScope("thread", new SimpleThreadScope());
            return scopes;
        }

        @Bean
        @Scope(value = "thread", proxyMode = ScopedProxyMode.INTERFACES)
        CountingEcho byInterfaces() {
            return new CountingEcho();
        }

        @Bean
        @Scope(value = "thread", proxyMode = ScopedProxyMode.TARGET_CLASS)
        CountingEcho byClass() {
            return new CountingEcho();
        }
    }

    /**
     * A scoped proxy ({@code @RequestScope}, {@code @RefreshScope}, {@code proxyMode}) is a factory
     * bean whose type Spring does not know before it is built: it is wrapped as its target's class
     * (spring-cloud/spring-cloud-commons#1191: such a bean's type reads as Object).
     */
    @Test
    void scopedProxiesAreWrappedAsTheirTargetsClass() throws IOException {
        SpringApplication application = new SpringApplication(ScopedApp.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext spring = application.run()) {
            for (String name : List.of("byInterfaces", "byClass")) {
                Echo wrapper = spring.getBean(name + ".ResilientEcho", Echo.class);
                assertThat(wrapper).isInstanceOf(ResilientEcho.class);
                assertThat(retries(wrapper, spring.getBean("scopedTarget." + name, CountingEcho.class))).as(name).isTrue();
            }
            assertThat(spring.getBeanNamesForType(ResilientEcho.class)).as("one wrapper each, none of the scoped targets")
                    .containsExactlyInAnyOrder("byInterfaces.ResilientEcho", "byClass.ResilientEcho");
        }
    }

    /** Beans whose definitions do not tell their type: a {@code @Bean} method declared as {@code Object}, and a registered singleton. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class UntypedApp {
        @Bean
        Object untypedEcho() {
            return new CountingEcho();
        }

        @Bean
        ListOfEchoes listOfEchoes() {
            return new ListOfEchoes();
        }
    }

    static class ListOfEchoes {
        @Autowired List<Echo> all;
    }

    /**
     * README, What is wrapped: wrappers are chosen from bean definitions before any bean is built,
     * so a bean whose definition does not tell its type is not wrapped, and is injected raw.
     */
    @Test
    void beansWhoseDefinitionsDoNotTellTheirTypeAreNotWrapped() {
        SpringApplication application = new SpringApplication(UntypedApp.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        CountingEcho registered = new CountingEcho();
        application.addInitializers(context -> context.getBeanFactory().registerSingleton("registeredEcho", registered));
        try (ConfigurableApplicationContext spring = application.run()) {
            assertThat(spring.getBean(ListOfEchoes.class).all)
                    .containsExactlyInAnyOrder(spring.getBean("untypedEcho", Echo.class), registered)
                    .noneMatch(ResilientEcho.class::isInstance);
            assertThat(spring.getBeanNamesForType(ResilientEcho.class)).isEmpty();
        }
    }
}
