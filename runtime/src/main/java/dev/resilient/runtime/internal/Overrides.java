package dev.resilient.runtime.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Settings from configuration that replace the annotations' values when a wrapper is built:
 * {@code resilient.breaker.<name>.<attribute>}, {@code resilient.retry.<Interface>.<method>.<attribute>},
 * {@code resilient.ratelimit.<name>.<attribute>}, {@code resilient.budget.<name>.<attribute>} and
 * {@code resilient.hedge.<Interface>.<method>.<attribute>}.
 * Keys outside {@code resilient.} are ignored; a key under it that no wrapper claims is reported
 * by {@link #unclaimed()}.
 */
public final class Overrides {
    static final String BREAKER = "resilient.breaker.";
    static final String RETRY = "resilient.retry.";
    static final List<Attribute> BREAKER_ATTRIBUTES = attributesOf("Breaker");
    static final List<Attribute> RETRY_ATTRIBUTES = attributesOf("Retryable");
    static final String RATE_LIMIT = "resilient.ratelimit.";
    static final List<Attribute> RATE_LIMIT_ATTRIBUTES = attributesOf("RateLimit");
    static final String BUDGET = "resilient.budget.";
    static final List<Attribute> BUDGET_ATTRIBUTES = attributesOf("RetryBudget");
    static final String HEDGE = "resilient.hedge.";
    static final List<Attribute> HEDGE_ATTRIBUTES = attributesOf("Hedge");

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

    private static List<Attribute> attributesOf(String annotation) {
        return Arrays.stream(Attribute.values()).filter(attribute -> attribute.annotation().equals(annotation)).toList();
    }

    /** Every key a wrapper with these breakers, retried methods, rate limits, retry budgets and hedged methods understands. */
    public static List<String> keys(List<String> breakerNames, List<String> retriedMethods, List<String> rateLimits,
            List<String> budgets, List<String> hedgedMethods) {
        List<String> keys = new ArrayList<>();
        breakerNames.forEach(name -> BREAKER_ATTRIBUTES.forEach(attribute -> keys.add(BREAKER + name + "." + attribute.attributeName())));
        retriedMethods.forEach(method -> RETRY_ATTRIBUTES.forEach(attribute -> keys.add(RETRY + method + "." + attribute.attributeName())));
        rateLimits.forEach(name -> RATE_LIMIT_ATTRIBUTES.forEach(attribute -> keys.add(RATE_LIMIT + name + "." + attribute.attributeName())));
        budgets.forEach(name -> BUDGET_ATTRIBUTES.forEach(attribute -> keys.add(BUDGET + name + "." + attribute.attributeName())));
        hedgedMethods.forEach(method -> HEDGE_ATTRIBUTES.forEach(attribute -> keys.add(HEDGE + method + "." + attribute.attributeName())));
        return List.copyOf(keys);
    }

    /** {@code spec} with the overrides of the breaker {@code name} applied: those of its base name, then those of {@code name#i}. */
    BreakerSpec apply(String name, BreakerSpec spec) {
        Map<String, Attribute> keys = breakerKeys(name);
        if (keys.isEmpty()) {
            return spec;
        }
        BreakerSpec.Builder builder = spec.toBuilder();
        keys.forEach((key, attribute) -> builder.set(attribute, value(key, attribute)));
        return merged(keys.keySet(), () -> builder.build(name));
    }

    /** The keys of the breaker {@code name}, in the order they apply: those of its base name, then those of {@code name#i}. */
    private Map<String, Attribute> breakerKeys(String name) {
        String base = name.contains("#") ? name.substring(0, name.indexOf('#')) : name;
        Map<String, Attribute> keys = new LinkedHashMap<>(matching(BREAKER + base + ".", BREAKER_ATTRIBUTES));
        if (!base.equals(name)) {
            keys.putAll(matching(BREAKER + name + ".", BREAKER_ATTRIBUTES));
        }
        return keys;
    }

    /** {@code spec} with the overrides of {@code method}'s retry applied. */
    RetrySpec apply(String method, RetrySpec spec) {
        Map<String, Attribute> keys = matching(RETRY + method + ".", RETRY_ATTRIBUTES);
        if (keys.isEmpty()) {
            return spec;
        }
        RetrySpec.Builder builder = spec.toBuilder();
        keys.forEach((key, attribute) -> builder.set(attribute, value(key, attribute)));
        return merged(keys.keySet(), () -> builder.build(method));
    }

    /** {@code @RateLimit} {@code settings} with the overrides of the rate limit {@code name} applied, checked with every rule. */
    Settings apply(String name, Settings settings) {
        return applyNamed("rate limit", RATE_LIMIT, RATE_LIMIT_ATTRIBUTES, name, settings);
    }

    /** {@code @RetryBudget} {@code settings} with the overrides of the budget {@code name} applied, checked with every rule. */
    Settings applyBudget(String name, Settings settings) {
        return applyNamed("retry budget", BUDGET, BUDGET_ATTRIBUTES, name, settings);
    }

    /** {@code @Hedge} {@code settings} with the overrides of {@code method}'s hedge applied, checked with every rule. */
    Settings applyHedge(String method, Settings settings) {
        return applyNamed("hedge of", HEDGE, HEDGE_ATTRIBUTES, method, settings);
    }

    private Settings applyNamed(String kind, String prefix, List<Attribute> attributes, String name, Settings settings) {
        Map<String, Attribute> keys = matching(prefix + name + ".", attributes);
        if (keys.isEmpty()) {
            return settings;
        }
        Settings merged = settings.copy();
        keys.forEach((key, attribute) -> merged.put(attribute, value(key, attribute)));
        return merged(keys.keySet(), () -> {
            merged.requireNoProblems(kind + " '" + name + "'");
            return merged;
        });
    }

    /**
     * Throws {@code problems} of rules between the policies of one method, if any, after
     * {@code what}, naming the keys given for those policies as a broken rule of one policy names
     * its keys: the settings they break are merged with these overrides.
     *
     * @param retried the method whose retry's keys apply, or {@code null}
     * @param breaker the breaker whose keys apply (those of its base name too), or {@code null}
     * @param rateLimit the rate limit whose keys apply, or {@code null}
     */
    void requireNone(List<Attribute.Problem> problems, String what, String retried, String breaker, String rateLimit) {
        if (problems.isEmpty()) {
            return;
        }
        Map<String, Attribute> given = new TreeMap<>();
        if (retried != null) {
            given.putAll(matching(RETRY + retried + ".", RETRY_ATTRIBUTES));
        }
        if (breaker != null) {
            given.putAll(breakerKeys(breaker));
        }
        if (rateLimit != null) {
            given.putAll(matching(RATE_LIMIT + rateLimit + ".", RATE_LIMIT_ATTRIBUTES));
        }
        if (given.isEmpty()) {
            Settings.requireNone(problems, what);
        } else {
            merged(given.keySet(), () -> {
                Settings.requireNone(problems, what);
                return problems;
            });
        }
    }

    /** Keys under {@code prefix}, mapped to their attribute; claims them; refuses unknown attributes. */
    private Map<String, Attribute> matching(String prefix, List<Attribute> attributes) {
        Map<String, Attribute> found = new TreeMap<>();
        for (String key : values.keySet()) {
            if (key.startsWith(prefix) && !key.substring(prefix.length()).contains(".")) {
                String name = key.substring(prefix.length());
                Attribute attribute = attributes.stream().filter(known -> known.attributeName().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("override " + key + ": unknown attribute '" + name + "'; known: "
                                + attributes.stream().map(Attribute::attributeName).toList()));
                claimed.add(key);
                found.put(key, attribute);
            }
        }
        return found;
    }

    /**
     * The value of {@code key}, read as {@code attribute} reads its values and checked on its
     * own; an empty value takes the annotation's value back, leaving the attribute's default.
     */
    private Object value(String key, Attribute attribute) {
        String text = values.get(key);
        if (text.isEmpty()) {
            return null;
        }
        Object value = attribute.parse(text).orElseThrow(() -> bad(key, text, attribute.unreadable(text)));
        attribute.check(value, text).ifPresent(problem -> {
            throw bad(key, text, problem);
        });
        return value;
    }

    private static IllegalArgumentException bad(String key, String text, Attribute.Problem problem) {
        return new IllegalArgumentException("override " + key + " = '" + text + "': " + problem.text());
    }

    /** The spec {@code builder} builds from the settings merged with the overrides, which must keep every rule. */
    private static <T> T merged(Set<String> keys, Supplier<T> builder) {
        try {
            return builder.get();
        } catch (IllegalArgumentException broken) {
            throw new IllegalArgumentException("with overrides " + keys + ", " + broken.getMessage(), broken);
        }
    }

    /** Every setting under {@code resilient.}, its value stripped, sorted by key. */
    Map<String, String> values() {
        return Collections.unmodifiableMap(values);
    }

    /** Keys under {@code resilient.} that no wrapper built so far has claimed, for start-up checks. */
    Set<String> unclaimed() {
        Set<String> unclaimed = new TreeSet<>(values.keySet());
        unclaimed.removeAll(claimed);
        return unclaimed;
    }
}
