package dev.resilient.spring;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resilient.spring.clients.CountingEcho;
import dev.resilient.spring.clients.Echo;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.CustomAutowireConfigurer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

/**
 * Injection in a context hierarchy (README, One context): a context's {@code Foo} and
 * {@code List<Foo>} receive each ancestor's wrappers, never their raw beans, however deep the
 * hierarchy; and which beans qualify is still decided by the injecting context's own rules.
 */
class ContextHierarchyTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class RootApp {
        @Bean
        CountingEcho rootEcho() {
            return new CountingEcho();
        }
    }

    /** A middle context that runs auto-configuration but has no client of its own. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class BareMiddleApp {}

    /** A middle context that does not run auto-configuration: it has no wrapper-aware resolver. */
    @Configuration(proxyBeanMethods = false)
    static class PlainMiddleApp {}

    /** A middle context with a client of its own. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class EchoMiddleApp {
        @Bean
        CountingEcho middleEcho() {
            return new CountingEcho();
        }
    }

    @Component
    static class ListConsumer {
        @Autowired List<Echo> all;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(ListConsumer.class)
    static class ListLeafApp {}

    private static SpringApplicationBuilder builder(Class<?> app) {
        return new SpringApplicationBuilder(app).web(WebApplicationType.NONE);
    }

    /** Closes {@code leaf} and then each of its ancestors. */
    private static void closeAll(ConfigurableApplicationContext leaf) {
        for (ApplicationContext context = leaf; context != null; context = context.getParent()) {
            ((ConfigurableApplicationContext) context).close();
        }
    }

    /** The grandparent has the raw bean and its wrapper; the middle context may or may not run auto-configuration. */
    @Test
    void aGrandchildReceivesItsGrandparentsWrapperNotItsRawBean() {
        for (Class<?> middle : List.of(BareMiddleApp.class, PlainMiddleApp.class)) {
            ConfigurableApplicationContext leaf = builder(RootApp.class).child(middle).web(WebApplicationType.NONE)
                    .child(PeerSpringBootTest.BareChildApp.class).web(WebApplicationType.NONE).run();
            try {
                ApplicationContext root = leaf.getParent().getParent();
                Echo wrapper = root.getBean("rootEcho.ResilientEcho", Echo.class);
                PeerSpringBootTest.EchoConsumer consumer = leaf.getBean(PeerSpringBootTest.EchoConsumer.class);
                assertThat(consumer.echo).as(middle.getSimpleName()).isSameAs(wrapper);
                assertThat(consumer.all).as("%s: each wrapper once, no raw bean", middle.getSimpleName()).containsExactly(wrapper);
            } finally {
                closeAll(leaf);
            }
        }
    }

    /** Each ancestor judges its own raw beans: the leaf lists the middle's wrapper and the root's, neither raw bean. */
    @Test
    void aGrandchildListsTheWrappersOfEveryAncestor() {
        ConfigurableApplicationContext leaf = builder(RootApp.class).child(EchoMiddleApp.class).web(WebApplicationType.NONE)
                .child(ListLeafApp.class).web(WebApplicationType.NONE).run();
        try {
            ApplicationContext middle = leaf.getParent();
            assertThat(leaf.getBean(ListConsumer.class).all).containsExactlyInAnyOrder(
                    middle.getBean("middleEcho.ResilientEcho", Echo.class),
                    middle.getParent().getBean("rootEcho.ResilientEcho", Echo.class));
        } finally {
            closeAll(leaf);
        }
    }

    /** A qualifier type that only the child context knows of (by {@link CustomAutowireConfigurer}). */
    @Retention(RUNTIME)
    @Target({METHOD, FIELD})
    @interface Region {
        String value();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class RegionRootApp {
        @Bean
        @Region("eu")
        CountingEcho euEcho() {
            return new CountingEcho();
        }

        @Bean
        @Region("us")
        CountingEcho usEcho() {
            return new CountingEcho();
        }
    }

    @Component
    static class EuConsumer {
        @Autowired @Region("eu") List<Echo> eu;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(EuConsumer.class)
    static class RegionChildApp {
        @Bean
        static CustomAutowireConfigurer regionQualifier() {
            CustomAutowireConfigurer configurer = new CustomAutowireConfigurer();
            configurer.setCustomQualifierTypes(Set.of(Region.class));
            return configurer;
        }

        @Bean
        @Region("eu")
        CountingEcho childEuEcho() {
            return new CountingEcho();
        }
    }

    /**
     * The child's own resolver decides which of the parent's wrappers qualify: a qualifier type
     * registered in the child only selects the parent's {@code "eu"} wrapper, as it does the child's.
     */
    @Test
    void aChildsOwnQualifierTypesApplyToItsParentsWrappers() {
        ConfigurableApplicationContext child = builder(RegionRootApp.class)
                .child(RegionChildApp.class).web(WebApplicationType.NONE).run();
        try {
            assertThat(child.getBean(EuConsumer.class).eu).containsExactlyInAnyOrder(
                    child.getBean("childEuEcho.ResilientEcho", Echo.class),
                    child.getParent().getBean("euEcho.ResilientEcho", Echo.class));
        } finally {
            closeAll(child);
        }
    }

    /**
     * A singleton that the child registers without a definition, under the name of the parent's
     * raw bean, hides that bean (Spring's rule: {@code containsLocalBean}); it is the child's
     * bean, judged by the child's rules, so {@code List<Echo>} lists it beside the parent's wrapper.
     */
    @Test
    void aChildsRegisteredSingletonIsJudgedAsTheChildsBean() {
        CountingEcho childEcho = new CountingEcho();
        ConfigurableApplicationContext child = builder(RootApp.class).child(ListLeafApp.class).web(WebApplicationType.NONE)
                .initializers(context -> context.getBeanFactory().registerSingleton("rootEcho", childEcho))
                .run();
        try {
            assertThat(child.getBean("rootEcho")).isSameAs(childEcho);
            assertThat(child.getBean(ListConsumer.class).all).containsExactlyInAnyOrder(
                    childEcho, child.getParent().getBean("rootEcho.ResilientEcho", Echo.class));
        } finally {
            closeAll(child);
        }
    }

    /** A middle context without auto-configuration whose own bean has the name of the root's raw bean. */
    @Configuration(proxyBeanMethods = false)
    static class ShadowingMiddleApp {
        @Bean
        CountingEcho rootEcho() {
            return new CountingEcho();
        }
    }

    /**
     * A bean of a middle context without auto-configuration (so without wrappers) hides the root's
     * raw bean of its name: it is the middle's bean, judged by no ancestor's lists, and the leaf
     * lists it (raw: nothing wrapped it) beside the root's wrapper.
     */
    @Test
    void aPlainMiddleContextsBeanIsNotTakenForTheRootsRawBeanOfItsName() {
        ConfigurableApplicationContext leaf = builder(RootApp.class).child(ShadowingMiddleApp.class).web(WebApplicationType.NONE)
                .child(ListLeafApp.class).web(WebApplicationType.NONE).run();
        try {
            ApplicationContext middle = leaf.getParent();
            assertThat(leaf.getBean(ListConsumer.class).all).containsExactlyInAnyOrder(
                    middle.getBean("rootEcho", Echo.class), middle.getParent().getBean("rootEcho.ResilientEcho", Echo.class));
        } finally {
            closeAll(leaf);
        }
    }
}
