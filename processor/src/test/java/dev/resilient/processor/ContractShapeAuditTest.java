package dev.resilient.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.resilient.processor.Scripted.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.resilient.annotations.Breaker;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Modifier;
import java.lang.reflect.TypeVariable;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONTRACT.md, "The generated class" and the inheritance rules of "Annotations", as an acceptance
 * test would check them.
 */
class ContractShapeAuditTest {
    private final ManualTime time = new ManualTime();
    private final ResilienceContext context = ResilienceContext.builder().time(time).build();

    private Object wrap(Compiled compiled, String iface, String wrapper, Scripted delegate) throws Exception {
        Class<?> type = compiled.load(iface);
        var constructor = compiled.load(wrapper).getConstructor(type, ResilienceContext.class);
        constructor.setAccessible(true);
        return constructor.newInstance(delegate.proxy(type), context);
    }

    /**
     * "An interface p.Foo that carries, on itself or on any method it declares or inherits, at
     * least one annotation ... gets p.ResilientFoo"; "package-private otherwise, mirrors the
     * interface's type parameters".
     */
    @Test
    void anInterfaceAnnotatedOnlyThroughAnInheritedMethodGetsAPackagePrivateGenericWrapper() throws Throwable {
        Compiled compiled = Compiled.strictly(
                Compiled.source("audit.Base",
                        "package audit;",
                        "public interface Base<V> {",
                        "    @dev.resilient.annotations.Retryable(maxAttempts = 2, delay = \"1s\") V get(String key);",
                        "}"),
                Compiled.source("audit.Sub",
                        "package audit;",
                        "interface Sub<K extends Comparable<K>, V> extends Base<V> {",
                        "    V put(K key, V value);",
                        "}"));
        Class<?> wrapper = compiled.load("audit.ResilientSub");
        assertFalse(Modifier.isPublic(wrapper.getModifiers()));
        assertTrue(Modifier.isFinal(wrapper.getModifiers()));
        assertEquals(List.of("K", "V"), Stream.of(wrapper.getTypeParameters()).map(TypeVariable::getName).toList());
        assertTrue(compiled.load("audit.Sub").isAssignableFrom(wrapper));

        Scripted delegate = new Scripted().then(new IllegalStateException("flaky"), "v", "old");
        Object sub = wrap(compiled, "audit.Sub", "audit.ResilientSub", delegate);
        assertEquals("v", call(sub, "get", "k"));
        assertEquals("old", call(sub, "put", "k", "v"), "a method without a policy calls the delegate directly");
        assertEquals(List.of(Duration.ofSeconds(1)), time.sleeps());
    }

