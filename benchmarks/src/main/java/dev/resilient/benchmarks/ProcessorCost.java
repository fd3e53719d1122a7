package dev.resilient.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * What the processor adds to a build: writes a corpus of 500 annotated interfaces of 10 methods
 * each, compiles it with and without the processor, alternately, and reports the median times and
 * their ratio. A compile of each kind runs first to warm the compiler up.
 *
 * <p>Arguments: the annotations jar, the runtime jar and the processor jar.
 */
public final class ProcessorCost {
    private static final int INTERFACES = 500;
    private static final int METHODS = 10;
    private static final int RUNS = 5;

    private ProcessorCost() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: ProcessorCost <annotations.jar> <runtime.jar> <processor.jar>");
        }
        Path corpus = Files.createTempDirectory("resilient-corpus");
        List<String> sources = writeCorpus(corpus.resolve("src"));
        String classpath = args[0] + java.io.File.pathSeparator + args[1];
        List<Long> without = new ArrayList<>();
        List<Long> with = new ArrayList<>();
        List<Long> processingOnly = new ArrayList<>();
        compile(corpus, sources, classpath, List.of("-proc:none"));
        compile(corpus, sources, classpath, List.of("-processorpath", args[2]));
        for (int run = 0; run < RUNS; run++) {
            without.add(compile(corpus, sources, classpath, List.of("-proc:none")));
            with.add(compile(corpus, sources, classpath, List.of("-processorpath", args[2])));
            processingOnly.add(compile(corpus, sources, classpath, List.of("-proc:only", "-processorpath", args[2])));
        }
        long medianWithout = median(without);
        long medianWith = median(with);
        System.out.printf("corpus: %d interfaces x %d methods; %d runs each, median%n", INTERFACES, METHODS, RUNS);
        System.out.printf("without the processor: %d ms %s%n", medianWithout, without);
        System.out.printf("with the processor:    %d ms %s (compiles the generated wrappers too)%n", medianWith, with);
        System.out.printf("processing alone (-proc:only): %d ms %s%n", median(processingOnly), processingOnly);
        System.out.printf("ratio: %.2f%n", (double) medianWith / medianWithout);
        deleteAll(corpus);
    }

    private static long compile(Path corpus, List<String> sources, String classpath, List<String> processing) throws IOException {
        Path out = corpus.resolve("out");
        deleteAll(out);
        Files.createDirectories(out);
        List<String> arguments = new ArrayList<>(List.of("-d", out.toString(), "-s", out.toString(), "-cp", classpath,
                "--release", "17", "-nowarn"));
        arguments.addAll(processing);
        arguments.addAll(sources);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        long started = System.nanoTime();
        int status = javac.run(null, null, System.err, arguments.toArray(new String[0]));
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (status != 0) {
            throw new IllegalStateException("the corpus did not compile: " + status);
        }
        return millis;
    }

    private static List<String> writeCorpus(Path src) throws IOException {
        Path dir = src.resolve("corpus");
        Files.createDirectories(dir);
        List<String> files = new ArrayList<>();
        for (int i = 0; i < INTERFACES; i++) {
            StringBuilder code = new StringBuilder()
                    .append("package corpus;\n\n")
                    .append("import dev.resilient.annotations.*;\n")
                    .append("import java.io.IOException;\n")
                    .append("import java.util.List;\n")
                    .append("import java.util.concurrent.CompletionStage;\n\n")
                    .append("@Breaker(failureThreshold = 5, openFor = \"10s\")\n")
                    .append("public interface Client").append(i).append(" {\n");
            for (int m = 0; m < METHODS; m++) {
                switch (m % 5) {
                    case 0 -> code.append("    @Retryable(maxAttempts = 4, delay = \"200ms\", maxDelay = \"2s\")\n")
                            .append("    String get").append(m).append("(String key) throws IOException;\n");
                    case 1 -> code.append("    @Retryable(jitter = Jitter.FULL)\n")
                            .append("    List<String> list").append(m).append("(int limit, String... filters);\n");
                    case 2 -> code.append("    @Retryable\n")
                            .append("    CompletionStage<Long> count").append(m).append("(String key);\n");
                    case 3 -> code.append("    @Timeout(\"2s\")\n")
                            .append("    void put").append(m).append("(String key, byte[] value) throws IOException;\n");
                    default -> code.append("    @Fallback(\"fallback").append(m).append("\")\n")
                            .append("    int size").append(m).append("(String key);\n")
                            .append("    default int fallback").append(m).append("(String key, Exception failure) { return -1; }\n");
                }
            }
            code.append("}\n");
            Path file = dir.resolve("Client" + i + ".java");
            Files.writeString(file, code);
            files.add(file.toString());
        }
        return files;
    }

    private static long median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static void deleteAll(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
