package dev.resilient.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A seeded generator of <em>broken user code</em>: what a user has in the editor halfway through a
 * change. Each compilation holds several valid annotated interfaces (synchronous, asynchronous,
 * {@code void} and generic-returning methods, interface- and method-level policies, fallbacks to
 * default methods, one functional interface) and a class that builds each wrapper (passing a lambda
 * to one, declaring an anonymous class). Then one or two seeded {@link Mutation}s break it as javac
 * sees it: types that do not exist in parameters, returns, {@code throws}, type arguments, bounds,
 * {@code extends} and {@code Class[]} attributes; attribute values of the wrong type (a
 * {@code retryOn} that is no {@code Throwable} among them), naming a constant that does not exist,
 * or unknown attributes; unknown and repeated annotations; a fallback or {@code retryOnResult}
 * method whose signature names a missing type; a default method body that does not compile; a
 * missing import of one of our annotations; a duplicated method; an annotated interface nested in
 * a class that extends a missing type; a syntax error in another file; a class calling a wrapper's
 * constructor wrongly. A few mutations are near misses that javac accepts (a
 * constant expression, an existing constant) and must compile cleanly.
 *
 * <p>It holds, for every compilation:
 * <ol>
 *   <li>it fails when a mutation is a javac error, and succeeds without a diagnostic (under
 *       {@code -Xlint:all}) when every mutation is legal;</li>
 *   <li>nothing crashed: no exception out of javac or the processor, no
 *       {@code [ResilientInternalError]}, no "uncaught exception" or compiler-crash text, no error
 *       or warning without a source location;</li>
 *   <li>no diagnostic is located in a generated {@code Resilient*.java};</li>
 *   <li>javac's own error for each planted mistake is still reported, in the file that has it,
 *       where javac reports it without our processor too (see {@link #mustBeReported}: a syntax
 *       error hides every other mistake, and javac attributes no code once processors ran and a
 *       missing type remains, with a processor that does nothing alike); each interface the
 *       mutations did not touch still gets its wrapper, unless a mutation stops javac before
 *       annotation processing (a syntax error, a value of the wrong type, a repeated annotation,
 *       a duplicate method: {@link Phase#ENTER}); and when only code in bodies is broken, the
 *       processor reports nothing;</li>
 *   <li>no diagnostic is reported twice at one place with one text.</li>
 * </ol>
 *
 * <p>{@code -Dresilient.broken.seed=N} starts at another seed, {@code -Dresilient.broken.cases=N}
 * runs more compilations; a failure prints the seed and the sources that replay it.
 */
class BrokenSourceFuzzTest {
    private static final long SEED = Long.getLong("resilient.broken.seed", 2_024L);
    private static final int CASES = Integer.getInteger("resilient.broken.cases", 100);
    private static final List<String> OPTIONS = List.of("-Xlint:all");
    private static final String PKG = "test";

    @TestFactory
    Stream<DynamicTest> brokenSourcesGetJavacsErrorsAndNeverACrashOrAnErrorInGeneratedCode() {
        return IntStream.range(0, CASES).mapToObj(i -> SEED + i)
                .map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> check(Batch.generate(seed))));
    }

    /**
     * The same batches, with another processor that generates {@code test.Missing} (an unchecked
     * exception) in the first round, as a processor generating a user's types would: every
     * interface that waited for it is read again in a later round, against a type that now
     * exists but may fit nowhere ({@code interface Api extends Missing}). Only what holds
     * whatever javac then reports: nothing crashes, nothing is located in a generated file or
     * reported twice.
     */
    @TestFactory
    Stream<DynamicTest> brokenSourcesWhoseMissingTypeIsGeneratedLaterNeverGetADiagnosticInGeneratedCode() {
        return IntStream.range(0, Math.max(1, CASES / 3)).mapToObj(i -> SEED + i).map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
            Batch batch = Batch.generate(seed);
            compileWithoutCrash(batch, replay(batch, "brokenSourcesWhoseMissingType*"), new RoundsAndFailuresTest.TokenGenerator(
                    PKG + ".Missing", "package " + PKG + "; public class Missing extends RuntimeException {"
                            + " private static final long serialVersionUID = 1L; }"), new ResilientProcessor());
        }));
    }

    /**
     * Seeds 2042 and 2082 found the bound: the wrapper of {@code Api2<T extends Missing>} repeated
     * the bound, and javac reported the missing type in {@code ResilientApi2.java}. Only a type
     * that did not resolve at the top of a signature deferred the interface; one inside a type
     * argument, a bound or an {@code extends} clause got a wrapper that could not compile.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "<T extends Missing> { @Retryable String get(T key); }",
        "<T extends java.util.List<Missing>> { @Retryable String get(T key); }",
        "{ @Retryable String find(java.util.List<Missing> keys); }",
        "{ @Retryable java.util.Map<String, Missing[]> all(); }",
        "{ @Retryable java.util.concurrent.CompletionStage<Missing> fetch(); }",
        "{ @Retryable <T extends Comparable<T>> String max(java.util.List<? extends Missing> values, T bound); }",
        "extends java.util.function.Supplier<Missing> { @Retryable String get(String key); }",
        "extends Missing { @Retryable String get(String key); }",
    })
    void anInterfaceWithATypeThatDoesNotResolveAnywhereGetsNoWrapperButJavacsError(String rest) {
        JavaFileObject broken = Compiled.source("test.Broken", "package test;", "import dev.resilient.annotations.*;",
                "public interface Broken " + rest);
        JavaFileObject fine = Compiled.source("test.Fine", "package test;", "import dev.resilient.annotations.*;",
                "@Retryable", "public interface Fine { String get(); }");
        Set<String> wrapped = new HashSet<>();

        Compilation compilation = javac().withProcessors(new ResilientProcessor(model -> wrapped.add(model.qualifiedName())))
                .withOptions(OPTIONS).compile(broken, fine);

        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(broken);
        assertThat(compilation).hadErrorContaining("[ResilientUnresolvedType] test.Broken").inFile(broken)
                .onLineContaining("public interface Broken");
        for (Diagnostic<? extends JavaFileObject> diagnostic : compilation.diagnostics()) {
            assertTrue(diagnostic.getSource() == null || !generated(diagnostic), diagnostic::toString);
        }
        assertEquals(Set.of("test.ResilientFine"), wrapped);
    }

    /** A processor that does nothing: what javac reports when processors run at all. */
    @SupportedAnnotationTypes("*")
    static final class Idle extends AbstractProcessor {
        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            return false;
        }
    }

    /**
     * Seed 50072 and others: with a missing constant (or type) in one interface, javac did not
     * report a broken default method body in another, nor a wrong constructor call. That is javac's
     * policy, not ours: once processors ran and an error remains, it attributes no code, and a
     * processor that does nothing hides those errors alike. We add our error on the interface and
     * hide nothing more.
     */
    @Test
    void aMissingConstantHidesNoMoreOfJavacsErrorsThanAProcessorThatDoesNothing() {
        JavaFileObject[] sources = {
            Compiled.source("test.Settled", "package test;", "import dev.resilient.annotations.*;",
                    "public interface Settled {", "    @Retryable(maxAttempts = Limits.MIN)", "    String get();", "}"),
            Compiled.source("test.Limits", "package test;", "final class Limits { static final int MAX = 3; }"),
            Compiled.source("test.Helper", "package test;", "import dev.resilient.annotations.*;",
                    "public interface Helper {", "    @Timeout(\"1s\")", "    String get();",
                    "    default String length(String text) { return text.length(); }", "}"),
            Compiled.source("test.Use", "package test;", "final class Use {",
                    "    Object helper = new ResilientHelper(null, 1, 2);", "}"),
        };
        Compilation idle = javac().withProcessors(new Idle()).withOptions(OPTIONS).compile(sources);
        Compilation ours = javac().withProcessors(new ResilientProcessor()).withOptions(OPTIONS).compile(sources);

        assertThat(ours).hadErrorContaining("cannot find symbol").inFile(sources[0]).onLineContaining("Limits.MIN");
        assertThat(ours).hadErrorContaining("[ResilientUnresolvedType] test.Settled").inFile(sources[0]);
        assertEquals(javacErrors(idle), javacErrors(ours));
    }

    private static List<String> javacErrors(Compilation compilation) {
        return compilation.errors().stream().filter(error -> !error.getMessage(Locale.ROOT).startsWith("[Resilient"))
                .map(error -> fileOf(error) + ":" + error.getLineNumber() + ": " + error.getMessage(Locale.ROOT)).toList();
    }

    // ---------------------------------------------------------------- the properties

    static void check(Batch batch) {
        String replay = replay(batch, "brokenSources*");
        // What the processor hands its writer, failed compilations included (their generated files cannot be read).
        Set<String> wrapped = new HashSet<>();
        Compilation compilation = compileWithoutCrash(batch, replay, new ResilientProcessor(model -> wrapped.add(model.qualifiedName())));
        List<Diagnostic<? extends JavaFileObject>> diagnostics = compilation.diagnostics();
        List<Mutation> errors = batch.mutations.stream().filter(mutation -> mutation.expected != null).toList();
        if (errors.isEmpty()) {
            assertTrue(diagnostics.stream().allMatch(diagnostic -> diagnostic.getKind() == Diagnostic.Kind.NOTE),
                    () -> "legal mutations must compile cleanly, got " + diagnostics + "\n" + replay);
        } else {
            assertTrue(compilation.status() == Compilation.Status.FAILURE, () -> "javac accepted " + errors + "\n" + replay);
            if (errors.stream().allMatch(mutation -> mutation.phase() == Phase.BODY)) {
                // Nothing the processor reads is broken: it has nothing to say.
                assertTrue(compilation.errors().stream().noneMatch(error -> error.getMessage(Locale.ROOT).startsWith("[Resilient")),
                        () -> "a processor error for valid interfaces: " + compilation.errors() + "\n" + replay);
            }
            for (Mutation mutation : errors) {
                if (!mustBeReported(mutation, batch)) {
                    continue;
                }
                Pattern expected = Pattern.compile(mutation.expected);
                boolean reported = compilation.errors().stream().anyMatch(error -> fileOf(error).equals(mutation.file + ".java")
                        && expected.matcher(error.getMessage(Locale.ROOT)).find());
                assertTrue(reported, () -> "javac's '" + mutation.expected + "' for " + mutation + " is missing from "
                        + compilation.errors() + "\n" + replay);
            }
        }
        if (batch.mutations.stream().noneMatch(Mutation::stopsProcessing)) {
            for (Iface iface : batch.ifaces) {
                if (!batch.touched(iface)) {
                    assertTrue(wrapped.contains(PKG + ".Resilient" + iface.name),
                            () -> "no wrapper for the intact " + iface.name + ", only for " + wrapped + "; "
                                    + diagnostics + "\n" + replay);
                }
            }
        }
    }

    /**
     * Javac's own warning, under {@code -Xlint:all} on JDK 25 (not 17), that no processor claimed an
     * annotation that does not resolve ({@code @Nullable} without its import, or ours without
     * theirs): it has no location by design, and comes whatever processor runs.
     */
    private static boolean unclaimedAnnotations(Diagnostic<? extends JavaFileObject> diagnostic) {
        return diagnostic.getKind() == Diagnostic.Kind.WARNING && diagnostic.getSource() == null
                && diagnostic.getMessage(Locale.ROOT).contains("No processor claimed any of these annotations:");
    }

    private static String replay(Batch batch, String test) {
        return "replay with -Dresilient.broken.seed=" + batch.seed + " -Dresilient.broken.cases=1"
                + " -Dtest='BrokenSourceFuzzTest#" + test + "'\n" + batch.describe();
    }

    /**
     * Compiles the batch with {@code processors} and asserts properties 2, 3 and 5: no crash, no
     * diagnostic without a location or in a generated file, none twice.
     */
    private static Compilation compileWithoutCrash(Batch batch, String replay, Processor... processors) {
        Compilation compilation;
        try {
            compilation = javac().withProcessors(processors).withOptions(OPTIONS).compile(batch.files());
        } catch (RuntimeException crash) {
            throw new AssertionError("javac or the processor crashed; " + replay, crash);
        }
        Map<String, Integer> seen = new HashMap<>();
        for (Diagnostic<? extends JavaFileObject> diagnostic : compilation.diagnostics()) {
            String message = diagnostic.getMessage(Locale.ROOT);
            for (String crash : List.of("[ResilientInternalError]", "uncaught exception", "AssertionError",
                    "An exception has occurred in the compiler", "compiler crash", "NullPointerException",
                    "ClassCastException")) {
                assertTrue(!message.contains(crash), () -> "a crash: " + diagnostic + "\n" + replay);
            }
            if (diagnostic.getKind() == Diagnostic.Kind.NOTE || unclaimedAnnotations(diagnostic)) {
                continue;
            }
            assertTrue(diagnostic.getSource() != null, () -> "a diagnostic without a location: " + diagnostic + "\n" + replay);
            assertTrue(!generated(diagnostic), () -> "a diagnostic in generated code: " + diagnostic + "\n" + replay);
            String place = fileOf(diagnostic) + ":" + diagnostic.getLineNumber() + ":" + diagnostic.getColumnNumber() + " " + message;
            assertTrue(seen.merge(place, 1, Integer::sum) == 1, () -> "reported twice: " + place + "\n" + replay);
        }
        return compilation;
    }

    /**
     * Whether javac reports {@code mutation}'s mistake whatever else is broken: not when a syntax
     * error stops it first; not in code it attributes (a body, a constructor call) when another
     * mistake stopped it before processing or left a missing type after it (javac attributes no
     * code once processors ran and an error remains, whatever they did: a processor that does
     * nothing hides such errors alike; and without wrappers a constructor call is a missing
     * symbol); and not
     * a duplicate of a method whose signature does not resolve (javac compares no erroneous
     * signatures, with or without a processor); nor anything about an annotation whose import is
     * missing.
     */
    private static boolean mustBeReported(Mutation mutation, Batch batch) {
        List<Mutation> others = batch.mutations.stream().filter(other -> other != mutation).toList();
        if (mutation.phase() != Phase.PARSE && others.stream().anyMatch(other -> other.phase() == Phase.PARSE)) {
            return false;
        }
        if (mutation.phase() == Phase.BODY && others.stream().anyMatch(other -> other.phase().compareTo(Phase.RECOVERABLE) <= 0
                && other.phase() != Phase.NONE)) {
            return false;
        }
        if (mutation.what().equals(DUPLICATE) && others.stream().anyMatch(other -> other.file().equals(mutation.file()))) {
            return false;
        }
        // An annotation whose type does not resolve has no values or repetitions for javac to check.
        return !mutation.inOurAnnotation()
                || others.stream().noneMatch(other -> other.what().equals(MISSING_IMPORT) && other.file().equals(mutation.file()));
    }

    private static boolean generated(Diagnostic<? extends JavaFileObject> diagnostic) {
        return diagnostic.getSource().toUri().toString().contains("SOURCE_OUTPUT") || fileOf(diagnostic).startsWith("Resilient");
    }

    private static String fileOf(Diagnostic<? extends JavaFileObject> diagnostic) {
        return diagnostic.getSource() == null ? "" : Path.of(diagnostic.getSource().getName()).getFileName().toString();
    }

    // ---------------------------------------------------------------- the valid starting point

    /** One method of an interface, as text to mutate: annotations, return type, name, parameters, throws, body. */
    static final class Method {
        final List<String> annotations = new ArrayList<>();
        String typeParameters = "";
        String returns;
        final String name;
        final List<String> parameterTypes = new ArrayList<>();
        final List<String> thrown = new ArrayList<>();
        /** A default method's body, or null for an abstract one. */
        String body;

        Method(String returns, String name, List<String> parameterTypes) {
            this.returns = returns;
            this.name = name;
            this.parameterTypes.addAll(parameterTypes);
        }

        boolean isAbstract() {
            return body == null;
        }

        boolean async() {
            return returns.startsWith("CompletionStage<");
        }

        String parameters() {
            return IntStream.range(0, parameterTypes.size()).mapToObj(i -> parameterTypes.get(i) + " p" + i)
                    .collect(Collectors.joining(", "));
        }

        String render() {
            StringBuilder text = new StringBuilder();
            annotations.forEach(annotation -> text.append("    ").append(annotation).append('\n'));
            text.append("    ").append(body == null ? "" : "default ").append(typeParameters.isEmpty() ? "" : typeParameters + " ")
                    .append(returns).append(' ').append(name).append('(').append(parameters()).append(')');
            if (!thrown.isEmpty()) {
                text.append(" throws ").append(String.join(", ", thrown));
            }
            text.append(body == null ? ";" : " { " + body + " }").append('\n');
            return text.toString();
        }

        Method copy() {
            Method copy = new Method(returns, name, parameterTypes);
            copy.annotations.addAll(annotations);
            copy.typeParameters = typeParameters;
            copy.thrown.addAll(thrown);
            copy.body = body;
            return copy;
        }
    }

    /** One annotated interface of the package, as text to mutate. */
    static final class Iface {
        final String name;
        final List<String> imports = new ArrayList<>(List.of("dev.resilient.annotations.*", "java.util.List",
                "java.util.concurrent.CompletionStage"));
        final List<String> annotations = new ArrayList<>();
        String typeParameters = "";
        final List<String> supertypes = new ArrayList<>();
        final List<Method> methods = new ArrayList<>();
        /** Whether it has one abstract method, so the user class passes a lambda to its wrapper. */
        boolean functional;

        Iface(String name) {
            this.name = name;
        }

        String render() {
            StringBuilder text = new StringBuilder("package " + PKG + ";\n\n");
            imports.forEach(imported -> text.append("import ").append(imported).append(";\n"));
            text.append('\n');
            annotations.forEach(annotation -> text.append(annotation).append('\n'));
            text.append("public interface ").append(name).append(typeParameters);
            if (!supertypes.isEmpty()) {
                text.append(" extends ").append(String.join(", ", supertypes));
            }
            text.append(" {\n");
            methods.forEach(method -> text.append(method.render()));
            return text.append("}\n").toString();
        }

        List<Method> abstractMethods() {
            return methods.stream().filter(Method::isAbstract).toList();
        }
    }

    /** The valid interfaces, the class that uses their wrappers, other files, and what was broken. */
    static final class Batch {
        final long seed;
        final List<Iface> ifaces = new ArrayList<>();
        /** Extra files by simple name: a constants class, a file with a syntax error. */
        final Map<String, String> others = new LinkedHashMap<>();
        /** Lines of the user class's {@code use()} body, one per wrapper built. */
        final List<String> uses = new ArrayList<>();
        final List<Mutation> mutations = new ArrayList<>();
        private final Set<Method> mutated = new HashSet<>();

        private Batch(long seed) {
            this.seed = seed;
        }

        static Batch generate(long seed) {
            // Random's first values follow its seed closely; consecutive seeds must differ from the start.
            Random random = new Random(new SplittableRandom(seed).nextLong());
            Batch batch = new Batch(seed);
            int count = 3 + random.nextInt(2);
            for (int i = 0; i < count; i++) {
                batch.ifaces.add(i == 0 ? functional(random) : iface(random, "Api" + i));
            }
            for (Iface iface : batch.ifaces) {
                String delegate = iface.functional ? "() -> \"lambda\"" : "delegate" + iface.name;
                batch.uses.add("        " + iface.name + " " + lower(iface.name) + " = new Resilient" + iface.name + "(" + delegate
                        + (random.nextBoolean() ? ", context" : "") + ");");
            }
            int mutations = random.nextInt(3) == 0 ? 2 : 1;
            for (int i = 0; i < mutations; i++) {
                MUTATIONS.get(random.nextInt(MUTATIONS.size())).apply(batch, random);
            }
            return batch;
        }

        boolean touched(Iface iface) {
            return mutations.stream().anyMatch(mutation -> mutation.file.equals(iface.name));
        }

        String userClass() {
            StringBuilder text = new StringBuilder("package " + PKG + ";\n\nimport dev.resilient.runtime.ResilienceContext;\n\n")
                    .append("final class Use {\n    private Use() {}\n\n    static Object use(ResilienceContext context");
            for (Iface iface : ifaces) {
                if (!iface.functional) {
                    text.append(", ").append(iface.name).append(" delegate").append(iface.name);
                }
            }
            text.append(") {\n");
            uses.forEach(line -> text.append(line).append('\n'));
            text.append("        Object marker = new Object() {\n            @Override\n            public String toString() {\n")
                    .append("                return \"anonymous\";\n            }\n        };\n")
                    .append("        return java.util.List.of(marker");
            ifaces.forEach(iface -> text.append(", ").append(lower(iface.name)));
            return text.append(");\n    }\n}\n").toString();
        }

        Map<String, String> sources() {
            Map<String, String> sources = new LinkedHashMap<>();
            ifaces.forEach(iface -> sources.put(iface.name, iface.render()));
            sources.put("Use", userClass());
            sources.putAll(others);
            return sources;
        }

        List<JavaFileObject> files() {
            return sources().entrySet().stream()
                    .map(source -> Compiled.source(PKG + "." + source.getKey(), source.getValue().split("\n", -1)))
                    .toList();
        }

        /**
         * An abstract method of {@code iface} that no mutation has changed yet, so that a second
         * mutation does not undo the first (both replacing one {@code @Retryable}, say); any
         * abstract method when there is none (only mutations that cannot undo another's ask then).
         */
        Method untouchedMethod(Iface iface, Random random) {
            List<Method> untouched = iface.abstractMethods().stream().filter(method -> !mutated.contains(method)).toList();
            List<Method> candidates = untouched.isEmpty() ? iface.abstractMethods() : untouched;
            Method method = candidates.get(random.nextInt(candidates.size()));
            mutated.add(method);
            return method;
        }

        Iface pickWithUntouchedMethod(Random random) {
            List<Iface> candidates = ifaces.stream()
                    .filter(iface -> iface.abstractMethods().stream().anyMatch(method -> !mutated.contains(method))).toList();
            return candidates.get(random.nextInt(candidates.size()));
        }

        Iface pick(Random random) {
            return ifaces.get(random.nextInt(ifaces.size()));
        }

        String describe() {
            StringBuilder text = new StringBuilder("mutations: " + mutations + "\n");
            sources().forEach((name, source) -> text.append("// ").append(name).append(".java\n").append(source));
            return text.toString();
        }
    }

    private static String lower(String name) {
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static final List<String> RETRIES = List.of("@Retryable", "@Retryable(maxAttempts = 2, delay = \"10ms\")",
            "@Retryable(maxAttempts = 4, delay = \"0\", retryOn = java.io.IOException.class)",
            "@Retryable(abortOn = {IllegalStateException.class, UnsupportedOperationException.class})");
    private static final List<String> OTHERS = List.of("@Timeout(\"1s\")", "@Bulkhead(maxConcurrent = 2)",
            "@Breaker(failureThreshold = 3)", "@RateLimit(permits = 20)", "@RetryBudget");

    /** {@code Api0}: one abstract method, so the user class passes a lambda to its wrapper. */
    private static Iface functional(Random random) {
        Iface iface = new Iface("Api0");
        iface.functional = true;
        iface.annotations.add(RETRIES.get(random.nextInt(RETRIES.size())));
        iface.methods.add(new Method("String", "get", List.of()));
        if (random.nextBoolean()) {
            Method describe = new Method("String", "describe", List.of());
            describe.body = "return \"api0:\" + get();";
            iface.methods.add(describe);
        }
        return iface;
    }

    private static Iface iface(Random random, String name) {
        Iface iface = new Iface(name);
        if (random.nextBoolean()) {
            iface.annotations.add(random.nextBoolean() ? RETRIES.get(random.nextInt(RETRIES.size())) : "@Breaker(name = \"" + lower(name) + "\")");
        }
        int methods = 2 + random.nextInt(3);
        for (int i = 0; i < methods; i++) {
            Method method = switch (random.nextInt(4)) {
                case 0 -> new Method("String", "find" + i, List.of("String", "int"));
                case 1 -> new Method("CompletionStage<String>", "fetch" + i, List.of("String"));
                case 2 -> new Method("List<Integer>", "list" + i, List.of("long"));
                default -> new Method("void", "send" + i, List.of("String"));
            };
            if (random.nextBoolean()) {
                method.thrown.add("java.io.IOException");
            }
            if (random.nextInt(3) > 0 || iface.annotations.isEmpty() && i == 0) {
                method.annotations.add(random.nextBoolean() ? RETRIES.get(random.nextInt(RETRIES.size())) : OTHERS.get(random.nextInt(OTHERS.size())));
            }
            iface.methods.add(method);
            if (!method.returns.equals("void") && random.nextInt(3) == 0) {
                iface.methods.add(fallbackFor(method));
            }
        }
        return iface;
    }

    /** Puts {@code @Fallback} on {@code method} and gives the default method it names. */
    private static Method fallbackFor(Method method) {
        String name = method.name + "Fallback";
        method.annotations.add(0, "@Fallback(\"" + name + "\")");
        List<String> parameters = new ArrayList<>(method.parameterTypes);
        parameters.add("Throwable");
        Method fallback = new Method(method.returns, name, parameters);
        fallback.body = "return " + switch (method.returns) {
            case "String" -> "\"fallback\"";
            case "List<Integer>" -> "List.of()";
            default -> "java.util.concurrent.CompletableFuture.completedFuture(\"fallback\")";
        } + ";";
        return fallback;
    }

    // ---------------------------------------------------------------- the mutations

    /** Where javac finds a mistake, which decides what else it still reports. */
    enum Phase {
        /** Legal: nothing to find. */
        NONE,
        /** Parsing: javac enters nothing, runs no processor and reports no other mistake. */
        PARSE,
        /**
         * Entering: annotation values and members are checked before processing, and an error
         * there (a value of the wrong type, a repeated annotation, a duplicate method) is not one
         * javac recovers from by running processors, as it does for a missing type.
         */
        ENTER,
        /** A missing type or constant: javac runs the processors (another might generate it) and reports it after. */
        RECOVERABLE,
        /**
         * Attributing code (a default method's body, a constructor call): javac gets there only
         * when no processor reported an error (see the class comment).
         */
        BODY
    }

    /**
     * What one mutation did: the file it broke, a pattern of javac's error that must be reported in
     * it (null when the mutation is legal), the phase in which javac finds it, and whether it is
     * inside one of our annotations (whose type a missing import leaves unresolved).
     */
    record Mutation(String what, String file, String expected, Phase phase, boolean inOurAnnotation) {
        Mutation(String what, String file, String expected, Phase phase) {
            this(what, file, expected, phase, false);
        }

        /** The same mistake, inside a value or repetition of one of our annotations. */
        Mutation insideOurAnnotation() {
            return new Mutation(what, file, expected, phase, true);
        }

        boolean stopsProcessing() {
            return phase == Phase.PARSE || phase == Phase.ENTER;
        }

        @Override
        public String toString() {
            return what + " in " + file + (expected == null ? " (legal)" : "");
        }
    }

    @FunctionalInterface
    interface Mutator {
        void apply(Batch batch, Random random);
    }

    private static Mutator onMethod(String what, String expected, Consumer<Method> change) {
        return (batch, random) -> {
            Iface iface = batch.pickWithUntouchedMethod(random);
            change.accept(batch.untouchedMethod(iface, random));
            batch.mutations.add(new Mutation(what, iface.name, expected, expected == null ? Phase.NONE : Phase.RECOVERABLE));
        };
    }

    /** Adds {@code annotation} to an abstract method (or the interface), recorded as {@code what}. */
    private static Mutator annotate(String what, String expected, String annotation) {
        return (batch, random) -> {
            Iface iface = batch.pickWithUntouchedMethod(random);
            if (random.nextInt(3) == 0) {
                iface.annotations.add(annotation);
            } else {
                batch.untouchedMethod(iface, random).annotations.add(annotation);
            }
            batch.mutations.add(new Mutation(what, iface.name, expected, expected == null ? Phase.NONE : Phase.RECOVERABLE));
        };
    }

    /** Replaces a method's annotation of that kind (or adds one) with {@code annotation}. */
    private static Mutator replace(String what, String expected, String annotation) {
        String kind = annotation.substring(0, annotation.indexOf('('));
        Mutator change = onMethod(what, expected, method -> {
            method.annotations.removeIf(existing -> existing.equals(kind) || existing.startsWith(kind + "("));
            method.annotations.add(annotation);
        });
        return (batch, random) -> {
            change.apply(batch, random);
            batch.mutations.add(batch.mutations.remove(batch.mutations.size() - 1).insideOurAnnotation());
        };
    }

    /** {@code mutator}, whose mistake javac finds while {@linkplain Phase#ENTER entering} the sources. */
    private static Mutator stopping(Mutator mutator) {
        return (batch, random) -> {
            mutator.apply(batch, random);
            Mutation last = batch.mutations.remove(batch.mutations.size() - 1);
            batch.mutations.add(new Mutation(last.what(), last.file(), last.expected(), Phase.ENTER, last.inOurAnnotation()));
        };
    }

    private static final String MISSING = "cannot find symbol";
    private static final String DUPLICATE = "a duplicate method";
    private static final String MISSING_IMPORT = "a missing import of one of our annotations";

    static final List<Mutator> MUTATIONS = List.of(
            onMethod("a parameter of a misspelt type", MISSING, method -> {
                method.parameterTypes.add("Strin");
            }),
            onMethod("a return type that does not exist", MISSING, method -> method.returns = method.async()
                    ? "CompletionStage<Missing>" : "Strin"),
            onMethod("a misspelt checked exception", MISSING, method -> method.thrown.add("java.io.IOExeption")),
            onMethod("a missing type argument", MISSING, method -> method.parameterTypes.add("List<Missing>")),
            onMethod("a generic method bounded by a missing type", MISSING, method -> {
                method.typeParameters = "<T extends Missing>";
                method.parameterTypes.add("T");
            }),
            replace("retryOn a missing class", MISSING, "@Retryable(retryOn = Missing.class)"),
            replace("abortOn with a missing class", MISSING, "@Retryable(abortOn = {java.io.IOException.class, Missing.class})"),
            stopping(replace("maxAttempts as a string", "incompatible types", "@Retryable(maxAttempts = \"3\")")),
            stopping(replace("delay as a number", "incompatible types", "@Retryable(delay = 200)")),
            stopping(replace("maxConcurrent as a double", "incompatible types", "@Bulkhead(maxConcurrent = 1.5)")),
            replace("a constant of a missing class", MISSING, "@Retryable(maxAttempts = Settings.MAX)"),
            replace("an unknown attribute", MISSING, "@Retryable(attempts = 3)"),
            replace("a legal constant expression", null, "@Retryable(delay = \"1\" + \"0ms\", maxAttempts = 1 + 2)"),
            (batch, random) -> {
                batch.others.put("Limits", "package " + PKG + ";\n\nfinal class Limits {\n    static final int MAX = 3;\n"
                        + "    private Limits() {}\n}\n");
                boolean missing = random.nextBoolean();
                Mutator mutator = replace(missing ? "a missing constant of an existing class" : "an existing constant",
                        missing ? MISSING : null, "@Breaker(failureThreshold = Limits." + (missing ? "MIN" : "MAX") + ")");
                mutator.apply(batch, random);
            },
            annotate("an annotation that does not exist", MISSING, "@Nullable"),
            annotate("a legal foreign annotation", null, "@SuppressWarnings(\"unchecked\")"),
            (batch, random) -> {
                Iface iface = batch.pickWithUntouchedMethod(random);
                Method method = batch.untouchedMethod(iface, random);
                method.annotations.add(method.annotations.isEmpty() ? "@Timeout(\"1s\")" : method.annotations.get(0));
                method.annotations.add(method.annotations.get(method.annotations.size() - 1));
                batch.mutations.add(new Mutation("a repeated annotation", iface.name, "not a repeatable annotation", Phase.ENTER).insideOurAnnotation());
            },
            (batch, random) -> {
                Iface iface = batch.pickWithUntouchedMethod(random);
                Method method = batch.untouchedMethod(iface, random);
                if (method.returns.equals("void")) {
                    method.returns = "String";
                }
                method.annotations.removeIf(annotation -> annotation.startsWith("@Fallback"));
                Method fallback = fallbackFor(method);
                fallback.parameterTypes.set(fallback.parameterTypes.size() - 1, random.nextBoolean() ? "MissingFailure" : "Throwable");
                if (fallback.parameterTypes.get(fallback.parameterTypes.size() - 1).equals("Throwable")) {
                    fallback.returns = "Missing";
                }
                iface.methods.removeIf(other -> other.name.equals(fallback.name));
                iface.methods.add(fallback);
                batch.mutations.add(new Mutation("a fallback whose signature names a missing type", iface.name, MISSING, Phase.RECOVERABLE));
            },
            (batch, random) -> {
                Iface iface = batch.pick(random);
                Method helper = new Method("String", "helper" + batch.mutations.size(), List.of("String"));
                boolean undefined = random.nextBoolean();
                helper.body = undefined ? "return undefined(p0);" : "return p0.length();";
                if (random.nextBoolean()) {
                    helper.annotations.add("@Timeout(\"1s\")");
                }
                iface.methods.add(helper);
                batch.mutations.add(new Mutation("a default method body that does not compile", iface.name,
                        undefined ? MISSING : "incompatible types", Phase.BODY));
            },
            (batch, random) -> {
                Iface iface = batch.pick(random);
                iface.imports.remove("dev.resilient.annotations.*");
                String kept = random.nextBoolean() ? "Retryable" : "Breaker";
                iface.imports.add("dev.resilient.annotations." + kept);
                iface.annotations.add("@Timeout(\"2s\")");
                batch.mutations.add(new Mutation(MISSING_IMPORT, iface.name, MISSING, Phase.RECOVERABLE));
            },
            (batch, random) -> {
                Iface iface = batch.pick(random);
                iface.supertypes.add(random.nextBoolean() ? "Missing" : "java.util.function.Supplier<Missing>");
                batch.mutations.add(new Mutation("extends a missing interface", iface.name, MISSING, Phase.RECOVERABLE));
            },
            (batch, random) -> {
                Iface iface = batch.pick(random);
                iface.typeParameters = "<T extends Missing>";
                iface.abstractMethods().get(0).parameterTypes.add("T");
                batch.uses.replaceAll(line -> line.replace(" " + iface.name + " ", " " + iface.name + "<?> ")
                        .replace("new Resilient" + iface.name + "(", "new Resilient" + iface.name + "<>("));
                batch.mutations.add(new Mutation("a type parameter bounded by a missing type", iface.name, MISSING, Phase.RECOVERABLE));
            },
            (batch, random) -> {
                Iface iface = batch.pick(random);
                List<Method> methods = iface.abstractMethods();
                iface.methods.add(methods.get(random.nextInt(methods.size())).copy());
                batch.mutations.add(new Mutation(DUPLICATE, iface.name, "is already defined", Phase.ENTER));
            },
            (batch, random) -> {
                batch.others.put("Draft", "package " + PKG + ";\n\nfinal class Draft {\n    void half(String s {\n    }\n}\n");
                batch.mutations.add(new Mutation("a syntax error in another file", "Draft", "expected", Phase.PARSE));
            },
            (batch, random) -> {
                int line = random.nextInt(batch.uses.size());
                Iface iface = batch.ifaces.get(line);
                String wrong = switch (random.nextInt(3)) {
                    case 0 -> "()";
                    case 1 -> "(\"not a delegate\")";
                    default -> "(null, context, 3)";
                };
                batch.uses.set(line, "        Object " + lower(iface.name) + " = new Resilient" + iface.name + wrong + ";");
                batch.mutations.add(new Mutation("a wrapper's constructor called wrongly", "Use", "constructor|incompatible types", Phase.BODY));
            },
            stopping(replace("retryOn a class that is no Throwable", "incompatible types", "@Retryable(retryOn = String.class)")),
            (batch, random) -> {
                Iface iface = batch.pickWithUntouchedMethod(random);
                Method method = batch.untouchedMethod(iface, random);
                if (method.returns.equals("void")) {
                    method.returns = "String";
                }
                String judge = "rejects" + batch.mutations.size();
                method.annotations.removeIf(annotation -> annotation.startsWith("@Retryable"));
                method.annotations.add("@Retryable(retryOnResult = \"" + judge + "\")");
                Method rejects = new Method("boolean", judge, List.of("Missing"));
                rejects.body = "return p0 == null;";
                iface.methods.add(rejects);
                batch.mutations.add(new Mutation("retryOnResult naming a method of a missing parameter type", iface.name, MISSING,
                        Phase.RECOVERABLE).insideOurAnnotation());
            },
            (batch, random) -> {
                String outer = "Outer" + batch.mutations.size();
                batch.others.put(outer, "package " + PKG + ";\n\nimport dev.resilient.annotations.*;\n\n"
                        + "public class " + outer + " extends MissingBase {\n    @Retryable\n    public interface Inner {\n"
                        + "        String get();\n    }\n}\n");
                batch.mutations.add(new Mutation("a nested interface in a class extending a missing type", outer, MISSING,
                        Phase.RECOVERABLE));
            });
}
