package dev.resilient.runtime.internal;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** A list of failure types, each matching its subclasses too. */
final class Failures {
    private final Class<?>[] types;

    private Failures(Class<?>[] types) {
        this.types = types;
    }

    static Failures of(String argument, Class<?>[] types) {
        Objects.requireNonNull(types, argument);
        for (Class<?> type : types) {
            if (type == null) {
                throw new NullPointerException(argument + " must not contain null, was " + Arrays.toString(types));
            }
            if (!Throwable.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException(argument + " must list Throwable types, was " + type.getName());
            }
        }
        return new Failures(types.clone());
    }

    /** The types listed, a copy. */
    Class<?>[] types() {
        return types.clone();
    }

    boolean matches(Throwable failure) {
        for (Class<?> type : types) {
            if (type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }

    /** Equal when the same types are listed, in any order. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Failures that && asSet().equals(that.asSet());
    }

    @Override
    public int hashCode() {
        return asSet().hashCode();
    }

    private Set<Class<?>> asSet() {
        return new HashSet<>(Arrays.asList(types));
    }

    @Override
    public String toString() {
        return Arrays.stream(types).map(Class::getSimpleName).sorted().collect(Collectors.joining(", ", "[", "]"));
    }
}
