package dev.resilient.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.internal.Attribute;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The differential property of configuration overrides: settings given as overrides over an
 * interface whose annotations are sound, and the same settings written as the annotations' values
 * (the annotation's own values merged with them), are both accepted, or both rejected with the
 * same message ids, the override's message naming a key it was given. Cases are the contract's
 * forbidden combinations, then random ones: one to three attributes of one policy, each in range,
 * at a boundary, just outside, zero, negative, huge, {@code NaN} or infinite, or a malformed or
 * overflowing duration; some on annotations that write values of their own, some on the breaker
 * of a failover's backup ({@code name#1}). All cases compile in one compilation, an interface
 * each, whose errors are mapped back to their case by source file; each case's overrides then
 * build the wrapper of one interface compiled once.
 *
 * <p>Where an override reports the first bad value of several, it reports one of the ids the
 * compilation reports; where it reports the rules the merged settings break, it reports them all,
 * as the compilation does. Overrides are read as documented, which the annotation side models: a
 * value is stripped ({@code " 5s"} reads as {@code "5s"}, where the annotation's {@code " 5s"} is
 * no duration), and an empty one takes the annotation's value back, leaving the attribute's
 * default (an optional duration's {@code ""} on the annotation). {@code -Dresilient.overrides.seed=S}
 * replays a seed, {@code -Dresilient.overrides.cases=N} runs more random cases.
 */
class OverridesDifferentialTest {
    private static final long SEED = Long.getLong("resilient.overrides.seed", 20_261_201L);
    private static final int CASES = Integer.getInteger("resilient.overrides.cases", 400);
    private static final Pattern ID = Pattern.compile("\\[(\\w+)\\]");
    private static final Pattern CASE_SOURCE = Pattern.compile("C(\\d+)\\.java");

    /** A method of the interface with one policy whose settings a case writes; its override keys start with {@code keyPrefix}. */
    enum Site {
        RETRY("Retryable", null, "", "String retry()", "resilient.retry.Base.retry.", Map.of()),
        BREAKER("Breaker", "b", "", "String breaker()", "resilient.breaker.b", Map.of()),
        RATE_LIMIT("RateLimit", "r", "", "String rateLimit()", "resilient.ratelimit.r.", Map.of()),
        ASYNC_RATE_LIMIT("RateLimit", "ra", "", "CompletionStage<String> asyncRateLimit()", "resilient.ratelimit.ra.", Map.of()),
        BUDGET("RetryBudget", "g", "@Retryable ", "String budget()", "resilient.budget.g.", Map.of()),
        HEDGE("Hedge", null, "", "String hedge()", "resilient.hedge.Base.hedge.", Map.of()),
        TIMED_RETRY("Retryable", null, "@Timeout(\"1s\") ", "String timedRetry()", "resilient.retry.Base.timedRetry.", Map.of()),
        TIMED_BREAKER("Breaker", "bt", "@Timeout(\"1s\") ", "String timedBreaker()", "resilient.breaker.bt", Map.of()),
        /** Annotations that write values of their own, which overrides replace, or take back with an empty value. */
        WINDOWED_BREAKER("Breaker", "bw", "", "String windowedBreaker()", "resilient.breaker.bw",
                Map.of(Attribute.WINDOW, "10", Attribute.SLOW_CALL, "2s")),
        CAPPED_RETRY("Retryable", null, "@Timeout(\"1s\") ", "String cappedRetry()", "resilient.retry.Base.cappedRetry.",
                Map.of(Attribute.DELAY, "1s", Attribute.MAX_DELAY, "2s", Attribute.MAX_DURATION, "10s")),
        SLOW_LIMIT("RateLimit", "rs", "", "String slowLimit()", "resilient.ratelimit.rs.",
                Map.of(Attribute.PERMITS, "10", Attribute.PER, "1m", Attribute.RATE_LIMIT_MAX_WAIT, "1s")),
        /** No retry at all: outside the property, see {@link #overridesOfARetryOfOneAttemptAreUnclaimedAndUnchecked}. */
        ONE_ATTEMPT("Retryable", null, "", "String once()", "resilient.retry.Base.once.", Map.of(Attribute.MAX_ATTEMPTS, "1"));

        final String annotation;
        private final String name;
        private final String before;
        private final String signature;
        /** For a breaker, its name's key prefix without the {@code "."}, which a failover's backup follows with {@code "#1"}. */
        private final String keyPrefix;
        /** What the annotation writes, in override form. */
        final Map<Attribute, String> base;

        Site(String annotation, String name, String before, String signature, String keyPrefix, Map<Attribute, String> base) {
            this.annotation = annotation;
            this.name = name;
            this.before = before;
            this.signature = signature;
            this.keyPrefix = keyPrefix;
            this.base = new java.util.TreeMap<>(base);
        }

        boolean breaker() {
            return annotation.equals("Breaker");
        }

        /** The prefix of the keys of this policy; of the breaker of the failover's backup with {@code backup}. */
        String keyPrefix(boolean backup) {
            return breaker() ? keyPrefix + (backup ? "#1." : ".") : keyPrefix;
        }

        /** The method's declaration with {@code attributes} (Java source, {@code ""} for none) written on its policy. */
        String declaration(String attributes) {
            String written = name == null ? attributes : "name = \"" + name + "\"" + (attributes.isEmpty() ? "" : ", " + attributes);
            return "    " + before + "@" + annotation + "(" + written + ") " + signature + ";";
        }

        List<Attribute> attributes() {
            return Arrays.stream(Attribute.values()).filter(attribute -> attribute.annotation().equals(annotation)).toList();
        }
    }

    /**
     * One setting: values, as an override reads them, of attributes of {@code site}'s policy;
     * with {@code backup} given for the breaker of a failover's backup; with {@code padding}
     * around each override's value.
     */
    record Case(int number, String why, Site site, Map<Attribute, String> values, boolean backup, String padding) {
        Case(int number, String why, Site site, Map<Attribute, String> values) {
            this(number, why, site, values, false, "");
        }

        /** The annotation's values merged with the case's, as Java source: an empty value takes the annotation's back. */
        String attributes() {
            Map<Attribute, String> merged = new LinkedHashMap<>(site.base);
            values.forEach((attribute, text) -> {
                if (!text.isEmpty()) {
                    merged.put(attribute, text);
                } else if (attribute.kind() == Attribute.Kind.DURATION && attribute.defaultValue() == null) {
                    merged.put(attribute, ""); // an optional duration's "", which leaves it unset as no value does
                } else {
                    merged.remove(attribute);
                }
            });
            return merged.entrySet().stream().map(value -> value.getKey().attributeName() + " = " + java(value.getKey(), value.getValue()))
                    .collect(Collectors.joining(", "));
        }

        Map<String, String> overrides() {
            Map<String, String> overrides = new LinkedHashMap<>();
            values.forEach((attribute, text) -> overrides.put(site.keyPrefix(backup) + attribute.attributeName(), padding + text + padding));
            return overrides;
        }

        @Override
        public String toString() {
            return "case " + number + " (" + why + (backup ? ", on the backup's breaker" : "") + (padding.isEmpty() ? "" : ", padded")
                    + ") " + site + " " + site.declaration(attributes()).strip() + " / overrides " + overrides();
        }
    }

    private static final Compiled BASE = Compiled.strictly("diff.Base", base());

    private static String[] base() {
        List<String> lines = new ArrayList<>(header());
        lines.add("public interface Base {");
        Arrays.stream(Site.values()).forEach(site -> lines.add(site.declaration(new Case(0, "base", site, Map.of()).attributes())));
        lines.add("}");
        return lines.toArray(String[]::new);
    }

    private static List<String> header() {
        return List.of("package diff;", "", "import dev.resilient.annotations.*;", "import java.util.concurrent.CompletionStage;", "");
    }

    @Test
    void overridesAndAnnotationsAcceptAndRejectAlike() throws ReflectiveOperationException {
        List<Case> cases = new ArrayList<>(forbiddenCombinations());
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < CASES; i++) {
            cases.add(randomCase(cases.size(), random));
        }
        List<String> mismatches = mismatches(cases);
        assertTrue(mismatches.isEmpty(), mismatches.size() + " of " + cases.size() + " cases differ (seed " + SEED + "):\n"
                + String.join("\n", mismatches));
    }

    /** What differs for each of {@code cases}, if anything. */
    static List<String> mismatches(List<Case> cases) throws ReflectiveOperationException {
        Map<Integer, Set<String>> compiled = compileErrors(cases);
        Constructor<?> wrapper = wrapperConstructor();
        List<String> mismatches = new ArrayList<>();
        for (Case c : cases) {
            Set<String> annotated = compiled.getOrDefault(c.number(), Set.of());
            Optional<String> overridden = overrideProblem(wrapper, c);
            difference(c, annotated, overridden).ifPresent(why -> mismatches.add(c + ": " + why));
        }
        return mismatches;
    }

    /** What differs between the errors of {@code c} as annotation values, {@code messages}, and as overrides, if anything. */
    private static Optional<String> difference(Case c, Set<String> messages, Optional<String> overridden) {
        Set<String> annotated = new LinkedHashSet<>();
        messages.forEach(message -> annotated.addAll(ids(message)));
        if (annotated.isEmpty() && overridden.isEmpty()) {
            return Optional.empty();
        }
        if (overridden.isEmpty()) {
            return Optional.of("the annotation is rejected with " + annotated + ", the override accepted");
        }
        String message = overridden.get();
        if (annotated.isEmpty()) {
            return Optional.of("the annotation is accepted, the override rejected: " + message);
        }
        Set<String> ids = ids(message);
        // An override that fails on one value reports the first bad key; one that fails on the merged settings, every rule broken.
        boolean oneValue = message.startsWith("override ");
        if (ids.isEmpty() || !annotated.containsAll(ids) || !oneValue && !ids.equals(annotated)) {
            return Optional.of("the annotation is rejected with " + annotated + ", the override with " + ids + ": " + message);
        }
        if (c.overrides().keySet().stream().noneMatch(message::contains)) {
            return Optional.of("the override's message names none of its keys: " + message);
        }
        // One text for one problem: the override shows each problem, or its one value's, as the compiler does.
        boolean sameText = oneValue ? messages.stream().anyMatch(message::endsWith) : messages.stream().allMatch(message::contains);
        if (!sameText) {
            return Optional.of("the texts differ: the annotation's " + messages + ", the override's " + message);
        }
        return Optional.empty();
    }

    /**
     * The errors of each case's interface, compiled together. An error of javac's own
     * (a case written wrong) fails at once: it stops the processor for every case.
     */
    private static Map<Integer, Set<String>> compileErrors(List<Case> cases) {
        JavaFileObject[] sources = cases.stream().map(c -> {
            List<String> lines = new ArrayList<>(header());
            lines.add("interface C" + c.number() + " {");
            lines.add(c.site().declaration(c.attributes()));
            lines.add("}");
            return Compiled.source("diff.C" + c.number(), lines.toArray(String[]::new));
        }).toArray(JavaFileObject[]::new);
        Compilation compilation = Compiled.compile(List.of("-proc:only", "-Xmaxerrs", "1000000"), sources);
        Map<Integer, Set<String>> errors = new LinkedHashMap<>();
        for (Diagnostic<? extends JavaFileObject> error : compilation.errors()) {
            Matcher source = CASE_SOURCE.matcher(error.getSource() == null ? "" : error.getSource().getName());
            String message = error.getMessage(Locale.ROOT);
            assertTrue(source.find(), () -> "an error outside the cases: " + message);
            Matcher id = ID.matcher(message);
            assertTrue(id.lookingAt(), () -> "not an error of the processor: " + message + " in " + cases.get(Integer.parseInt(source.group(1))));
            errors.computeIfAbsent(Integer.parseInt(source.group(1)), number -> new LinkedHashSet<>()).add(message);
        }
        return errors;
    }

    private static Constructor<?> wrapperConstructor() throws NoSuchMethodException {
        Class<?> iface = BASE.load("diff.Base");
        return BASE.load("diff.ResilientBase").getConstructor(iface, ResilienceContext.class);
    }

    /**
     * The message of the {@code IllegalArgumentException} that building the wrapper with
     * {@code c}'s overrides throws, if any: over one delegate, or as a failover over two.
     */
    static Optional<String> overrideProblem(Constructor<?> wrapper, Case c) throws ReflectiveOperationException {
        Class<?> iface = wrapper.getParameterTypes()[0];
        Object delegate = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (proxy, method, args) -> {
            throw new AssertionError("building a wrapper calls no method of its delegate");
        });
        ResilienceContext context = ResilienceContext.builder().overrides(c.overrides()).build();
        try {
            if (c.backup()) {
                Object backups = java.lang.reflect.Array.newInstance(iface, 1);
                java.lang.reflect.Array.set(backups, 0, delegate);
                wrapper.getDeclaringClass().getMethod("failover", ResilienceContext.class, iface, backups.getClass())
                        .invoke(null, context, delegate, backups);
            } else {
                wrapper.newInstance(delegate, context);
            }
            return Optional.empty();
        } catch (InvocationTargetException thrown) {
            if (thrown.getCause() instanceof IllegalArgumentException problem) {
                return Optional.of(problem.getMessage());
            }
            throw thrown;
        }
    }

    private static Set<String> ids(String message) {
        Set<String> ids = new LinkedHashSet<>();
        Matcher matcher = ID.matcher(message);
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    /** {@code text}, an override's value, as Java source for the annotation. */
    static String java(Attribute attribute, String text) {
        return switch (attribute.kind()) {
            case INT -> text;
            case DOUBLE -> switch (text) {
                case "NaN" -> "Double.NaN";
                case "Infinity" -> "Double.POSITIVE_INFINITY";
                case "-Infinity" -> "Double.NEGATIVE_INFINITY";
                default -> text;
            };
            case DURATION -> '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        };
    }

    // ---- the cases ----

    private static Case fixed(List<Case> cases, String why, Site site, Object... attributesAndValues) {
        Map<Attribute, String> values = new LinkedHashMap<>();
        for (int i = 0; i < attributesAndValues.length; i += 2) {
            values.put((Attribute) attributesAndValues[i], (String) attributesAndValues[i + 1]);
        }
        Case c = new Case(cases.size(), why, site, values);
        cases.add(c);
        return c;
    }

    /** Every combination the contract forbids, and its neighbours that it allows. */
    static List<Case> forbiddenCombinations() {
        List<Case> cases = new ArrayList<>();
        fixed(cases, "failureRate without a window", Site.BREAKER, Attribute.FAILURE_RATE, "0.5");
        fixed(cases, "minimumCalls without a window", Site.BREAKER, Attribute.MINIMUM_CALLS, "5");
        fixed(cases, "failureThreshold with a window", Site.BREAKER, Attribute.FAILURE_THRESHOLD, "3", Attribute.WINDOW, "10");
        fixed(cases, "failureThreshold with a windowDuration", Site.BREAKER, Attribute.FAILURE_THRESHOLD, "3",
                Attribute.WINDOW_DURATION, "10s");
        fixed(cases, "window with windowDuration", Site.BREAKER, Attribute.WINDOW, "10", Attribute.WINDOW_DURATION, "10s");
        fixed(cases, "slowCall in consecutive mode", Site.BREAKER, Attribute.SLOW_CALL, "1s");
        fixed(cases, "slowCallRate without slowCall", Site.BREAKER, Attribute.WINDOW, "10", Attribute.SLOW_CALL_RATE, "0.5");
        fixed(cases, "slowCall and slowCallRate in rate mode", Site.BREAKER, Attribute.WINDOW, "10", Attribute.SLOW_CALL, "1s",
                Attribute.SLOW_CALL_RATE, "0.5");
        fixed(cases, "maxOpenFor below the default openFor", Site.BREAKER, Attribute.MAX_OPEN_FOR, "10s");
        fixed(cases, "maxOpenFor below openFor", Site.BREAKER, Attribute.OPEN_FOR, "10s", Attribute.MAX_OPEN_FOR, "9999ms");
        fixed(cases, "maxOpenFor at openFor", Site.BREAKER, Attribute.OPEN_FOR, "10s", Attribute.MAX_OPEN_FOR, "PT10S");
        fixed(cases, "minimumCalls above the window", Site.BREAKER, Attribute.WINDOW, "10", Attribute.MINIMUM_CALLS, "11");
        fixed(cases, "minimumCalls at the window", Site.BREAKER, Attribute.WINDOW, "10", Attribute.MINIMUM_CALLS, "10");
        fixed(cases, "minimumCalls 0 in a window", Site.BREAKER, Attribute.WINDOW, "10", Attribute.MINIMUM_CALLS, "0");
        fixed(cases, "minimumCalls 0 over time", Site.BREAKER, Attribute.WINDOW_DURATION, "10s", Attribute.MINIMUM_CALLS, "0");
        fixed(cases, "windowDuration under 10ms", Site.BREAKER, Attribute.WINDOW_DURATION, "9999999ns");
        fixed(cases, "windowDuration at 10ms", Site.BREAKER, Attribute.WINDOW_DURATION, "10ms");
        fixed(cases, "negative window", Site.BREAKER, Attribute.WINDOW, "-1");
        fixed(cases, "maxDelay below the default delay", Site.RETRY, Attribute.MAX_DELAY, "99ms");
        fixed(cases, "maxDelay below delay", Site.RETRY, Attribute.DELAY, "1s", Attribute.MAX_DELAY, "500ms");
        fixed(cases, "maxDelay at delay", Site.RETRY, Attribute.DELAY, "1s", Attribute.MAX_DELAY, "1000ms");
        fixed(cases, "maxDuration shorter than the first wait", Site.RETRY, Attribute.MAX_DURATION, "50ms");
        fixed(cases, "maxDuration shorter than the first wait, no retry", Site.RETRY, Attribute.MAX_DURATION, "50ms",
                Attribute.MAX_ATTEMPTS, "1");
        fixed(cases, "multiplier below 1", Site.RETRY, Attribute.MULTIPLIER, "0.5");
        fixed(cases, "maxAttempts 0", Site.RETRY, Attribute.MAX_ATTEMPTS, "0");
        fixed(cases, "hedge maxAttempts 1", Site.HEDGE, Attribute.HEDGE_MAX_ATTEMPTS, "1");
        fixed(cases, "hedge maxAttempts 2", Site.HEDGE, Attribute.HEDGE_MAX_ATTEMPTS, "2");
        fixed(cases, "negative hedge delay", Site.HEDGE, Attribute.HEDGE_DELAY, "PT-0.001S");
        fixed(cases, "per shorter than 1ns a permit", Site.RATE_LIMIT, Attribute.PER, "99ns");
        fixed(cases, "per of 1ns a permit", Site.RATE_LIMIT, Attribute.PERMITS, "7", Attribute.PER, "7ns");
        fixed(cases, "per 0", Site.RATE_LIMIT, Attribute.PER, "0");
        fixed(cases, "permits 0", Site.RATE_LIMIT, Attribute.PERMITS, "0");
        fixed(cases, "a stage waiting for a token", Site.ASYNC_RATE_LIMIT, Attribute.RATE_LIMIT_MAX_WAIT, "1s");
        fixed(cases, "a blocking call waiting for a token", Site.RATE_LIMIT, Attribute.RATE_LIMIT_MAX_WAIT, "1s");
        fixed(cases, "ratio above 1000", Site.BUDGET, Attribute.RATIO, "1000.0000000000001");
        fixed(cases, "ratio 1000", Site.BUDGET, Attribute.RATIO, "1000.0");
        fixed(cases, "negative minPerSecond", Site.BUDGET, Attribute.MIN_PER_SECOND, "-1");
        fixed(cases, "budget window above 60s", Site.BUDGET, Attribute.BUDGET_WINDOW, "PT60.000000001S");
        fixed(cases, "budget window at 60s", Site.BUDGET, Attribute.BUDGET_WINDOW, "1m");
        fixed(cases, "budget window below 1s", Site.BUDGET, Attribute.BUDGET_WINDOW, "999ms");
        fixed(cases, "a timeout at maxDuration", Site.TIMED_RETRY, Attribute.MAX_DURATION, "1s");
        fixed(cases, "a timeout beyond maxDuration", Site.TIMED_RETRY, Attribute.MAX_DURATION, "500ms");
        fixed(cases, "a timeout at maxDuration, no retry", Site.TIMED_RETRY, Attribute.MAX_DURATION, "1s", Attribute.MAX_ATTEMPTS, "1");
        fixed(cases, "slowCall at the timeout", Site.TIMED_BREAKER, Attribute.WINDOW, "10", Attribute.SLOW_CALL, "1s");
        fixed(cases, "slowCall below the timeout", Site.TIMED_BREAKER, Attribute.WINDOW, "10", Attribute.SLOW_CALL, "999ms");
        return cases;
    }

    private static final List<String> EDGE_DURATIONS = List.of("0", "0ms", "1ns", "-1s", "PT-1S", "-PT1S", "PT0S", "PT1S", "PT0.25S",
            "5 s", "1.5s", "5S", "+5s", "5sec", "1d", "P1D", "PT", "s", "00", "007ms", "10ms", "9ms", "999ms", "1s", "60s", "61s",
            "2562047h", "2562048h", "9223372036854775807ns", "9223372036854775808ns", "99999999999999999999999s",
            "PT2562047H47M16.854775807S", "PT2562047H47M16.854775808S", "PT9223372036854775807S", "PT-9223372036854775808S",
            "P106751D", "P106752D");
    private static final List<String> PLAUSIBLE_DURATIONS = List.of("0", "1ms", "10ms", "50ms", "100ms", "500ms", "1s", "2s", "10s",
            "30s", "1m", "PT0.1S");
    private static final List<Integer> EDGE_INTS = List.of(Integer.MIN_VALUE, -1, 0, 1, 2, 3, 9, 10, 11, 100, Integer.MAX_VALUE);
    private static final List<Double> EDGE_DOUBLES = List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1.0,
            -0.0, 0.0, Double.MIN_VALUE, 1.0E-300, 0.5, Math.nextDown(1.0), 1.0, Math.nextUp(1.0), 2.0, Math.nextDown(1000.0), 1000.0,
            Math.nextUp(1000.0), Double.MAX_VALUE);

    private static final List<Site> RANDOM_SITES = Arrays.stream(Site.values()).filter(site -> site != Site.ONE_ATTEMPT).toList();

    private static Case randomCase(int number, SplittableRandom random) {
        Site site = pick(RANDOM_SITES, random);
        List<Attribute> attributes = new ArrayList<>(site.attributes());
        Map<Attribute, String> values = new LinkedHashMap<>();
        int count = 1 + random.nextInt(Math.min(3, attributes.size()));
        for (int i = 0; i < count; i++) {
            Attribute attribute = attributes.remove(random.nextInt(attributes.size()));
            values.put(attribute, value(attribute, random.nextBoolean(), random));
        }
        boolean backup = site.breaker() && random.nextInt(4) == 0;
        String padding = random.nextInt(8) == 0 ? pick(List.of(" ", "\t", " \t "), random) : "";
        return new Case(number, "random", site, values, backup, padding);
    }

    /** A value of {@code attribute}: a plausible one, one at an edge, or none (the annotation's, taken back). */
    private static String value(Attribute attribute, boolean edge, SplittableRandom random) {
        if (random.nextInt(10) == 0) {
            return "";
        }
        return switch (attribute.kind()) {
            case INT -> Integer.toString(edge ? pick(EDGE_INTS, random) : random.nextInt(0, 21));
            case DOUBLE -> Double.toString(edge ? pick(EDGE_DOUBLES, random) : Math.round(random.nextDouble(0, 1.5) * 100) / 100.0);
            case DURATION -> edge ? pick(EDGE_DURATIONS, random) : pick(PLAUSIBLE_DURATIONS, random);
        };
    }

    private static <T> T pick(List<T> values, SplittableRandom random) {
        return values.get(random.nextInt(values.size()));
    }

    /**
     * Found by the property: a rule between policies (a timeout and the retry's maxDuration or the
     * breaker's slowCall, a stage's rate limit and its maxWait) that overrides broke named the
     * method only, not the keys that broke it, as every rule of one policy does.
     */
    @Test
    void aRuleBetweenPoliciesBrokenByOverridesNamesTheirKeys() throws ReflectiveOperationException {
        Constructor<?> wrapper = wrapperConstructor();
        Map<String, String> expected = Map.of(
                "a timeout at maxDuration", "with overrides [resilient.retry.Base.timedRetry.maxDuration], method Base.timedRetry:"
                        + " [TimeoutBeyondBudget] a timeout of 1s per attempt is at least the retry's maxDuration (1s)",
                "slowCall at the timeout", "with overrides [resilient.breaker.bt.slowCall, resilient.breaker.bt.window],"
                        + " method Base.timedBreaker: [BreakerSlowCallBeyondTimeout] slowCall (1s) is at least the method's @Timeout (1s)",
                "a stage waiting for a token", "with overrides [resilient.ratelimit.ra.maxWait], method Base.asyncRateLimit:"
                        + " [RateLimitAsyncWait] maxWait must be \"0\" on an asynchronous method, was \"1s\"");
        for (Case c : forbiddenCombinations()) {
            if (expected.containsKey(c.why())) {
                String message = overrideProblem(wrapper, c).orElseThrow();
                assertTrue(message.startsWith(expected.get(c.why())), c + ": " + message);
            }
        }
    }

    /**
     * A contract question the property raised, pinned as it is: {@code @Retryable(maxAttempts = 1)}
     * makes no retry policy, so the wrapper neither lists, claims nor checks its retry's keys. A
     * malformed value (rejected as an annotation value) builds the wrapper, and only
     * {@code unclaimedOverrides()} (or Spring Boot's strict start-up) tells; nor can configuration
     * raise its maxAttempts to turn retries on.
     */
    @Test
    void overridesOfARetryOfOneAttemptAreUnclaimedAndUnchecked() throws ReflectiveOperationException {
        Case malformed = new Case(0, "a malformed delay for a retry of one attempt", Site.ONE_ATTEMPT, Map.of(Attribute.DELAY, "PT"));
        assertTrue(compileErrors(List.of(malformed)).get(0).iterator().next().startsWith("[ResilientDuration] delay = \"PT\" is not a duration"));
        String key = "resilient.retry.Base.once.delay";
        assertFalse(BASE.overrideKeys("diff.ResilientBase").contains(key), "not a key the wrapper reads");
        Class<?> iface = BASE.load("diff.Base");
        Object delegate = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (proxy, method, args) -> "ok");
        ResilienceContext context = ResilienceContext.builder().overrides(malformed.overrides()).build();
        wrapperConstructor().newInstance(delegate, context);
        assertEquals(Set.of(key), context.unclaimedOverrides());
    }

    @Test
    void theContractsForbiddenCombinationsAreRejected() throws ReflectiveOperationException {
        // The property holds vacuously if neither side rejects anything: the forbidden combinations must be rejected.
        Map<Integer, Set<String>> compiled = compileErrors(forbiddenCombinations());
        assertEquals(Set.of("[BreakerMixedModes] failureRate needs window > 0 or windowDuration: without a window the breaker counts"
                + " consecutive failures (hint: failureThreshold belongs to consecutive mode; failureRate, minimumCalls and slowCall"
                + " to the rate modes (window > 0 or windowDuration))"), compiled.get(0), "failureRate without a window");
        assertEquals(Set.of("[BreakerMaxOpenFor] maxOpenFor (10s) must be at least openFor (30s) (hint: raise maxOpenFor, lower openFor,"
                + " or remove maxOpenFor for no cap)"), compiled.get(8), "maxOpenFor below the default openFor");
        Optional<String> override = overrideProblem(wrapperConstructor(), forbiddenCombinations().get(4));
        assertTrue(override.orElseThrow().contains("[BreakerTwoWindows]"), override.get());
    }
}
