package dev.resilient.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.annotations.Retryable;
import dev.resilient.runtime.ResilienceContext;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor under Eclipse's compiler (ecj), which has its own {@code javax.lang.model} and
 * Filer: the sources compile in one ecj run, in-process through {@code javax.tools}, with the
 * processor instance handed to the task (the Eclipse IDE runs processors the same way).
 */
class EcjCompatibilityTest {
    @TempDir
    static Path dir;

    /** Diagnostics of the run over the clean sources. */
    private static List<Diagnostic<? extends JavaFileObject>> diagnostics;
    private static ClassLoader classes;

    private static final String SHAPES = """
            package hostile;

            import dev.resilient.annotations.Breaker;
            import dev.resilient.annotations.Fallback;
            import dev.resilient.annotations.RateLimit;
            import dev.resilient.annotations.Retryable;
            import dev.resilient.annotations.Timeout;
            import java.io.IOException;
            import java.time.Duration;
            import java.util.List;
            import java.util.Map;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CompletionStage;

            public interface Shapes {
                interface Reads<K> {
                    @Retryable(maxAttempts = 2, delay = "1ms")
                    String read(K key) throws IOException;
                }

                interface Writes<V extends Comparable<? super V>> {
                    @Breaker(failureThreshold = 2, openFor = "1s")
                    void write(V value) throws IOException;

                    default String describe() {
                        return "writes";
                    }
                }

                /** Inherits from two super-interfaces, overloads, generics with bounds, a stage, outcome methods. */
                interface Store<K extends Comparable<K>, V extends Comparable<? super V>> extends Reads<K>, Writes<V> {
                    @Retryable(maxAttempts = 3, delay = "1ms", retryOnResult = "empty", waitFrom = "pause")
                    List<V> list(K from, int limit) throws IOException;

                    @Retryable(maxAttempts = 3, delay = "1ms")
                    List<V> list(K from) throws IOException;

                    <T extends Number & Comparable<T>> T max(Map<K, ? extends T> values);

                    @Timeout("1s")
                    @Fallback("later")
                    CompletionStage<String> async(K key);

                    default CompletionStage<String> later(K key, Throwable failure) {
                        return CompletableFuture.completedFuture("later " + key);
                    }

                    default boolean empty(List<V> values) {
                        return values.isEmpty();
                    }

                    default Duration pause(Throwable failure) {
                        return Duration.ZERO;
                    }

                    @Override
                    default String describe() {
                        return "store";
                    }
                }

                @RateLimit(permits = 5, per = "100ms")
                interface Limited extends Reads<String> {}

                interface Ranked<T extends Comparable<T>> {
                    @Retryable(maxAttempts = 2, delay = "1ms")
                    <U extends T> U best(List<U> candidates) throws IOException;
                }

                /** A method's bound inherited through a parameterised super-interface: U extends Integer here. */
                interface Scores extends Ranked<Integer> {}
            }
            """;

    private static final String FLAKY = """
            package hostile;

            import java.io.IOException;

            /** Fails its first call, answers the next. */
            public final class Flaky implements Shapes.Reads<String> {
                public int calls;

                @Override
                public String read(String key) throws IOException {
                    if (++calls == 1) {
                        throw new IOException("first");
                    }
                    return "read " + key;
                }
            }
            """;

    private static final String PLANTED = """
            package planted;

            import dev.resilient.annotations.Retryable;

            public interface Planted {
                String fine();

                @Retryable(maxAttempts = 2,
                        delay = "soon")
                String broken();
            }
            """;

    @BeforeAll
    static void compile() throws IOException {
        Path golden = write("golden/WeatherClient.java", Files.readString(Path.of("src/test/golden/WeatherClient.java.in")));
        Path shapes = write("hostile/Shapes.java", SHAPES);
        Path flaky = write("hostile/Flaky.java", FLAKY);
        Path out = dir.resolve("classes");
        diagnostics = ecj(out, golden, shapes, flaky);
        classes = new URLClassLoader(new URL[] {out.toUri().toURL()}, EcjCompatibilityTest.class.getClassLoader());
    }

