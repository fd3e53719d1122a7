package dev.resilient.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What an annotation processor adds to a build, ours beside its peers: each way below compiles a
 * corpus of 500 types of 10 methods (or properties) each, and a corpus of one such type, in a
 * fresh {@code javac} process per compile (a first build), with the sources and the output in
 * memory ({@code /dev/shm}) where the machine has it. A first round, untimed, checks that every
 * way compiles and counts what it generated; then each of {@value #ROUNDS} rounds compiles every
 * way once, one way after the other, so that the machine's drift falls on all ways alike; each
 * way's median is reported.
 *
 * <p>The ways and their corpora (one type shown of each, method {@code m} being of kind
 * {@code m % 5}):
 * <ol>
 * <li><b>without any processor</b>: our annotated interfaces, {@code -proc:none}:
 * <pre>{@code
 * @Breaker(failureThreshold = 5, openFor = "10s")
 * public interface Client0 {
 *     @Retryable(maxAttempts = 4, delay = "200ms", maxDelay = "2s")
 *     String get0(String key) throws IOException;
 *     @Retryable(jitter = Jitter.FULL)
 *     List<String> list1(int limit, String... filters);
 *     @Retryable
 *     CompletionStage<Long> count2(String key);
 *     @Timeout("2s")
 *     void put3(String key, byte[] value) throws IOException;
 *     @Fallback("fallback4")
 *     int size4(String key);
 *     default int fallback4(String key, Exception failure) { return -1; }
 *     ... methods 5 to 9 likewise
 * }
 * }</pre>
 * <li><b>Resilient</b>: the same interfaces with our processor, which writes a
 * {@code ResilientClient0} for each.
 * <li><b>forwarding floor</b>: the same interfaces and, without a processor, one hand-written
 * {@code ForwardingClient0 implements Client0} for each, which only passes each call on to a
 * delegate: the least any generated wrapper is, and what we count as its generated lines.
 * <li><b>MapStruct</b>: {@code @Mapper} interfaces, method {@code m} mapping between the record
 * {@code Item<m>(String id, String name, int count, long total, List<String> tags)} and the bean
 * {@code Entity<m>} (id, title, count as a {@code String}, total, tags, with getters and
 * setters); these 20 types are shared by all mappers. The five kinds: record to bean with a
 * renamed property, bean to record (through its constructor), an update of a
 * {@code @MappingTarget}, two sources into one bean, a default value and a number format:
 * <pre>{@code
 * @Mapper
 * public interface ItemMapper0 {
 *     @Mapping(target = "title", source = "name")
 *     Entity0 toEntity0(Item0 item);
 *     @Mapping(target = "name", source = "title")
 *     Item1 toItem1(Entity1 entity);
 *     @Mapping(target = "title", source = "name")
 *     void update2(Item2 item, @MappingTarget Entity2 entity);
 *     @Mapping(target = "id", source = "newId")
 *     @Mapping(target = "title", source = "item.name")
 *     Entity3 copy3(Item3 item, String newId);
 *     @Mapping(target = "title", source = "name", defaultValue = "untitled")
 *     @Mapping(target = "count", numberFormat = "#,##0")
 *     Entity4 toFormatted4(Item4 item);
 *     ... methods 5 to 9 likewise
 * }
 * }</pre>
 * <li><b>Micronaut</b> {@code @Retryable} (micronaut-inject-java on the processor path, as
 * micronaut-parent sets it, and {@code -parameters}, which micronaut-parent also sets):
 * {@code @Singleton} classes whose methods have the five shapes of ours, each with a trivial body;
 * Micronaut writes bean definitions and an intercepting subclass as class files, not sources:
 * <pre>{@code
 * @Singleton
 * public class Client0 {
 *     @Retryable(attempts = "4", delay = "200ms", maxDelay = "2s")
 *     public String get0(String key) throws IOException { return key; }
 *     @Retryable(jitter = "0.5")
 *     public List<String> list1(int limit, String... filters) { return List.of(filters).subList(...); }
 *     @Retryable
 *     public CompletionStage<Long> count2(String key) { return CompletableFuture.completedFuture(...); }
 *     @Retryable(includes = IOException.class)
 *     public void put3(String key, byte[] value) throws IOException { if (value.length == 0) throw ...; }
 *     @Retryable(attempts = "2", delay = "100ms")
 *     public int size4(String key) { return key.length(); }
 *     ... methods 5 to 9 likewise
 * }
 * }</pre>
 * <li><b>AutoValue</b>: value classes of ten properties and their builder:
 * <pre>{@code
 * @AutoValue
 * public abstract class Order0 {
 *     public abstract String id();
 *     public abstract String name();
 *     public abstract int count();
 *     public abstract long total();
 *     public abstract boolean active();
 *     public abstract double ratio();
 *     public abstract List<String> tags();
 *     public abstract Map<String, Long> totals();
 *     public abstract Instant created();
 *     public abstract Optional<String> note();
 *
 *     public static Builder builder() { return new AutoValue_Order0.Builder(); }
 *
 *     @AutoValue.Builder
 *     public abstract static class Builder {
 *         public abstract Builder id(String id);
 *         ... one setter per property
 *         public abstract Order0 build();
 *     }
 * }
 * }</pre>
 * <li><b>Immutables</b>: {@code @Value.Immutable public interface Order0} with the same ten
 * properties as abstract accessors; Immutables writes {@code ImmutableOrder0}, builder included.
 * </ol>
 *
 * <p>Each peer's jars are resolved by Maven (see {@code benchmarks/peers/pom.xml}): the
 * annotations on the class path, the processor and its dependencies on the processor path, as a
 * user's build has them. Ours compile against the annotations and runtime jars, the processor jar
 * on the processor path.
 *
 * <p>Arguments: the annotations jar, the runtime jar, the processor jar, and the directory where
 * {@code benchmarks/peers} wrote its paths ({@code NAME.path}); the first compile of each way
 * leaves javac's output there ({@code WAY-TYPES.log}). The system properties
 * {@code processorCost.types} and {@code processorCost.rounds} make a smaller run, to try the
 * harness.
 */
public final class ProcessorCost {
    private static final int TYPES = Integer.getInteger("processorCost.types", 500);
    private static final int ROUNDS = Integer.getInteger("processorCost.rounds", 5);

    private ProcessorCost() {}

    /**
     * One way of compiling a corpus: against {@code classpath}, with the processors found on
     * {@code processorPath}, or with none where it is empty.
     */
    private record Way(String name, Corpus corpus, String classpath, String processorPath, List<String> options) {
        /** The processor's version, from the name of its jar, the first on the processor path. */
        String version() {
            if (processorPath.isEmpty()) {
                return "";
            }
            String jar = Path.of(processorPath.split(File.pathSeparator)[0]).getFileName().toString();
            Matcher version = Pattern.compile("-(\\d[^-]*(-SNAPSHOT)?)\\.jar$").matcher(jar);
            return version.find() ? version.group(1) : "";
        }

        String label() {
            return (name + " " + version()).strip();
        }

        String fileName() {
            return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        }
    }

    /** What the first compile of a way left: its generated sources and classes, and what javac said. */
    private record Output(int sourceFiles, long sourceLines, int classFiles, long classBytes, String diagnostics) {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 4) {
            throw new IllegalArgumentException(
                    "usage: ProcessorCost <annotations.jar> <runtime.jar> <processor.jar> <directory of the peers' paths>");
        }
        String loadBefore = loadAverage();
        long started = System.nanoTime();
        Path paths = Path.of(args[3]);
        String ours = args[0] + File.pathSeparator + args[1];
        Way without = new Way("without any processor", Corpus.RESILIENT, ours, "", List.of());
        Way resilient = new Way("Resilient", Corpus.RESILIENT, ours, args[2], List.of());
        Way floor = new Way("forwarding floor", Corpus.FORWARDING, ours, "", List.of());
        List<Way> ways = List.of(without, resilient, floor,
                peer("MapStruct", Corpus.MAPSTRUCT, paths, "mapstruct"),
                peer("Micronaut @Retryable", Corpus.MICRONAUT, paths, "micronaut", "-parameters"),
                peer("AutoValue", Corpus.AUTO_VALUE, paths, "autovalue"),
                peer("Immutables", Corpus.IMMUTABLES, paths, "immutables"));

        // In memory where the machine has it: on disk, the compiles' times varied by 3x from one
        // JVM to the next with the disk's own delays.
        Path memory = Path.of("/dev/shm");
        Path root = Files.isDirectory(memory) ? Files.createTempDirectory(memory, "resilient-corpus")
                : Files.createTempDirectory("resilient-corpus");
        List<Integer> sizes = List.of(TYPES, 1);
        Map<Integer, Map<Way, Compile>> compiles = new LinkedHashMap<>();
        for (int types : sizes) {
            compiles.put(types, prepare(root.resolve(String.valueOf(types)), types, ways));
        }
        // An untimed first round: every corpus compiles, and what it generated is counted.
        Map<Way, Output> outputs = new LinkedHashMap<>();
        for (int types : sizes) {
            for (Way way : ways) {
                Compile compile = compiles.get(types).get(way);
                compile.run();
                Files.copy(compile.log(), paths.resolve(way.fileName() + "-" + types + ".log"), StandardCopyOption.REPLACE_EXISTING);
                if (types == TYPES) {
                    outputs.put(way, compile.output());
                }
            }
        }
        Map<Integer, Map<Way, List<Long>>> times = new LinkedHashMap<>();
        for (int types : sizes) {
            times.put(types, new LinkedHashMap<>());
            ways.forEach(way -> times.get(types).put(way, new ArrayList<>()));
        }
        for (int round = 0; round < ROUNDS; round++) {
            for (int types : sizes) {
                for (Way way : ways) {
                    times.get(types).get(way).add(compiles.get(types).get(way).run());
                }
            }
        }
        deleteAll(root);

        System.out.printf("%s %s; %d cores; sources and output in %s%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), root.getParent());
        System.out.println("each compile a fresh javac --release 17 -d DIR -s DIR -cp CLASSPATH, then -processorpath PATH or -proc:none");
        for (Way way : ways) {
            if (!way.options().isEmpty()) {
                System.out.printf("  and for %s: %s%n", way.label(), String.join(" ", way.options()));
            }
        }
        System.out.printf("%d rounds, each compiling every way in turn; median and all runs%n", ROUNDS);
        for (int types : sizes) {
            report(types, times.get(types), without, floor, types == TYPES ? outputs : Map.of());
        }
        System.out.println();
        System.out.printf("per type, from the first compile of %d (generated: the sources under -s; the floor's, its forwarding classes):%n",
                TYPES);
        System.out.printf("  %-28s %17s %17s %12s %8s  %s%n", "way", "generated sources", "generated lines", "class files", "class KB",
                "javac said");
        outputs.forEach((way, output) -> System.out.printf(Locale.ROOT, "  %-28s %17.1f %17d %12.1f %8.1f  %s%n", way.label(),
                (double) output.sourceFiles() / TYPES, Math.round((double) output.sourceLines() / TYPES),
                (double) output.classFiles() / TYPES, output.classBytes() / 1024.0 / TYPES, output.diagnostics()));
        System.out.println();
        // The issue measured its 700 ms where one interface without a processor took 410 ms: 1.71x that.
        System.out.printf(Locale.ROOT, "target: Resilient at most 3x the floor at %d types: %.2fx; at most 700 ms for one interface"
                        + " (1.71x without any processor where that was measured): %d ms (%.2fx)%n",
                TYPES, ratio(times.get(TYPES), resilient, floor), median(times.get(1).get(resilient)),
                ratio(times.get(1), resilient, without));
        System.out.printf("run: %d s; load average before %s, after %s%n",
                (System.nanoTime() - started) / 1_000_000_000, loadBefore, loadAverage());
    }

    /** A peer's way: its class path and processor path from {@code NAME-classpath.path} and {@code NAME-processorpath.path}. */
    private static Way peer(String label, Corpus corpus, Path paths, String name, String... options) throws IOException {
        return new Way(label, corpus, path(paths, name + "-classpath"), path(paths, name + "-processorpath"), List.of(options));
    }

    /** The one-line path that {@code benchmarks/peers} wrote to {@code NAME.path}. */
    private static String path(Path paths, String name) throws IOException {
        Path file = paths.resolve(name + ".path");
        String path = Files.exists(file) ? Files.readString(file).strip() : "";
        if (path.isEmpty()) {
            throw new IllegalStateException("no path in " + file + ": run `mvn -B -f benchmarks/peers/pom.xml package` first");
        }
        return path;
    }

    /** Writes every corpus of {@code types} types under {@code corpora} and each way's compile of its corpus. */
    private static Map<Way, Compile> prepare(Path corpora, int types, List<Way> ways) throws IOException {
        for (Corpus corpus : Corpus.values()) {
            corpus.write(corpora.resolve(corpus.name()), types);
        }
        Map<Way, Compile> compiles = new LinkedHashMap<>();
        for (Way way : ways) {
            compiles.put(way, Compile.of(way, corpora));
        }
        return compiles;
    }

    /** Prints one corpus size's table; {@code outputs}, where given, adds the generated lines per type. */
    private static void report(int types, Map<Way, List<Long>> times, Way without, Way floor, Map<Way, Output> outputs) {
        System.out.println();
        System.out.printf("%d %s x %d methods:%n", types, types == 1 ? "type" : "types", Corpus.METHODS);
        System.out.printf("  %-28s %9s %9s %7s  %s%s%n", "way", "median", "x without", "x floor",
                outputs.isEmpty() ? "" : "generated lines/type  ", "runs (ms)");
        times.forEach((way, runs) -> {
            String lines = outputs.isEmpty() ? "" : "%20d  ".formatted(Math.round((double) outputs.get(way).sourceLines() / types));
            System.out.printf(Locale.ROOT, "  %-28s %6d ms %9.2f %7.2f  %s%s%n", way.label(), median(runs),
                    ratio(times, way, without), ratio(times, way, floor), lines, runs);
        });
    }

    private static double ratio(Map<Way, List<Long>> times, Way way, Way base) {
        return (double) median(times.get(way)) / median(times.get(base));
    }

    /** A compile of one way's corpus, in fresh {@code javac} processes, into a fresh output directory each time. */
    private record Compile(Path arguments, Path classes, Path generated, Path standIns, Path log) {
        static Compile of(Way way, Path corpora) throws IOException {
            Path corpus = corpora.resolve(way.corpus().name());
            Path out = corpora.resolve("out-" + way.fileName());
            Compile compile = new Compile(out.resolve("javac-arguments"), out.resolve("classes"), out.resolve("generated"),
                    corpus.resolve(Corpus.STAND_INS), out.resolve("javac.log"));
            List<String> arguments = new ArrayList<>(List.of("--release", "17", "-d", compile.classes.toString(),
                    "-s", compile.generated.toString(), "-cp", way.classpath()));
            arguments.addAll(way.processorPath().isEmpty() ? List.of("-proc:none") : List.of("-processorpath", way.processorPath()));
            arguments.addAll(way.options());
            arguments.addAll(sourcesIn(corpus.resolve(Corpus.SOURCES)));
            arguments.addAll(sourcesIn(compile.standIns));
            Files.createDirectories(out);
            Files.write(compile.arguments, arguments);
            return compile;
        }

        /** Compiles and returns the milliseconds it took, from starting {@code javac} to its end. */
        long run() throws IOException, InterruptedException {
            deleteAll(classes);
            deleteAll(generated);
            Files.createDirectories(classes);
            Files.createDirectories(generated);
            Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
            ProcessBuilder process = new ProcessBuilder(javac.toString(), "@" + arguments)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            long started = System.nanoTime();
            int status = process.start().waitFor();
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (status != 0) {
                throw new IllegalStateException("javac @" + arguments + " exited with " + status + ":\n" + Files.readString(log));
            }
            return millis;
        }

        /** What the last run left. */
        Output output() throws IOException {
            List<Path> sources = new ArrayList<>(filesIn(generated, ".java"));
            if (Files.isDirectory(standIns)) {
                sources.addAll(filesIn(standIns, ".java"));
            }
            long lines = 0;
            for (Path source : sources) {
                try (Stream<String> each = Files.lines(source)) {
                    lines += each.count();
                }
            }
            List<Path> classFiles = filesIn(classes, ".class");
            long bytes = 0;
            for (Path classFile : classFiles) {
                bytes += Files.size(classFile);
            }
            return new Output(sources.size(), lines, classFiles.size(), bytes, diagnostics(Files.readAllLines(log)));
        }

        /** javac's counts of errors and warnings, and its notes, or "clean". */
        private static String diagnostics(List<String> log) {
            List<String> said = new ArrayList<>();
            for (String line : log) {
                if (line.matches("\\d+ (errors?|warnings?)") || line.startsWith("Note: ")) {
                    said.add(line.strip());
                }
            }
            return said.isEmpty() ? "clean" : String.join("; ", said);
        }
    }

    private static String loadAverage() throws IOException {
        Path load = Path.of("/proc/loadavg");
        return Files.exists(load) ? Files.readString(load).strip() : "unknown";
    }

    private static List<String> sourcesIn(Path src) throws IOException {
        return Files.isDirectory(src) ? filesIn(src, ".java").stream().map(Path::toString).toList() : List.of();
    }

    private static List<Path> filesIn(Path directory, String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> file.toString().endsWith(suffix)).sorted().toList();
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
