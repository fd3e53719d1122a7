package dev.resilient.spring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The override keys in the Spring {@code Environment}, as the runtime reads them
 * ({@code resilient.breaker.<name>.<attribute>}, {@code resilient.retry.<Interface>.<method>.<attribute>},
 * {@code resilient.ratelimit.<name>.<attribute>}, {@code resilient.budget.<name>.<attribute>},
 * {@code resilient.hedge.<Interface>.<method>.<attribute>}).
 *
 * <p>Keys from {@code application.yml}, {@code .properties}, {@code -D} and the command line are
 * taken as written: exactly, case included, so {@code get(String,int)} and {@code weather#1} need
 * no escaping; a segment in Spring's brackets, {@code [Store.get(String)]}, stands for what they hold. Relaxed binding is not involved; it would lower-case the names and drop the
 * parentheses. Environment variables cannot spell such keys, so one named
 * {@code RESILIENT_BREAKER_...}, {@code RESILIENT_RETRY_...}, {@code RESILIENT_RATELIMIT_...},
 * {@code RESILIENT_BUDGET_...} or {@code RESILIENT_HEDGE_...} stands for the key whose letters
 * and digits it repeats, ignoring case and every other character:
 * {@code RESILIENT_RETRY_STORE_GET_STRING_INT__MAXATTEMPTS} is
 * {@code resilient.retry.Store.get(String,int).maxAttempts}, and a number after a breaker's name
 * is its failover delegate: {@code RESILIENT_BREAKER_WEATHER_1_OPENFOR} is
 * {@code resilient.breaker.weather#1.openFor}. The keys it is matched against are those the
 * application's wrappers read; a variable that matches none, or several, is reported.
 *
 * <p>Where a key comes from several sources, the usual precedence applies: the command line over
 * {@code -D} over environment variables over the application's files.
 */
final class EnvironmentOverrides {
    static final String PREFIX = "resilient.";
    private static final String BREAKER = "resilient.breaker.";
    /** What the override keys start with: one kind of policy each. */
    private static final List<String> OVERRIDE_PREFIXES = List.of(BREAKER, "resilient.retry.", "resilient.ratelimit.",
            "resilient.budget.", "resilient.hedge.");
    /** The same, as environment variables spell them: {@code RESILIENT_BREAKER_}. */
    private static final List<String> VARIABLE_PREFIXES = OVERRIDE_PREFIXES.stream().map(EnvironmentOverrides::variable).toList();
    /** The starter's own keys, bound by Spring Boot (relaxed binding applies to them). */
    static final List<ConfigurationPropertyName> OWN_KEYS = Stream.of("resilient.wrap", "resilient.strict", "resilient.health.open-status")
            .map(ConfigurationPropertyName::of)
            .toList();

    private final Map<String, String> values = new TreeMap<>();
    private final Set<String> unknown = new TreeSet<>();

    /**
     * @param knownKeys the keys the application's wrappers read, to match environment variables against
     */
    EnvironmentOverrides(ConfigurableEnvironment environment, Collection<String> knownKeys) {
        Map<String, List<String>> byLetters = new TreeMap<>();
        knownKeys.forEach(key -> byLetters.computeIfAbsent(letters(key), letters -> new ArrayList<>()).add(key));
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)
                    || ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
                continue;
            }
            boolean variables = source instanceof SystemEnvironmentPropertySource;
            for (String name : enumerable.getPropertyNames()) {
                String key = variables ? fromVariable(name, byLetters, knownKeys) : fromKey(name);
                if (key != null && !values.containsKey(key)) {
                    Object value = source.getProperty(name);
                    values.put(key, value == null ? "" : environment.resolveRequiredPlaceholders(value.toString()).strip());
                }
            }
        }
    }

    /** Override key → value, for {@code ResilienceContext.Builder.overrides(...)}. */
    Map<String, String> values() {
        return Collections.unmodifiableMap(values);
    }

    /**
     * What the environment says under {@code resilient.} that can be no override: keys outside
     * {@code breaker.}, {@code retry.}, {@code ratelimit.}, {@code budget.} and {@code hedge.} that are not the starter's own, and environment
     * variables that match no key (or several), described as such.
     */
    Set<String> unknown() {
        return Collections.unmodifiableSet(unknown);
    }

    private String fromKey(String written) {
        if (!written.startsWith(PREFIX) || isOwn(written)) {
            return null;
        }
        String name = unbracketed(written);
        if (OVERRIDE_PREFIXES.stream().anyMatch(name::startsWith)) {
            return name;
        }
        unknown.add(name);
        return null;
    }

    /**
     * Spring's notation for a map key that holds dots, {@code [Store.get(String)]}, as the plain
     * key: {@code resilient.breaker.[a.b].openFor} and {@code resilient.breaker[a.b].openFor} are
     * {@code resilient.breaker.a.b.openFor}. Only a whole, non-empty segment counts, so the
     * {@code []} of an array parameter, {@code get(String[])}, stays as it is.
     */
    static String unbracketed(String key) {
        return BRACKETED.matcher(key).replaceAll(match -> Matcher.quoteReplacement("." + match.group(1)));
    }

    private static final Pattern BRACKETED = Pattern.compile("\\.?\\[([^\\[\\]]+)\\](?=\\.|$)");

    /** Whether {@code name} is one of the starter's own keys, in any of Spring Boot's spellings. */
    static boolean isOwn(String name) {
        ConfigurationPropertyName adapted = ConfigurationPropertyName.adapt(name, '.');
        return OWN_KEYS.stream().anyMatch(own -> own.equals(adapted) || own.isAncestorOf(adapted));
    }

    private String fromVariable(String name, Map<String, List<String>> byLetters, Collection<String> knownKeys) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (VARIABLE_PREFIXES.stream().noneMatch(upper::startsWith)) {
            return null;
        }
        String letters = letters(name);
        List<String> matches = new ArrayList<>(byLetters.getOrDefault(letters, List.of()));
        for (String key : knownKeys) {
            String failover = failoverKey(key, letters);
            if (failover != null) {
                matches.add(failover);
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        unknown.add(name + (matches.isEmpty()
                ? " (an environment variable that names no key)"
                : " (an environment variable that names several keys: " + String.join(", ", matches) + ")"));
        return null;
    }

    /** {@code resilient.breaker.weather#1.openFor} where {@code letters} are {@code weather}'s, a number, and {@code openFor}'s. */
    private static String failoverKey(String breakerKey, String letters) {
        if (!breakerKey.startsWith(BREAKER)) {
            return null;
        }
        int dot = breakerKey.lastIndexOf('.');
        String name = breakerKey.substring(BREAKER.length(), dot);
        String attribute = breakerKey.substring(dot + 1);
        String head = letters(BREAKER + name);
        String tail = letters(attribute);
        if (letters.length() <= head.length() + tail.length() || !letters.startsWith(head) || !letters.endsWith(tail)) {
            return null;
        }
        String delegate = letters.substring(head.length(), letters.length() - tail.length());
        return delegate.chars().allMatch(Character::isDigit) && !delegate.startsWith("0")
                ? BREAKER + name + "#" + delegate + "." + attribute
                : null;
    }

    /** The letters and digits of {@code text}, lower-cased: what an environment variable can keep of a key. */
    static String letters(String text) {
        StringBuilder letters = new StringBuilder(text.length());
        text.codePoints().filter(Character::isLetterOrDigit).map(Character::toLowerCase).forEach(letters::appendCodePoint);
        return letters.toString();
    }

    /** The environment variable that stands for {@code key}: {@code RESILIENT_BREAKER_WEATHER_1_OPENFOR}. */
    static String variable(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