    /**
     * "Where only one of them carries an annotation of that kind, it applies (absence is not a
     * conflict)"; "a method's own annotation of the same kind replaces the type's (no merging)".
     */
    @Test
    void aMethodInheritedTwiceTakesTheOneAnnotationAndAMethodsOwnReplacesTheTypes() throws Throwable {
        Compiled compiled = Compiled.strictly(
                Compiled.source("audit.Left",
                        "package audit;",
                        "public interface Left { @dev.resilient.annotations.Retryable(maxAttempts = 3, delay = \"1s\") String get(); }"),
                Compiled.source("audit.Right",
                        "package audit;",
                        "public interface Right { String get(); }"),
                Compiled.source("audit.Both",
                        "package audit;",
                        "import dev.resilient.annotations.Retryable;",
                        "@Retryable(maxAttempts = 5, delay = \"7s\", multiplier = 1.0)",
                        "public interface Both extends Left, Right {",
                        "    @Retryable(maxAttempts = 2, delay = \"2s\") String own();",
                        "    String typed();",
                        "}"));
        Scripted delegate = new Scripted();
        Object both = wrap(compiled, "audit.Both", "audit.ResilientBoth", delegate);
        delegate.then(new IllegalStateException(), new IllegalStateException(), "got");
        assertEquals("got", call(both, "get"));
        delegate.then(new IllegalStateException(), "own");
        assertEquals("own", call(both, "own"));
        delegate.then(new IllegalStateException(), "typed");
        assertEquals("typed", call(both, "typed"));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(7)),
                time.sleeps(), "get: Left's retry; own: its own, not merged with the type's multiplier; typed: the type's");
    }

    /** "Where one method is inherited from two super-interfaces that carry different annotations ... a compile error". */
    @Test
    void twoDifferentAnnotationsOfOneKindOnAnInheritedMethodAreOneErrorOnTheInterface() {
        var sub = Compiled.source("audit.Both",
                "package audit;",
                "public interface Both extends Left, Right {}");
        Compilation compilation = Compiled.compile(List.of(),
                Compiled.source("audit.Left",
                        "package audit;",
                        "public interface Left { @dev.resilient.annotations.Retryable(maxAttempts = 3) String get(); }"),
                Compiled.source("audit.Right",
                        "package audit;",
                        "public interface Right { @dev.resilient.annotations.Retryable(maxAttempts = 4) String get(); }"),
                sub);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[ResilientInheritedConflict]").inFile(sub).onLineContaining("interface Both");
    }

    private static Path jarOf(Class<?> type, Path dir) throws IOException, URISyntaxException {
        Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isRegularFile(location)) {
            return location;
        }
        Path jar = dir.resolve(type.getPackageName() + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out);
                Stream<Path> files = Files.walk(location)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                jarOut.putNextEntry(new JarEntry(location.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, jarOut);
                jarOut.closeEntry();
            }
        }
        return jar;
    }

    /** javac on real files, as a modular build runs it: the interface in module {@code audit.app}, our jars on the module path. */
    private static String compileInModule(Path dir, String requires, List<String> warnings) throws Exception {
        Path annotations = jarOf(Breaker.class, dir);
        Path runtime = jarOf(ResilienceContext.class, dir);
        Path sources = Files.createTempDirectory(dir, "src");
        Files.createDirectories(sources.resolve("audit/app"));
        Files.writeString(sources.resolve("module-info.java"), String.join("\n",
                "module audit.app {",
                "    requires transitive " + moduleName(annotations) + ";",
                "    requires " + moduleName(runtime) + ";",
                requires,
                "    exports audit.app;",
                "}"));
        Files.writeString(sources.resolve("audit/app/Client.java"), String.join("\n",
                "package audit.app;",
                "@dev.resilient.annotations.Retryable(delay = \"0\")",
                "public interface Client { String get(String key); }"));
        Path out = Files.createTempDirectory(dir, "out");
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        javax.tools.DiagnosticCollector<javax.tools.JavaFileObject> diagnostics = new javax.tools.DiagnosticCollector<>();
        try (javax.tools.StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            List<String> options = new ArrayList<>(Compiled.STRICT);
            options.addAll(List.of("-Xlint:-requires-automatic,-requires-transitive-automatic", "--module-path",
                    annotations + java.io.File.pathSeparator + runtime, "-d", out.toString(), "-s", out.toString()));
            var task = javac.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjects(sources.resolve("module-info.java"), sources.resolve("audit/app/Client.java")));
            task.setProcessors(List.of(new ResilientProcessor()));
            boolean ok = task.call();
            diagnostics.getDiagnostics().forEach(diagnostic -> warnings.add(diagnostic.toString()));
            assertTrue(ok, "compiles under -Xlint:all -Werror: " + warnings);
        }
        return Files.readString(out.resolve("audit/app/ResilientClient.java"));
    }

    private static String moduleName(Path jar) {
        return java.lang.module.ModuleFinder.of(jar).findAll().iterator().next().descriptor().name();
    }

    /**
     * "carries @javax.annotation.processing.Generated where that type is accessible to the
     * compilation (not in a named module that lacks java.compiler)" — read through java.se too —
     * and compiles under -Xlint:all -Werror either way, though the module requires neither
     * java.compiler nor the runtime transitively ([exports] warned on the wrapper before).
     */
    @Test
    void inANamedModuleTheWrapperIsGeneratedExactlyWhereTheModuleReadsJavaCompiler(@TempDir Path dir) throws Exception {
        for (String[] module : List.of(
                new String[] {"", "false"},
                new String[] {"    requires java.compiler;", "true"},
                new String[] {"    requires transitive java.compiler;", "true"},
                new String[] {"    requires java.se;", "true"})) {
            List<String> diagnostics = new ArrayList<>();
            String source = compileInModule(dir, module[0], diagnostics);
            assertEquals(List.of(), diagnostics);
            assertEquals(Boolean.parseBoolean(module[1]), source.contains("@Generated("),
                    "module" + module[0] + ": " + source.lines().filter(line -> line.contains("Generated")).toList());
        }
    }

    /** "Null arguments: NullPointerException naming the parameter" — failover's too. */
    @Test
    void failoverNamesItsNullArguments() throws Throwable {
        Compiled compiled = Compiled.strictly("audit.Api",
                "package audit;",
                "@dev.resilient.annotations.Retryable public interface Api { String get(); }");
        Class<?> iface = compiled.load("audit.Api");
        var failover = compiled.load("audit.ResilientApi").getMethod("failover", ResilienceContext.class, iface, iface.arrayType());
        Object one = new Scripted().proxy(iface);
        Object none = java.lang.reflect.Array.newInstance(iface, 0);
        NullPointerException context = (NullPointerException) assertThrows(java.lang.reflect.InvocationTargetException.class,
                () -> failover.invoke(null, null, one, none)).getCause();
        assertThat(context.getMessage()).contains("context");
        NullPointerException primary = (NullPointerException) assertThrows(java.lang.reflect.InvocationTargetException.class,
                () -> failover.invoke(null, this.context, null, none)).getCause();
        assertThat(primary.getMessage()).contains("primary");
    }
}
