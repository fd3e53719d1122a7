package dev.resilient.processor.model;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Gives the members of one wrapper their names, each unique and none taken by the interface's
 * own members: the model carries them, so the writer only writes them.
 */
public final class Names {
    private final Set<String> taken;

    /** @param reserved names no member may take */
    public Names(Set<String> reserved) {
        this.taken = new HashSet<>(reserved);
    }

    /** {@code base}, or {@code base2}, {@code base3}... when taken. */
    public String unique(String base) {
        String name = base;
        for (int i = 2; !taken.add(name); i++) {
            name = base + i;
        }
        return name;
    }

    /** {@code "WeatherClient.forecast"} or {@code "get(String,int)"} becomes {@code "weatherClientForecast"}, {@code "getStringInt"}. */
    public static String camelCase(String text) {
        StringBuilder result = new StringBuilder();
        boolean upper = false;
        for (char c : text.toCharArray()) {
            if (!Character.isLetterOrDigit(c) || c > 0x7f) {
                upper = result.length() > 0;
            } else if (result.length() == 0) {
                result.append(Character.toLowerCase(c));
            } else {
                result.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        String identifier = result.length() == 0 ? "unnamed" : result.toString();
        return Character.isJavaIdentifierStart(identifier.charAt(0)) ? identifier : "_" + identifier;
    }

    /** {@code "weatherBreaker"} becomes {@code "WEATHER_BREAKER"}. */
    public static String constantCase(String camelCase) {
        StringBuilder constant = new StringBuilder(camelCase.length() + 8);
        for (int i = 0; i < camelCase.length(); i++) {
            char c = camelCase.charAt(i);
            char previous = i == 0 ? 'A' : camelCase.charAt(i - 1);
            if (c >= 'A' && c <= 'Z' && (previous >= 'a' && previous <= 'z' || previous >= '0' && previous <= '9')) {
                constant.append('_');
            }
            constant.append(c);
        }
        return constant.toString().toUpperCase(Locale.ROOT);
    }
}