    @Test
    void wrappersAreGeneratedAndCompileClean() {
        assertEquals(List.of(), diagnostics.stream()
                .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
                .filter(d -> !isVarargsToken(d) && !isFinalBound(d))
                .map(EcjCompatibilityTest::describe).toList());
        assertTrue(diagnostics.stream().anyMatch(EcjCompatibilityTest::isFinalBound), "ecj substitutes Scores' bound: <U extends Integer>");
        for (String wrapper : List.of("golden.ResilientWeatherClient", "hostile.ResilientShapes_Reads", "hostile.ResilientShapes_Writes",
                "hostile.ResilientShapes_Store", "hostile.ResilientShapes_Limited",
                "hostile.ResilientShapes_Scores")) {
            assertTrue(Files.isRegularFile(dir.resolve("generated").resolve(wrapper.replace('.', '/') + ".java")), wrapper);
            assertTrue(Files.isRegularFile(dir.resolve("classes").resolve(wrapper.replace('.', '/') + ".class")), wrapper);
        }
    }

    @Test
    void generatedWrapperRetries() throws ReflectiveOperationException {
        Class<?> reads = Class.forName("hostile.Shapes$Reads", true, classes);
        Object flaky = Class.forName("hostile.Flaky", true, classes).getConstructor().newInstance();
        Object wrapper = Class.forName("hostile.ResilientShapes_Reads", true, classes).getConstructor(reads).newInstance(flaky);
        assertEquals("read k", reads.getMethod("read", Object.class).invoke(wrapper, "k"));
        assertEquals(2, flaky.getClass().getField("calls").getInt(flaky));
    }

    @Test
    void plantedMistakeIsReportedOnItsLine() throws IOException {
        Path planted = write("planted/Planted.java", PLANTED);
        List<String> errors = ecj(dir.resolve("planted-classes"), planted).stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(EcjCompatibilityTest::describe).toList();
        assertEquals(List.of("Planted.java:9: [ResilientDuration] delay = \"soon\" is not a duration"),
                errors.stream().map(error -> error.replaceAll(" \\(hint.*", "")).toList());
    }

    /**
     * The one warning left: the failover factory of a generic interface's wrapper is
     * {@code @SafeVarargs @SuppressWarnings("varargs")}, which javac's {@code -Xlint:all -Werror}
     * needs (even a copy of the array is an unsafe use to it) and ecj, which has no such warning,
     * calls an unsupported token. Users silence it with {@code -warn:-warningToken}.
     */
    private static boolean isVarargsToken(Diagnostic<? extends JavaFileObject> d) {
        return d.getKind() == Diagnostic.Kind.WARNING && d.getMessage(Locale.ROOT).equals("Unsupported @SuppressWarnings(\"varargs\")")
                && d.getSource().getName().endsWith(".java") && Path.of(d.getSource().toUri()).startsWith(dir.resolve("generated"));
    }

    /**
     * ecj's {@code finalBound} warning on the wrapper of {@code Scores}: its override of {@code best} must declare
     * {@code <U extends Integer>}, the inherited bound substituted, as a hand-written implementation must (and gets the
     * same warning). Users silence it with {@code -warn:-finalBound}.
     */
    private static boolean isFinalBound(Diagnostic<? extends JavaFileObject> d) {
        return d.getKind() == Diagnostic.Kind.WARNING && d.getSource().getName().endsWith("ResilientShapes_Scores.java")
                && d.getMessage(Locale.ROOT).equals(
                        "The type parameter U should not be bounded by the final type java.lang.Integer. Final types cannot be further extended");
    }

    private static Path write(String name, String text) throws IOException {
        Path file = dir.resolve("sources").resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    /** Compiles {@code sources} with ecj and the processor into {@code out}; its diagnostics. */
    private static List<Diagnostic<? extends JavaFileObject>> ecj(Path out, Path... sources) throws IOException {
        Path generated = dir.resolve("generated");
        Files.createDirectories(out);
        Files.createDirectories(generated);
        JavaCompiler compiler = new EclipseCompiler();
        DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(collector, Locale.ROOT, null)) {
            List<String> options = List.of("--release", "17", "-encoding", "UTF-8",
                    "-classpath", classPath(Retryable.class, ResilienceContext.class),
                    "-d", out.toString(), "-s", generated.toString());
            JavaCompiler.CompilationTask task = compiler.getTask(new StringWriter(), files, collector, options, null,
                    files.getJavaFileObjects(sources));
            task.setProcessors(List.of(new ResilientProcessor()));
            task.call();
        }
        return collector.getDiagnostics();
    }

    /** Where the annotations and the runtime were loaded from: their jars, or their modules' classes. */
    private static String classPath(Class<?>... types) {
        return Stream.of(types).map(type -> {
            try {
                return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.joining(File.pathSeparator));
    }

    private static String describe(Diagnostic<? extends JavaFileObject> d) {
        String file = d.getSource() == null ? "?" : Path.of(d.getSource().toUri()).getFileName().toString();
        return file + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT);
    }
}
