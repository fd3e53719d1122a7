package dev.resilient.spring;

import dev.resilient.micrometer.MicrometerListener;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.ResilienceListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Resilient for Spring Boot: wraps every bean whose interface has a generated wrapper, keeps
 * their breakers in one {@link ResilienceContext} configured from the environment and told of
 * every {@link ResilienceListener} bean, and, where the application has them, records metrics
 * with Micrometer and reports to Actuator's health and a {@code resilient} endpoint.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@EnableConfigurationProperties(ResilientProperties.class)
public final class ResilientAutoConfiguration {

    /** Static: a post-processor of bean definitions is built before any other bean. */
    @Bean
    static WrapperRegistrar resilientWrapperRegistrar() {
        return new WrapperRegistrar();
    }

    @Bean
    EnvironmentOverrides resilientEnvironmentOverrides(ConfigurableEnvironment environment, WrapperRegistrar registrar) {
        return new EnvironmentOverrides(environment, knownKeys(registrar));
    }

    @Bean
    @ConditionalOnMissingBean
    ResilienceContext resilienceContext(EnvironmentOverrides overrides, ObjectProvider<ResilienceListener> listeners) {
        ResilienceContext.Builder builder = ResilienceContext.builder().overrides(overrides.values());
        listeners.orderedStream().forEach(builder::listener);
        return builder.build();
    }

    @Bean
    static SmartInitializingSingleton resilientSettingsCheck(ObjectProvider<ResilienceContext> context,
            ObjectProvider<EnvironmentOverrides> overrides, ObjectProvider<WrapperRegistrar> registrar,
            ObjectProvider<ResilientProperties> properties) {
        return () -> new SettingsCheck(context.getObject(), overrides.getObject(), knownKeys(registrar.getObject()),
                properties.getObject().isStrict()).afterSingletonsInstantiated();
    }

    private static Set<String> knownKeys(WrapperRegistrar registrar) {
        Set<String> keys = new TreeSet<>();
        registrar.wrappers().forEach(wrapper -> keys.addAll(Wrappers.overrideKeys(wrapper)));
        return keys;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MeterRegistry.class, MicrometerListener.class})
    @ConditionalOnBean(MeterRegistry.class)
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean
        MicrometerListener resilientMicrometerListener(MeterRegistry registry) {
            return new MicrometerListener(registry);
        }

        /** The state gauge of every breaker from the start, not from its first change. */
        @Bean
        SmartInitializingSingleton resilientBreakerGauges(MicrometerListener metrics, ResilienceContext context) {
            return () -> context.breakers().forEach(metrics::monitor);
        }

        /**
         * The state gauges of breakers declared after start-up, by the wrapper of a lazy (or
         * prototype) bean: monitored once that wrapper is built. Static, and given providers, so
         * that no bean is built early for it.
         */
        @Bean
        static BeanPostProcessor resilientLateBreakerGauges(ObjectProvider<MicrometerListener> metrics,
                ObjectProvider<ResilienceContext> context) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (Wrappers.isGenerated(bean.getClass())) {
                        MicrometerListener listener = metrics.getIfAvailable();
                        ResilienceContext breakers = context.getIfAvailable();
                        if (listener != null && breakers != null) {
                            breakers.breakers().forEach(listener::monitor);
                        }
                    }
                    return bean;
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("resilient")
    static class HealthContributor {
        @Bean
        @ConditionalOnMissingBean(name = "resilientHealthIndicator")
        ResilientHealthIndicator resilientHealthIndicator(ResilienceContext context, ResilientProperties properties) {
            return new ResilientHealthIndicator(context, properties);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    @ConditionalOnAvailableEndpoint(ResilientEndpoint.class)
    static class EndpointConfiguration {
        @Bean
        @ConditionalOnMissingBean
        ResilientEndpoint resilientEndpoint(ResilienceContext context) {
            return new ResilientEndpoint(context);
        }
    }
}
