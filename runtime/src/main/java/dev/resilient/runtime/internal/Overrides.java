package dev.resilient.runtime.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Settings from configuration that replace the annotations' values when a wrapper is built:
 * {@code resilient.breaker.<name>.<attribute>} and {@code resilient.retry.<Interface>.<method>.<attribute>}.
 * Keys outside {@code resilient.} are ignored; a key under it that no wrapper claims is reported
 * by {@link #unclaimed()}.
 */
public final class Overrides {
    static final String BREAKER = "resilient.breaker.";
    static final String RETRY = "resilient.retry.";
    static final List<String> BREAKER_ATTRIBUTES =
            List.of("failureThreshold", "window", "failureRate", "minimumCalls", "openFor", "halfOpenCalls");
    static final List<String> RETRY_ATTRIBUTES = List.of("maxAttempts", "delay", "multiplier", "maxDelay", "maxDuration");

    private final Map<String, String> values;
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();

    Overrides(Map<String, String> values) {
        this.values = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith("resilient.")) {
                this.values.put(key, value.strip());
            }
        });
    }

    /** Every key a wrapper with these breakers and retried methods understands. */
    public static List<String> keys(List<String> breakerNames, List<String> retriedMethods) {
        List<String> keys = new ArrayList<>();
        breakerNames.forEach(name -> BREAKER_ATTRIBUTES.forEach(attribute -> keys.add(BREAKER + name + "." + attribute)));
        retriedMethods.forEach(method -> RETRY_ATTRIBUTES.forEach(attribute -> keys.add(RETRY + method + "." + attribute)));
        return List.copyOf(keys);
    }

    /** {@code spec} with the overrides of its breaker applied: those of its base name, then those of {@code name#i}. */
    BreakerSpec apply(BreakerSpec spec) {
        String name = spec.name();
        String base = name.contains("#") ? name.substring(0, name.indexOf('#')) : name;
        Map<String, String> keys = new LinkedHashMap<>(matching(BREAKER + base + ".", BREAKER_ATTRIBUTES));
        if (!base.equals(name)) {
            keys.putAll(matching(BREAKER + name + ".", BREAKER_ATTRIBUTES));
        }
        if (keys.isEmpty()) {
            return spec;
        }
        BreakerSpec.Builder builder = spec.toBuilder(name);
        keys.forEach((key, attribute) -> {
            String value = values.get(key);
            set(key, value, () -> {
                switch (attribute) {
                    case "failureThreshold" -> builder.failureThreshold(integer(value));
                    case "window" -> builder.window(integer(value));
                    case "failureRate" -> builder.failureRate(Double.parseDouble(value));
                    case "minimumCalls" -> builder.minimumCalls(integer(value));
                    case "openFor" -> builder.openFor(duration(value));
                    default -> builder.halfOpenCalls(integer(value));
                }
            });
        });
        return build("breaker '" + name + "'", builder::build);
    }

    /** {@code spec} with the overrides of its method applied. */
    RetrySpec apply(RetrySpec spec) {
        Map<String, String> keys = matching(RETRY + spec.method() + ".", RETRY_ATTRIBUTES);
        if (keys.isEmpty()) {
            return spec;
        }
        RetrySpec.Builder builder = spec.toBuilder();
        keys.forEach((key, attribute) -> {
            String value = values.get(key);
            set(key, value, () -> {
                switch (attribute) {
                    case "maxAttempts" -> builder.maxAttempts(integer(value));
                    case "delay" -> builder.delay(duration(value));
                    case "multiplier" -> builder.multiplier(Double.parseDouble(value));
                    case "maxDelay" -> builder.maxDelay(duration(value));
                    default -> builder.maxDuration(duration(value));
                }
            });
        });
        return build("retry of " + spec.method(), builder::build);
    }

    /** Keys under {@code prefix}, mapped to their attribute; claims them; refuses unknown attributes. */
    private Map<String, String> matching(String prefix, List<String> attributes) {
        Map<String, String> found = new TreeMap<>();
        for (String key : values.keySet()) {
            if (key.startsWith(prefix) && !key.substring(prefix.length()).contains(".")) {
                String attribute = key.substring(prefix.length());
                if (!attributes.contains(attribute)) {
                    throw new IllegalArgumentException("override " + key + ": unknown attribute '" + attribute + "'; known: " + attributes);
                }
                claimed.add(key);
                found.put(key, attribute);
            }
        }
        return found;
    }

    private static void set(String key, String value, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("override " + key + " = '" + value + "': " + bad.getMessage(), bad);
        }
    }

    private static <T> T build(String what, java.util.function.Supplier<T> builder) {
        try {
            return builder.get();
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("overrides of the " + what + " do not fit together: " + bad.getMessage(), bad);
        }
    }

    /** Keys under {@code resilient.} that no wrapper built so far has claimed, for start-up checks. */
    Set<String> unclaimed() {
        Set<String> unclaimed = new TreeSet<>(values.keySet());
        unclaimed.removeAll(claimed);
        return unclaimed;
    }

    private static int integer(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
    }

    /** The annotations' duration format, as {@link DurationFormat} reads it. */
    static Duration duration(String value) {
        return DurationFormat.parse(value).orElseThrow(() -> new IllegalArgumentException(
                "not a duration: write \"0\", a whole number with one of ns us ms s m h, or ISO-8601"));
    }
}
