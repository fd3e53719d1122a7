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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    /** Generates {@code test.Token} (or another source) in the first round, as another processor would. */
    static final class TokenGenerator extends AbstractProcessor {
        private final String name;
        private final String source;
        private boolean done;

        TokenGenerator() {
            this("test.Token", "package test; public final class Token {}");
        }

        TokenGenerator(String name, String source) {
            this.name = name;
            this.source = source;
        }

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
                try (Writer writer = processingEnv.getFiler().createSourceFile(name).openWriter()) {
                    writer.write(source);
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
                .hadErrorContaining("[ResilientUnresolvedType] test.Client refers to types or constants that could not be resolved")
                .inFile(CLIENT_USING_TOKEN)
                .onLineContaining("public interface Client");
    }

    private static final JavaFileObject CLIENT_USING_SETTINGS = Compiled.source("test.Settled",
            "package test;",
            "import dev.resilient.annotations.*;",
            "@Breaker(name = Settings.BREAKER, failureThreshold = Settings.THRESHOLD)",
            "public interface Settled {",
            "    @Retryable(maxAttempts = Settings.ATTEMPTS, delay = Settings.DELAY, multiplier = Settings.MULTIPLIER,",
            "            retryOn = {java.io.IOException.class, IllegalStateException.class})",
            "    @Fallback(Settings.FALLBACK)",
            "    String get() throws java.io.IOException;",
            "    default String cached() { return \"cached\"; }",
            "}");

    /**
     * Inspired by the Android {@code BuildConfig} constants that annotation values name (and
     * google/dagger's reports of values of generated types): a value naming a constant of a class
     * another processor generates in a later round read as javac's error placeholder, a string
     * where a number belongs, and the processor failed with a ClassCastException. The interface
     * is deferred, as for an unresolved type, and wrapped once the constants exist.
     */
    @Test
    void anAnnotationValueNamingAConstantGeneratedLaterIsDeferredUntilItExists() throws Throwable {
        Compilation compilation = javac()
                .withProcessors(new TokenGenerator("test.Settings", "package test; public final class Settings {"
                        + " public static final String BREAKER = \"settled\"; public static final int THRESHOLD = 2;"
                        + " public static final int ATTEMPTS = 2; public static final String DELAY = \"0\";"
                        + " public static final double MULTIPLIER = 1.5; public static final String FALLBACK = \"cached\"; }"),
                        new ResilientProcessor())
                .withOptions("-Xlint:all,-processing", "-Werror")
                .compile(CLIENT_USING_SETTINGS);
        assertThat(compilation).succeededWithoutWarnings();
        Compiled compiled = Compiled.of(compilation);
        Class<?> iface = compiled.load("test.Settled");
        dev.resilient.runtime.ResilienceContext context = dev.resilient.runtime.ResilienceContext.builder()
                .time(new dev.resilient.runtime.ManualTime()).build();
        Scripted delegate = new Scripted().then(new IllegalStateException("one"), new IllegalStateException("two"));
        Object settled = compiled.load("test.ResilientSettled").getConstructor(iface, dev.resilient.runtime.ResilienceContext.class)
                .newInstance(delegate.proxy(iface), context);
        assertThat(Scripted.call(settled, "get")).isEqualTo("cached");
        assertThat(delegate.calls).containsExactly("get[]", "get[]");
        assertThat(context.breaker("settled").state()).isEqualTo(dev.resilient.runtime.CircuitBreaker.State.OPEN);
    }

    /** A constant that never appears: javac's errors and ours for the interface, never an internal error or a wrong value's. */
    @Test
    void anAnnotationValueNamingAConstantThatNeverAppearsIsReportedInTheLastRound() {
        Compilation compilation = Compiled.compile(List.of(), CLIENT_USING_SETTINGS);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("cannot find symbol");
        assertThat(compilation)
                .hadErrorContaining("[ResilientUnresolvedType] test.Settled refers to types or constants that could not be resolved")
                .inFile(CLIENT_USING_SETTINGS)
                .onLineContaining("public interface Settled");
        for (var diagnostic : compilation.errors()) {
            String message = diagnostic.getMessage(java.util.Locale.ROOT);
            assertThat(message).contains(message.startsWith("[") ? "[ResilientUnresolvedType]" : "cannot find symbol");
        }
    }

    /**
     * Found by BrokenSourceFuzzTest's mutations of named methods: one whose parameter type did not
     * resolve yet passed the signature checks (javac's error type is assignable to and from
     * anything), so the wrapper was written in the first round; once another processor generated
     * that type, unrelated to the result or the failure, javac reported the mismatch inside the
     * generated file. Such an interface is deferred, as one with that type in its own methods is,
     * and checked once the type exists.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "@Retryable(retryOnResult = \"rejects\") | default boolean rejects(Verdict result) { return false; } | [OutcomeMethodSignature]",
        "@Fallback(\"cached\") | default String cached(Verdict failure) { return \"cached\"; } | [FallbackSignature]",
    })
    void aNamedMethodUsingATypeGeneratedLaterIsCheckedOnceItExists(String annotation, String named, String expected) {
        JavaFileObject judged = Compiled.source("test.Judged", "package test;", "import dev.resilient.annotations.*;",
                "public interface Judged {", "    " + annotation, "    String get();", "    " + named, "}");

        Compilation compilation = javac()
                .withProcessors(new TokenGenerator("test.Verdict", "package test; public final class Verdict {}"), new ResilientProcessor())
                .withOptions("-Xlint:all,-processing")
                .compile(judged);

        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining(expected).inFile(judged);
        for (var diagnostic : compilation.diagnostics()) {
            assertThat(String.valueOf(diagnostic.getSource())).doesNotContain("SOURCE_OUTPUT");
        }
    }

    /**
     * Found by BrokenSourceFuzzTest with the missing type generated later: an interface extending
     * a type that turns out to be a class waited for it, javac reported "interface expected here",
     * and in the last round the processor wrote the wrapper anyway; javac then warned, without a
     * location, that a file created in the last round is not processed (under -Xlint:all -Werror
     * one more failure, pointing nowhere). Once javac has reported an error, a waiting interface is
     * left to it.
     */
    @Test
    void anInterfaceStillWaitingWhenJavacHasReportedAnErrorIsNotWrittenInTheLastRound() {
        JavaFileObject client = Compiled.source("test.Client", "package test;", "import dev.resilient.annotations.*;",
                "@Retryable", "public interface Client extends Token {", "    String issue();", "}");

        Compilation compilation = javac()
                .withProcessors(new TokenGenerator("test.Token", "package test; public class Token {}"), new ResilientProcessor())
                .withOptions("-Xlint:all")
                .compile(client);

        assertThat(compilation).hadErrorContaining("interface expected here").inFile(client).onLineContaining("extends Token");
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadWarningCount(0);
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
