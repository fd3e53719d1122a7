package dev.resilient.processor.validation;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/** What the validators of methods named by annotations ({@code @Fallback}, {@code retryOnResult}...) share. */
final class NamedMethods {
    private NamedMethods() {}

    /**
     * The names among {@code names} that {@code name} was probably meant to be, nearest first, at
     * most three: the same but for case, or at most two edits away (one for short names).
     */
    static List<String> nearNames(String name, List<String> names) {
        int allowed = name.length() <= 4 ? 1 : 2;
        Comparator<String> nearestFirst = Comparator.comparingInt(candidate -> distance(name, candidate));
        return names.stream()
                .filter(candidate -> distance(name, candidate) <= allowed)
                .sorted(nearestFirst.thenComparing(Comparator.naturalOrder()))
                .limit(3)
                .toList();
    }

    /** Levenshtein distance, ignoring case. */
    private static int distance(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        int[] previous = new int[y.length() + 1];
        int[] current = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int substitution = previous[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[y.length()];
    }

    /** Whether {@code thrown} is a checked exception type. */
    static boolean isChecked(Elements elements, Types types, TypeMirror thrown) {
        TypeMirror runtime = elements.getTypeElement(RuntimeException.class.getCanonicalName()).asType();
        TypeMirror error = elements.getTypeElement(Error.class.getCanonicalName()).asType();
        return !types.isSubtype(thrown, runtime) && !types.isSubtype(thrown, error);
    }
}
