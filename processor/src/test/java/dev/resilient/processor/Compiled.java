package dev.resilient.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.function.Executable;

/** Sources compiled with the processor, and a class loader for what came out. */
final class Compiled {
    static final List<String> STRICT = List.of("-Xlint:all", "-Werror");

    final Compilation compilation;
    private final ClassLoader loader;

    private Compiled(Compilation compilation) {
        this.compilation = compilation;
        this.loader = new ClassLoader(Compiled.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                String path = "/" + name.replace('.', '/') + ".class";
                for (JavaFileObject file : compilation.generatedFiles()) {
                    if (file.getKind() == JavaFileObject.Kind.CLASS && file.toUri().getPath().endsWith(path)) {
                        try (InputStream in = file.openInputStream()) {
                            byte[] bytes = in.readAllBytes();
                            return defineClass(name, bytes, 0, bytes.length);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
                throw new ClassNotFoundException(name);
            }
        };
    }

    /** Compiles {@code name} from {@code lines} under {@code -Xlint:all -Werror} and requires success. */
    static Compiled strictly(String name, String... lines) {
        return strictly(source(name, lines));
    }

    /** Compiles {@code sources} together under {@code -Xlint:all -Werror} and requires success. */
    static Compiled strictly(JavaFileObject... sources) {
        return strictly(STRICT, sources);
    }

    /** Compiles {@code sources} together with {@code options} and requires success without a warning. */
    static Compiled strictly(List<String> options, JavaFileObject... sources) {
        Compilation compilation = compile(options, sources);
        assertThat(compilation).succeededWithoutWarnings();
        return new Compiled(compilation);
    }

    /** The classes of a compilation that succeeded, to load. */
    static Compiled of(Compilation compilation) {
        return new Compiled(compilation);
    }

    static Compilation compile(List<String> options, JavaFileObject... sources) {
        return javac().withProcessors(new ResilientProcessor()).withOptions(options).compile(Arrays.asList(sources));
    }

    static JavaFileObject source(String name, String... lines) {
        return JavaFileObjects.forSourceLines(name, lines);
    }

    Class<?> load(String name) {
        try {
            return Class.forName(name, true, loader);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("not generated: " + name + "; generated: " + compilation.generatedFiles(), e);
        }
    }

    /** The generated source of {@code qualifiedName}, as text. */
    String source(String qualifiedName) {
        try {
            JavaFileObject file = compilation.generatedSourceFile(qualifiedName).orElseThrow();
            String text = file.getCharContent(true).toString();
            assertThat(text).isNotEmpty();
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The keys the static {@code overrideKeys()} of the generated {@code wrapper} lists. */
    @SuppressWarnings("unchecked")
    List<String> overrideKeys(String wrapper) throws ReflectiveOperationException {
        return (List<String>) load(wrapper).getMethod("overrideKeys").invoke(null);
    }

    /**
     * Asserts that {@code construction}, which builds a wrapper reflectively, fails with an
     * {@code IllegalArgumentException} whose message contains {@code expected}: an override that
     * breaks a rule, say.
     */
    static void assertConstructionFails(Executable construction, String expected) {
        InvocationTargetException thrown = assertThrows(InvocationTargetException.class, construction);
        IllegalArgumentException problem = assertInstanceOf(IllegalArgumentException.class, thrown.getCause());
        assertTrue(problem.getMessage().contains(expected), problem.getMessage());
    }
}
