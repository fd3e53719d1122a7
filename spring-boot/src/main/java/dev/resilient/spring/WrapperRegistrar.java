package dev.resilient.spring;

import dev.resilient.runtime.ResilienceContext;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.BeanInstantiationException;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.ReflectionUtils;

/**
 * Gives every bean that implements an interface with a generated wrapper a second bean, the
 * wrapper around it, and has interface-typed injection points receive the wrapper.
 *
 * <p>For a raw bean {@code http} of class {@code HttpWeatherService implements WeatherService}, it
 * registers {@code http.ResilientWeatherService}, built by {@code new ResilientWeatherService(http,
 * context)} with the {@link ResilienceContext} bean, and {@link WrapperAwareCandidateResolver} keeps
 * {@code http} out of every injection point that the wrapper satisfies. So {@code WeatherService}
 * (a field, a constructor parameter, an {@code ObjectProvider}, a {@code List}) gets the wrapper,
 * with the raw bean's qualifiers; {@code HttpWeatherService} still gets the raw bean. The wrapper
 * takes over the raw bean's {@code @Primary}, and the raw bean becomes a fallback, so that
 * {@code getBean(WeatherService.class)}, which asks no resolver, finds the wrapper too.
 *
 * <p>A bean that is itself generated (a wrapper, or what {@code failover(...)} returns) is left
 * alone; so is a bean declared as the interface whose instance turns out to be one. Nothing is
 * wrapped under {@code resilient.wrap=false}; the wrappers are still looked up, for their override
 * keys.
 */
final class WrapperRegistrar implements BeanFactoryPostProcessor, EnvironmentAware, Ordered {
    private Environment environment;
    /** The wrapper classes that the beans declare or are given, in the order found. */
    private final Set<Class<?>> wrappers = new LinkedHashSet<>();

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after every post-processor that registers beans
    }

    /** Every wrapper class in the application: those built around raw beans and those the application builds. */
    Set<Class<?>> wrappers() {
        return wrappers;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        boolean wrap = Binder.get(environment).bind("resilient.wrap", Boolean.class).orElse(true);
        Map<String, List<Class<?>>> wrapped = new LinkedHashMap<>();
        Map<String, String> rawOf = new LinkedHashMap<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            BeanDefinition definition = beanFactory.getBeanDefinition(name);
            if (definition.isAbstract() || definition.getRole() == BeanDefinition.ROLE_INFRASTRUCTURE) {
                continue;
            }
            Class<?> type = typeOf(beanFactory, name);
            if (type == null) {
                continue;
            }
            if (Wrappers.isGenerated(type)) {
                wrappers.add(type.getNestHost());
                continue;
            }
            List<Class<?>> found = Wrappers.forImplementation(type);
            wrappers.addAll(found);
            if (wrap && !found.isEmpty() && definition.isAutowireCandidate()) {
                List<Class<?>> registered = new ArrayList<>();
                for (Class<?> wrapper : found) {
                    String wrapperName = name + "." + wrapper.getSimpleName();
                    ((BeanDefinitionRegistry) beanFactory).registerBeanDefinition(wrapperName, wrapperDefinition(definition, name, wrapper));
                    rawOf.put(wrapperName, name);
                    registered.add(wrapper);
                }
                wrapped.put(name, registered);
                // getBean(WeatherService.class) consults no resolver: there the wrapper wins by these flags.
                definition.setPrimary(false);
                if (definition instanceof AbstractBeanDefinition raw) {
                    raw.setFallback(true);
                }
            }
        }
        // A child context judges its parent's beans with its own resolver: it needs one where an ancestor has wrappers too.
        if (!wrapped.isEmpty() || WrapperAwareCandidateResolver.anAncestorHasOne(beanFactory)) {
            DefaultListableBeanFactory factory = (DefaultListableBeanFactory) beanFactory;
            factory.setAutowireCandidateResolver(
                    new WrapperAwareCandidateResolver(factory.getAutowireCandidateResolver(), factory, wrapped, rawOf));
        }
    }

    /** The bean's type as far as it is known without building anything; {@code null} if it is not. */
    private static Class<?> typeOf(ConfigurableListableBeanFactory beanFactory, String name) {
        try {
            // A scoped proxy (@RequestScope, @RefreshScope, proxyMode) is a factory bean whose type reads
            // as Object until it is built; it will implement what its target does, so ask the target.
            if (beanFactory.getMergedBeanDefinition(name) instanceof RootBeanDefinition merged
                    && merged.getDecoratedDefinition() != null) {
                Class<?> target = beanFactory.getType(merged.getDecoratedDefinition().getBeanName(), false);
                if (target != null) {
                    return target;
                }
            }
            return beanFactory.getType(name, false);
        } catch (BeansException | LinkageError unknowable) {
            return null; // such a bean is not wrapped; Spring reports its problem when it builds it
        }
    }

    private static RootBeanDefinition wrapperDefinition(BeanDefinition raw, String rawName, Class<?> wrapper) {
        RootBeanDefinition definition = new RootBeanDefinition(WrapperRegistrar.class);
        definition.setFactoryMethodName("wrap");
        definition.setTargetType(wrapper);
        definition.getConstructorArgumentValues().addIndexedArgumentValue(0, wrapper);
        definition.getConstructorArgumentValues().addIndexedArgumentValue(1, new RuntimeBeanReference(rawName));
        definition.getConstructorArgumentValues().addIndexedArgumentValue(2, new RuntimeBeanReference(ResilienceContext.class));
        definition.setScope(raw.getScope());
        definition.setLazyInit(raw.isLazyInit());
        definition.setPrimary(raw.isPrimary());
        if (raw instanceof AbstractBeanDefinition rawDefinition) {
            definition.setFallback(rawDefinition.isFallback());
            definition.setDefaultCandidate(rawDefinition.isDefaultCandidate());
        }
        // The raw bean owns its resources: the wrapper of an AutoCloseable interface must not close it again.
        definition.setDestroyMethodName("");
        definition.setDescription("the generated " + wrapper.getSimpleName() + " around the bean '" + rawName + "'");
        return definition;
    }

    /**
     * The factory method of every wrapper bean: {@code new ResilientFoo(raw, context)}, or
     * {@code raw} itself when it already is generated code.
     */
    static Object wrap(Class<?> wrapper, Object raw, ResilienceContext context) {
        if (Wrappers.isGenerated(raw.getClass())) {
            return raw;
        }
        try {
            Constructor<?> constructor = wrapper.getDeclaredConstructor(Wrappers.interfaceOf(wrapper), ResilienceContext.class);
            ReflectionUtils.makeAccessible(constructor); // a package-private interface has a package-private wrapper
            return constructor.newInstance(raw, context);
        } catch (InvocationTargetException e) {
            // A wrapper's constructor throws IllegalArgumentException for a bad override: let it through as it is.
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new BeanInstantiationException(wrapper, "cannot build the wrapper", e);
        }
    }
}
