package dev.resilient.spring;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.HierarchicalBeanFactory;
import org.springframework.beans.factory.config.BeanDefinitionHolder;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.beans.factory.support.AutowireCandidateResolver;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/**
 * Decides, with the application's own resolver, which beans an injection point may receive, so
 * that a raw bean and its wrapper never compete:
 *
 * <ul>
 *   <li>a raw bean is no candidate where one of its wrappers would do: not for
 *       {@code WeatherService}, still for {@code HttpWeatherService};
 *   <li>a wrapper is a candidate exactly where its raw bean would be, qualifiers and generics
 *       included: {@code @Qualifier("eu") WeatherService} receives the wrapper of the bean
 *       qualified {@code "eu"} (or named so).
 * </ul>
 *
 * <p>The dependency type is the element type for collections, {@code Optional}s and
 * {@code ObjectProvider}s, so {@code List<WeatherService>} lists each wrapper once and no raw bean.
 *
 * <p>In a child context, Spring asks the child's resolver about its ancestors' beans too. Whether
 * such a bean is a raw bean or a wrapper is known by the resolver of the context that holds it
 * (Spring's {@code containsLocalBean}: a definition or a registered singleton, which hides an
 * ancestor's bean of that name; a context without auto-configuration has no such resolver and
 * no wrappers, so its beans are judged as any other); everything else, qualifiers included, this
 * context's delegate decides, so a child's own qualifier types apply to its ancestors' beans too.
 */
final class WrapperAwareCandidateResolver implements AutowireCandidateResolver {
    private final AutowireCandidateResolver delegate;
    private final ConfigurableListableBeanFactory beanFactory;
    /** Raw bean name → the wrapper classes built around it. */
    private final Map<String, List<Class<?>>> wrappersOf;
    /** Wrapper bean name → the raw bean name. */
    private final Map<String, String> rawOf;
    WrapperAwareCandidateResolver(AutowireCandidateResolver delegate, ConfigurableListableBeanFactory beanFactory,
            Map<String, List<Class<?>>> wrappersOf, Map<String, String> rawOf) {
        this.delegate = delegate;
        this.beanFactory = beanFactory;
        this.wrappersOf = Map.copyOf(wrappersOf);
        this.rawOf = Map.copyOf(rawOf);
    }

    /** Whether an ancestor context has a resolver of this kind (maybe with no wrappers of its own). */
    static boolean anAncestorHasOne(ConfigurableListableBeanFactory beanFactory) {
        for (BeanFactory parent = beanFactory.getParentBeanFactory(); parent != null;
                parent = parent instanceof HierarchicalBeanFactory hierarchical ? hierarchical.getParentBeanFactory() : null) {
            if (parent instanceof DefaultListableBeanFactory factory
                    && factory.getAutowireCandidateResolver() instanceof WrapperAwareCandidateResolver) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean isAutowireCandidate(BeanDefinitionHolder holder, DependencyDescriptor descriptor) {
        WrapperAwareCandidateResolver owner = ownerOf(holder.getBeanName());
        if (owner == null) {
            return delegate.isAutowireCandidate(holder, descriptor); // a bean of a context that has no wrappers
        }
        String raw = owner.rawOf.get(holder.getBeanName());
        if (raw != null) {
            String[] aliases = owner.beanFactory.getAliases(raw);
            return delegate.isAutowireCandidate(
                    new BeanDefinitionHolder(owner.beanFactory.getMergedBeanDefinition(raw), raw, aliases), descriptor);
        }
        List<Class<?>> wrappers = owner.wrappersOf.get(holder.getBeanName());
        if (wrappers != null && wrappers.stream().anyMatch(descriptor.getDependencyType()::isAssignableFrom)) {
            return false;
        }
        return delegate.isAutowireCandidate(holder, descriptor);
    }

    /**
     * The resolver of the context that holds the bean: this one, or the nearest ancestor's whose context has it
     * ({@code containsLocalBean}, as Spring decides which bean a name means); {@code null} where that context has none,
     * as one that runs no auto-configuration.
     */
    private @Nullable WrapperAwareCandidateResolver ownerOf(String beanName) {
        BeanFactory factory = beanFactory;
        while (factory instanceof HierarchicalBeanFactory hierarchical && !hierarchical.containsLocalBean(beanName)
                && hierarchical.getParentBeanFactory() != null) {
            factory = hierarchical.getParentBeanFactory();
        }
        if (factory == beanFactory) {
            return this;
        }
        return factory instanceof DefaultListableBeanFactory listable
                && listable.getAutowireCandidateResolver() instanceof WrapperAwareCandidateResolver resolver ? resolver : null;
    }

    @Override
    public boolean isRequired(DependencyDescriptor descriptor) {
        return delegate.isRequired(descriptor);
    }

    @Override
    public boolean hasQualifier(DependencyDescriptor descriptor) {
        return delegate.hasQualifier(descriptor);
    }

    @Override
    public @Nullable String getSuggestedName(DependencyDescriptor descriptor) {
        return delegate.getSuggestedName(descriptor);
    }

    @Override
    public @Nullable Object getSuggestedValue(DependencyDescriptor descriptor) {
        return delegate.getSuggestedValue(descriptor);
    }

    @Override
    public @Nullable Object getLazyResolutionProxyIfNecessary(DependencyDescriptor descriptor, @Nullable String beanName) {
        return delegate.getLazyResolutionProxyIfNecessary(descriptor, beanName);
    }

    @Override
    public @Nullable Class<?> getLazyResolutionProxyClass(DependencyDescriptor descriptor, @Nullable String beanName) {
        return delegate.getLazyResolutionProxyClass(descriptor, beanName);
    }

    @Override
    public AutowireCandidateResolver cloneIfNecessary() {
        return new WrapperAwareCandidateResolver(delegate.cloneIfNecessary(), beanFactory, wrappersOf, rawOf);
    }
}
