package dev.resilient.spring;

import dev.resilient.runtime.ResilienceContext;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.util.ClassUtils;

/**
 * Finds the generated wrapper of an interface without scanning anything: the processor names it
 * after the interface ({@code p.Foo} → {@code p.ResilientFoo}, {@code p.Outer.Foo} →
 * {@code p.ResilientOuter_Foo}), so it is loaded by that name through the interface's class loader
 * and checked to really be one. Reflection happens here, at start-up, never in a call.
 */
final class Wrappers {
    private static final Map<Class<?>, Optional<Class<?>>> FOUND = new ConcurrentHashMap<>();

    private Wrappers() {}

    /** The wrapper generated for {@code type}, if {@code type} is an interface that has one. */
    static Optional<Class<?>> of(Class<?> type) {
        if (!type.isInterface() || type.isAnnotation() || type.getClassLoader() == null) {
            return Optional.empty(); // the JDK's own interfaces have none
        }
        return FOUND.computeIfAbsent(type, Wrappers::find);
    }

    /**
     * The wrappers of the interfaces {@code type} implements (or of {@code type} itself), the most
     * specific only: where {@code Foo extends Bar} and both have one, {@code ResilientFoo} serves
     * for {@code Bar} too.
     */
    static List<Class<?>> forImplementation(Class<?> type) {
        List<Class<?>> wrappers = new ArrayList<>();
        for (Class<?> candidate : ClassUtils.getAllInterfacesForClassAsSet(type)) {
            of(candidate).ifPresent(wrappers::add);
        }
        wrappers.removeIf(wrapper -> wrappers.stream()
                .anyMatch(other -> other != wrapper && interfaceOf(wrapper).isAssignableFrom(interfaceOf(other))));
        return wrappers;
    }

    /**
     * Whether {@code type} is generated code: a wrapper, or a class nested in one such as the
     * one {@code failover(...)} returns.
     */
    static boolean isGenerated(Class<?> type) {
        Class<?> host = type.getNestHost();
        return ClassUtils.getAllInterfacesForClassAsSet(host).stream().anyMatch(candidate -> of(candidate).orElse(null) == host);
    }

    /** The interface {@code wrapper} was generated for. */
    static Class<?> interfaceOf(Class<?> wrapper) {
        return wrapper.getInterfaces()[0];
    }

    /** The keys of {@code ResilienceContext.Builder.overrides(...)} that {@code wrapper} reads, from its {@code overrideKeys()}. */
    @SuppressWarnings("unchecked")
    static List<String> overrideKeys(Class<?> wrapper) {
        try {
            Method keys = wrapper.getMethod("overrideKeys");
            return (List<String>) keys.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the override keys of " + wrapper.getName(), e);
        }
    }

    private static Optional<Class<?>> find(Class<?> type) {
        String packagePrefix = type.getPackageName().isEmpty() ? "" : type.getPackageName() + ".";
        String name = packagePrefix + "Resilient" + nestedName(type);
        Class<?> wrapper;
        try {
            wrapper = Class.forName(name, false, type.getClassLoader());
        } catch (ClassNotFoundException | LinkageError notThere) {
            return Optional.empty();
        }
        return isWrapperOf(wrapper, type) ? Optional.of(wrapper) : Optional.empty();
    }

    /** {@code Outer_Foo} for {@code Outer.Foo}. */
    private static String nestedName(Class<?> type) {
        Class<?> outer = type.getEnclosingClass();
        return outer == null ? type.getSimpleName() : nestedName(outer) + "_" + type.getSimpleName();
    }

    /** Final, implementing {@code type} first, with the {@code (Foo, ResilienceContext)} constructor. */
    private static boolean isWrapperOf(Class<?> wrapper, Class<?> type) {
        if (!Modifier.isFinal(wrapper.getModifiers())
                || wrapper.getInterfaces().length == 0
                || wrapper.getInterfaces()[0] != type) {
            return false;
        }
        try {
            wrapper.getDeclaredConstructor(type, ResilienceContext.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
