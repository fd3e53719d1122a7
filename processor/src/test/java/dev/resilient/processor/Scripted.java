package dev.resilient.processor;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A delegate for an interface known only at run time: each call takes the next scripted outcome
 * (a value to return or a throwable to throw) and is recorded.
 */
final class Scripted {
    private static final Object NULL = new Object();

    /** An outcome made when the call comes: a stage that completes some time after the call, say. */
    @FunctionalInterface
    interface Later {
        Object get();
    }

    private final Deque<Object> outcomes = new ArrayDeque<>();
    final List<String> calls = new ArrayList<>();

    /** Outcomes in order; a {@link Throwable} is thrown, a {@link Later} made then, anything else returned. */
    Scripted then(Object... next) {
        for (Object outcome : next) {
            outcomes.add(outcome == null ? NULL : outcome);
        }
        return this;
    }

    Object proxy(Class<?> iface) {
        return Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (proxy, method, args) -> {
            calls.add(method.getName() + (args == null ? "[]" : Arrays.deepToString(args)));
            if (outcomes.isEmpty()) {
                throw new AssertionError("unexpected call " + calls.get(calls.size() - 1));
            }
            Object outcome = outcomes.removeFirst();
            if (outcome instanceof Later later) {
                outcome = later.get();
            }
            if (outcome instanceof Throwable failure) {
                throw failure;
            }
            return outcome == NULL ? null : outcome;
        });
    }

    /**
     * Calls {@code name} on {@code target} as the caller would, rethrowing what it throws: of the
     * public methods of that name whose parameters accept {@code args}, the most specific.
     */
    static Object call(Object target, String name, Object... args) throws Throwable {
        List<Method> applicable = Arrays.stream(target.getClass().getMethods())
                .filter(method -> method.getName().equals(name) && accepts(method.getParameterTypes(), args))
                .toList();
        for (Method method : applicable) {
            if (applicable.stream().allMatch(other -> atLeastAsSpecific(method.getParameterTypes(), other.getParameterTypes()))) {
                try {
                    method.setAccessible(true); // package-private wrappers
                    return method.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new AssertionError("no method " + name + " with " + args.length + " parameters on " + target.getClass());
    }

    private static boolean accepts(Class<?>[] parameters, Object[] args) {
        if (parameters.length != args.length) {
            return false;
        }
        for (int i = 0; i < args.length; i++) {
            Class<?> type = java.lang.invoke.MethodType.methodType(parameters[i]).wrap().returnType();
            if (args[i] != null && !type.isInstance(args[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean atLeastAsSpecific(Class<?>[] parameters, Class<?>[] others) {
        for (int i = 0; i < parameters.length; i++) {
            if (!others[i].isAssignableFrom(parameters[i])) {
                return false;
            }
        }
        return true;
    }
}
