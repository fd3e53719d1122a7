package dev.resilient.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * What the processor adds to a build: writes a corpus of 500 annotated interfaces of 10 methods
 * each and compiles it three ways: without the processor, with it, and, as the floor any
 * generator must stand on, without it but with one hand-written class per interface that only
 * forwards each call to a delegate. Each way is timed in a fresh {@code javac} process (a first
 * build), and in a JVM of its own after warm-up compiles (a warm compiler, as in a build tool's
 * daemon; the processor is still loaded afresh by every compile). Each way warms up in a JVM of
 * its own, so that no way's times depend on what the JVM compiled before it. A corpus of one
 * interface, compiled in fresh processes, shows what a module with a single client pays.
 *
 * <p>Arguments: the annotations jar, the runtime jar and the processor jar.
 */
public final class ProcessorCost {
    private static final int INTERFACES = 500;
    private static final int WARM_UPS = 3;
    private static final Duration WARM_UP = Duration.ofSeconds(20);
    private static final int RUNS = 7;
    private static final int COLD_RUNS = 5;

    private static final int METHODS = 10;

    /** The corpus's kinds of method: method {@code m} of every interface is of kind {@code m % 5}. */
    private static final List<Shape> SHAPES = List.of(
            new Shape("@Retryable(maxAttempts = 4, delay = \"200ms\", maxDelay = \"2s\")", "String get%d(String key) throws IOException", "key"),
            new Shape("@Retryable(jitter = Jitter.FULL)", "List<String> list%d(int limit, String... filters)", "limit, filters"),
            new Shape("@Retryable", "CompletionStage<Long> count%d(String key)", "key"),
            new Shape("@Timeout(\"2s\")", "void put%d(String key, byte[] value) throws IOException", "key, value"),
            new Shape("@Fallback(\"fallback%d\")", "int size%d(String key)", "key"));

    private ProcessorCost() {}

    /** One method of the corpus: its annotation, its signature and the arguments a forwarder passes on. */
    private record Shape(String annotation, String signature, String arguments) {
        String declaration(int number) {
            String method = "    " + annotation.formatted(number) + "\n    " + signature.formatted(number) + ";\n";
            return annotation.startsWith("@Fallback")
                    ? method + "    default int fallback" + number + "(String key, Exception failure) { return -1; }\n"
                    : method;
        }

        String forwarder(int number) {
            String name = signature.formatted(number);
            String call = "delegate." + name.substring(name.indexOf(' ') + 1, name.indexOf('(')) + "(" + arguments + ");";
            return "    @Override\n    public " + name + " {\n        " + (name.startsWith("void") ? "" : "return ") + call + "\n    }\n";
        }
    }

    /** The three ways of compiling the corpus. */
    private enum Way {
        WITHOUT("without the processor:", false),
        WITH("with the processor:", true),
        FLOOR("floor, forwarding classes:", false);

        final String label;
        final boolean processor;

        Way(String label, boolean processor) {
            this.label = label;
            this.processor = processor;
        }

