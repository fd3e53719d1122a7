package dev.resilient.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deferral across rounds, errors on super-interfaces from jars, and never crashing the compiler. */
class RoundsAndFailuresTest {
    private static final JavaFileObject CLIENT_USING_TOKEN = Compiled.source("test.Client",
            "package test;",
            "import dev.resilient.annotations.*;",
            "@Retryable",
            "public interface Client {",
            "    Token issue(Token previous);",
            "}");

    /** Generates {@code test.Token} in the first round, as another processor would. */
    static final class TokenGenerator extends AbstractProcessor {
        private boolean done;

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("*");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            if (!done) {
                done = true;
                try (Writer writer = processingEnv.getFiler().createSourceFile("test.Token").openWriter()) {
                    writer.write("package test; public final class Token {}");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return false;
        }
    }

    @Test
    void anInterfaceUsingATypeGeneratedLaterIsDeferredUntilItExists() {
        Compilation compilation = javac()
                // First: a "*" processor is not called in a round whose annotations an earlier one claimed.
                .withProcessors(new TokenGenerator(), new ResilientProcessor())
                .withOptions("-Xlint:all,-processing", "-Werror")
                .compile(CLIENT_USING_TOKEN);
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("test.ResilientClient").contentsAsUtf8String()
                .contains("public Token issue(Token previous)");
    }

    @Test
    void aTypeThatNeverAppearsIsReportedInTheLastRound() {
        Compilation compilation = Compiled.compile(List.of(), CLIENT_USING_TOKEN);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("cannot find symbol");
        assertThat(compilation)
                .hadErrorContaining("[ResilientUnresolvedType] test.Client refers to types that could not be resolved")
                .inFile(CLIENT_USING_TOKEN)
                .onLineContaining("public interface Client");
    }

    @Test
    void anUnexpectedExceptionIsOneErrorOnThatInterfaceAndTheOthersAreStillGenerated() {
        List<String> reachedWriting = new ArrayList<>();
        ResilientProcessor buggy = new ResilientProcessor(model -> {
            reachedWriting.add(model.simpleName());
            if (model.simpleName().equals("ResilientBroken")) {
                throw new IllegalStateException("boom");
            }
        });
        JavaFileObject broken = Compiled.source("test.Broken", "package test;", "import dev.resilient.annotations.*;",
                "@Retryable", "public interface Broken { String call(); }");
        JavaFileObject fine = Compiled.source("test.Fine", "package test;", "import dev.resilient.annotations.*;",
                "@Retryable", "public interface Fine { String call(); }");

        Compilation compilation = javac().withProcessors(buggy).compile(broken, fine);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("[ResilientInternalError] internal error while processing test.Broken: java.lang.IllegalStateException: boom")
                .inFile(broken)
                .onLineContaining("public interface Broken");
        // Javac runs no further round after an error, so the written file is not compiled; but
        // the interface after the broken one was still read and handed to the writer.
        assertThat(reachedWriting).containsExactly("ResilientBroken", "ResilientFine").inOrder();
    }

    @Test
    void aBadAnnotationOnAMethodInheritedFromAJarIsReportedOnTheInterfaceNamingTheMethod(@TempDir Path jar) throws IOException {
        Compilation library = javac().compile(Compiled.source("lib.Base", "package lib;", "import dev.resilient.annotations.*;",
                "public interface Base { @Retryable(maxAttempts = 0) String call(); }"));
        assertThat(library).succeeded();
        for (JavaFileObject classFile : library.generatedFiles()) {
            Path target = jar.resolve("lib/Base.class");
            Files.createDirectories(target.getParent());
            try (InputStream in = classFile.openInputStream()) {
                Files.write(target, in.readAllBytes());
            }
        }
        List<File> classpath = new ArrayList<>(List.of(jar.toFile()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classpath.add(new File(entry));
        }
        JavaFileObject client = Compiled.source("test.Client", "package test;", "import dev.resilient.annotations.*;",
                "@Breaker", "public interface Client extends lib.Base {}");

        Compilation compilation = javac().withProcessors(new ResilientProcessor()).withClasspath(classpath).compile(client);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("in lib.Base.call() (inherited by Client): [RetryableMaxAttempts] maxAttempts must be at least 1, was 0")
                .inFile(client)
                .onLineContaining("public interface Client");
    }
}
