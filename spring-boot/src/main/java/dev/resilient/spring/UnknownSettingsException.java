package dev.resilient.spring;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Start-up fails with this when the environment holds {@code resilient.*} settings that nothing
 * reads: a misspelt breaker, method or attribute name, or a key of a wrapper the application does
 * not build. {@code resilient.strict=false} logs the same message as a warning instead.
 */
public final class UnknownSettingsException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    // List.copyOf's lists are serializable, though the List interface does not say so.
    @SuppressWarnings("serial")
    private final List<String> unknown;
    @SuppressWarnings("serial")
    private final List<String> known;

    UnknownSettingsException(Set<String> unknown, Set<String> known) {
        super(message(unknown, known));
        this.unknown = List.copyOf(unknown);
        this.known = List.copyOf(known);
    }

    /** The settings that nothing reads, as written (an environment variable with a word on why). */
    public List<String> unknown() {
        return unknown;
    }

    /** The keys that the application's wrappers read. */
    public List<String> known() {
        return known;
    }

    static String message(Set<String> unknown, Set<String> known) {
        return "unknown resilience settings: "
                + unknown.stream().map(key -> key + suggestion(key, known)).collect(Collectors.joining(", "))
                + "; no wrapper reads them. Known keys: "
                + (known.isEmpty() ? "none (no bean has a generated wrapper)" : String.join(", ", known))
                + ". Set resilient.strict=false to start with a warning instead.";
    }

    /** {@code " (did you mean resilient.breaker.weather.openFor?)"} for the known key nearest to {@code key}, if one is near. */
    private static String suggestion(String key, Set<String> known) {
        String written = key.contains(" ") ? key.substring(0, key.indexOf(' ')) : key;
        String letters = EnvironmentOverrides.letters(written);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(letters, EnvironmentOverrides.letters(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= 3 && !best.equals(written) ? " (did you mean " + best + "?)" : "";
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