        List<String> sources(Path root) throws IOException {
            List<String> sources = new ArrayList<>(sourcesIn(root.resolve("src")));
            if (this == FLOOR) {
                sources.addAll(sourcesIn(root.resolve("forwarders")));
            }
            return sources;
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length == 6 && args[0].equals("--warm")) {
            Path root = Path.of(args[2]);
            Compiler compiler = Compiler.in(root, Arrays.copyOfRange(args, 3, 6));
            Way way = Way.valueOf(args[1]);
            List<String> sources = way.sources(root);
            long warmUntil = System.nanoTime() + WARM_UP.toNanos();
            for (int i = 0; i < WARM_UPS || System.nanoTime() < warmUntil; i++) {
                compiler.inProcess(sources, way.processor);
            }
            for (int i = 0; i < RUNS; i++) {
                System.out.println(compiler.inProcess(sources, way.processor));
            }
            return;
        }
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: ProcessorCost <annotations.jar> <runtime.jar> <processor.jar>");
        }
        // In memory where the machine has it: on disk, the compiles' times varied by 3x from one
        // JVM to the next with the disk's own delays.
        Path memory = Path.of("/dev/shm");
        Path root = Files.isDirectory(memory) ? Files.createTempDirectory(memory, "resilient-corpus")
                : Files.createTempDirectory("resilient-corpus");
        Path single = root.resolve("single");
        writeCorpus(root, INTERFACES);
        writeCorpus(single, 1);
        Map<Way, List<Long>> cold = new EnumMap<>(Way.class);
        Map<Way, List<Long>> warm = new EnumMap<>(Way.class);
        Map<Way, List<Long>> one = new EnumMap<>(Way.class);
        for (Way way : Way.values()) {
            cold.put(way, freshProcesses(way, root, args));
            warm.put(way, warmInOwnJvm(way, root, args));
            one.put(way, freshProcesses(way, single, args));
        }
        System.out.printf("corpus: %d interfaces x %d methods, in %s%n", INTERFACES, METHODS, root.getParent());
        report("in a fresh javac process (median of " + COLD_RUNS + ")", cold);
        report("in a JVM of its own, warmed up (at least " + WARM_UPS + " compiles and " + WARM_UP.toSeconds() + " s, then median of "
                + RUNS + ")", warm);
        report("one interface alone, in a fresh javac process (median of " + COLD_RUNS + ")", one);
        deleteAll(root);
    }

    private static List<Long> freshProcesses(Way way, Path root, String[] jars) throws IOException, InterruptedException {
        Compiler compiler = Compiler.in(root, jars);
        List<String> sources = way.sources(root);
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < COLD_RUNS; i++) {
            times.add(compiler.freshProcess(sources, way.processor));
        }
        return times;
    }

    /** Runs this class with {@code --warm} in a new JVM and reads the times it prints. */
    private static List<Long> warmInOwnJvm(Way way, Path root, String[] jars) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ProcessorCost.class.getName(), "--warm", way.name(), root.toString(), jars[0], jars[1], jars[2])
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<Long> times = new ArrayList<>();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                times.add(Long.parseLong(line.trim()));
            }
        }
        if (process.waitFor() != 0 || times.size() != RUNS) {
            throw new IllegalStateException("the warm compiles of " + way + " failed");
        }
        return times;
    }

    private static void report(String title, Map<Way, List<Long>> times) {
        long without = median(times.get(Way.WITHOUT));
        System.out.printf("%s:%n", title);
        times.forEach((way, runs) -> System.out.printf(Locale.ROOT, "  %-28s %6d ms  ratio %5.2f  %s%n",
                way.label, median(runs), (double) median(runs) / without, runs));
    }

    /** Compiles a list of sources into a fresh output directory and returns the milliseconds it took. */
    private record Compiler(Path out, String classpath, String processorPath) {
        /** Writes under {@code root}; {@code jars}: the annotations, runtime and processor jars. */
        static Compiler in(Path root, String[] jars) {
            return new Compiler(root.resolve("out"), jars[0] + File.pathSeparator + jars[1], jars[2]);
        }

        long inProcess(List<String> sources, boolean processor) throws IOException {
            List<String> arguments = arguments(sources, processor);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            long started = System.nanoTime();
            int status = javac.run(null, null, System.err, arguments.toArray(new String[0]));
            return finished(started, status);
        }

        long freshProcess(List<String> sources, boolean processor) throws IOException, InterruptedException {
            Path argumentFile = out.resolveSibling("javac-arguments");
            Files.write(argumentFile, arguments(sources, processor));
            Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
            long started = System.nanoTime();
            int status = new ProcessBuilder(javac.toString(), "@" + argumentFile).inheritIO().start().waitFor();
            return finished(started, status);
        }

        private List<String> arguments(List<String> sources, boolean processor) throws IOException {
            deleteAll(out);
            Files.createDirectories(out);
            List<String> arguments = new ArrayList<>(List.of("-d", out.toString(), "-s", out.toString(), "-cp", classpath,
                    "--release", "17", "-nowarn"));
            arguments.addAll(processor ? List.of("-processorpath", processorPath) : List.of("-proc:none"));
            arguments.addAll(sources);
            return arguments;
        }

        private static long finished(long started, int status) {
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (status != 0) {
                throw new IllegalStateException("the corpus did not compile: " + status);
            }
            return millis;
        }
    }

    /** {@code count} annotated interfaces under {@code src}, and a forwarding class for each under {@code forwarders}. */
    private static void writeCorpus(Path root, int count) throws IOException {
        writeSources(root.resolve("src"), count, false);
        writeSources(root.resolve("forwarders"), count, true);
    }

    /** The annotated interfaces or, with {@code forwarders}, a class per interface that forwards each call. */
    private static void writeSources(Path src, int count, boolean forwarders) throws IOException {
        Path dir = src.resolve("corpus");
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            String name = (forwarders ? "Forwarding" : "") + "Client" + i;
            StringBuilder code = new StringBuilder()
                    .append("package corpus;\n\n")
                    .append(forwarders ? "" : "import dev.resilient.annotations.*;\n")
                    .append("import java.io.IOException;\n")
                    .append("import java.util.List;\n")
                    .append("import java.util.concurrent.CompletionStage;\n\n")
                    .append(forwarders
                            ? "public final class " + name + " implements Client" + i + " {\n"
                                    + "    private final Client" + i + " delegate;\n\n"
                                    + "    public " + name + "(Client" + i + " delegate) {\n        this.delegate = delegate;\n    }\n"
                            : "@Breaker(failureThreshold = 5, openFor = \"10s\")\npublic interface " + name + " {\n");
            for (int m = 0; m < METHODS; m++) {
                Shape shape = SHAPES.get(m % SHAPES.size());
                code.append(forwarders ? shape.forwarder(m) : shape.declaration(m));
            }
            code.append("}\n");
            Files.writeString(dir.resolve(name + ".java"), code);
        }
    }

    private static List<String> sourcesIn(Path src) throws IOException {
        try (Stream<Path> files = Files.list(src.resolve("corpus"))) {
            return files.map(Path::toString).sorted().toList();
        }
    }

    private static long median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
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
