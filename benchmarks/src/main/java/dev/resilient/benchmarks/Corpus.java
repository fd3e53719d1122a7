package dev.resilient.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The sources that {@link ProcessorCost} compiles: each corpus is {@code types} types of
 * {@value #METHODS} methods (or properties) each, in package {@code corpus}, written as a user of
 * that tool would write them. {@link ProcessorCost}'s class comment shows one type of each.
 */
enum Corpus {
    /** Interfaces annotated for Resilient: {@code @Breaker} on each, one policy on each method. */
    RESILIENT {
        @Override
        void write(Path root, int types) throws IOException {
            for (int i = 0; i < types; i++) {
                StringBuilder code = new StringBuilder(RESILIENT_IMPORTS)
                        .append("@Breaker(failureThreshold = 5, openFor = \"10s\")\n")
                        .append("public interface Client").append(i).append(" {\n");
                for (int m = 0; m < METHODS; m++) {
                    code.append(Shape.of(m).declaration(m));
                }
                writeType(root.resolve(SOURCES), "Client" + i, code.append("}\n"));
            }
        }
    },

    /**
     * {@link #RESILIENT}'s interfaces and, under {@value #STAND_INS}, one hand-written class per
     * interface that forwards each call to a delegate: the least that any generated wrapper is.
     */
    FORWARDING {
        @Override
        void write(Path root, int types) throws IOException {
            RESILIENT.write(root, types);
            for (int i = 0; i < types; i++) {
                String name = "ForwardingClient" + i;
                StringBuilder code = new StringBuilder(RESILIENT_IMPORTS.replace("import dev.resilient.annotations.*;\n", ""))
                        .append("public final class ").append(name).append(" implements Client").append(i).append(" {\n")
                        .append("    private final Client").append(i).append(" delegate;\n\n")
                        .append("    public ").append(name).append("(Client").append(i).append(" delegate) {\n")
                        .append("        this.delegate = delegate;\n    }\n");
                for (int m = 0; m < METHODS; m++) {
                    code.append(Shape.of(m).forwarder(m));
                }
                writeType(root.resolve(STAND_INS), name, code.append("}\n"));
            }
        }
    },

    /**
     * {@code @Mapper} interfaces: method {@code m} maps between the record {@code Item<m>} and the
     * bean {@code Entity<m>}, shared by all mappers (20 more types), in one of five ways.
     */
    MAPSTRUCT {
        @Override
        void write(Path root, int types) throws IOException {
            Path sources = root.resolve(SOURCES);
            for (int m = 0; m < METHODS; m++) {
                writeType(sources, "Item" + m, "package corpus;\n\nimport java.util.List;\n\n"
                        + "public record Item" + m + "(String id, String name, int count, long total, List<String> tags) {}\n");
                writeType(sources, "Entity" + m, entity(m));
            }
            for (int i = 0; i < types; i++) {
                StringBuilder code = new StringBuilder("package corpus;\n\n")
                        .append("import org.mapstruct.Mapper;\n")
                        .append("import org.mapstruct.Mapping;\n")
                        .append("import org.mapstruct.MappingTarget;\n\n")
                        .append("@Mapper\n")
                        .append("public interface ItemMapper").append(i).append(" {\n");
                for (int m = 0; m < METHODS; m++) {
                    code.append(MAPPINGS.get(m % MAPPINGS.size()).replace("{m}", String.valueOf(m)));
                }
                writeType(sources, "ItemMapper" + i, code.append("}\n"));
            }
        }

        private static String entity(int m) {
            StringBuilder code = new StringBuilder("package corpus;\n\nimport java.util.List;\n\n")
                    .append("public class Entity").append(m).append(" {\n");
            List<Property> properties = List.of(new Property("String", "id"), new Property("String", "title"),
                    new Property("String", "count"), new Property("long", "total"), new Property("List<String>", "tags"));
            for (Property property : properties) {
                code.append("    private ").append(property).append(";\n");
            }
            for (Property property : properties) {
                String name = property.name();
                String capitalized = Character.toUpperCase(name.charAt(0)) + name.substring(1);
                code.append("\n    public ").append(property.type()).append(" get").append(capitalized).append("() {\n")
                        .append("        return ").append(name).append(";\n    }\n")
                        .append("\n    public void set").append(capitalized).append('(').append(property).append(") {\n")
                        .append("        this.").append(name).append(" = ").append(name).append(";\n    }\n");
            }
            return code.append("}\n").toString();
        }
    },

    /** {@code @Singleton} classes whose every method is {@code @Retryable}, the same five shapes as {@link #RESILIENT}'s. */
    MICRONAUT {
        @Override
        void write(Path root, int types) throws IOException {
            for (int i = 0; i < types; i++) {
                StringBuilder code = new StringBuilder("package corpus;\n\n")
                        .append("import io.micronaut.retry.annotation.Retryable;\n")
                        .append("import jakarta.inject.Singleton;\n")
                        .append("import java.io.IOException;\n")
                        .append("import java.util.List;\n")
                        .append("import java.util.concurrent.CompletableFuture;\n")
                        .append("import java.util.concurrent.CompletionStage;\n\n")
                        .append("@Singleton\n")
                        .append("public class Client").append(i).append(" {\n");
                for (int m = 0; m < METHODS; m++) {
                    code.append(m == 0 ? "" : "\n").append(RETRYABLE_METHODS.get(m % RETRYABLE_METHODS.size()).replace("{m}", String.valueOf(m)));
                }
                writeType(root.resolve(SOURCES), "Client" + i, code.append("}\n"));
            }
        }
    },

    /** {@code @AutoValue} classes of ten properties, built by an {@code @AutoValue.Builder}. */
    AUTO_VALUE {
        @Override
        void write(Path root, int types) throws IOException {
            for (int i = 0; i < types; i++) {
                String name = "Order" + i;
                StringBuilder code = new StringBuilder("package corpus;\n\n")
                        .append("import com.google.auto.value.AutoValue;\n")
                        .append(VALUE_IMPORTS)
                        .append("@AutoValue\n")
                        .append("public abstract class ").append(name).append(" {\n");
                for (Property property : PROPERTIES) {
                    code.append("    public abstract ").append(property).append("();\n");
                }
                code.append("\n    public static Builder builder() {\n")
                        .append("        return new AutoValue_").append(name).append(".Builder();\n    }\n\n")
                        .append("    @AutoValue.Builder\n")
                        .append("    public abstract static class Builder {\n");
                for (Property property : PROPERTIES) {
                    code.append("        public abstract Builder ").append(property.name()).append('(').append(property).append(");\n");
                }
                code.append("\n        public abstract ").append(name).append(" build();\n    }\n");
                writeType(root.resolve(SOURCES), name, code.append("}\n"));
            }
        }
    },

    /** {@code @Value.Immutable} interfaces of the same ten properties as {@link #AUTO_VALUE}'s. */
    IMMUTABLES {
        @Override
        void write(Path root, int types) throws IOException {
            for (int i = 0; i < types; i++) {
                String name = "Order" + i;
                StringBuilder code = new StringBuilder("package corpus;\n\n")
                        .append(VALUE_IMPORTS.replace("\n\n", "\nimport org.immutables.value.Value;\n\n"))
                        .append("@Value.Immutable\n")
                        .append("public interface ").append(name).append(" {\n");
                for (Property property : PROPERTIES) {
                    code.append("    ").append(property).append("();\n");
                }
                writeType(root.resolve(SOURCES), name, code.append("}\n"));
            }
        }
    };

    /** Methods, or properties, per type. */
    static final int METHODS = 10;

    /** Where under a corpus's root the sources a user writes are. */
    static final String SOURCES = "src";

    /** Where under a corpus's root hand-written classes stand in for generated ones. */
    static final String STAND_INS = "stand-ins";

    private static final String RESILIENT_IMPORTS = """
            package corpus;

            import dev.resilient.annotations.*;
            import java.io.IOException;
            import java.util.List;
            import java.util.concurrent.CompletionStage;

            """;

    /** The five kinds of mapping method: method {@code m} of every mapper is of kind {@code m % 5}, {@code {m}} standing for {@code m}. */
    private static final List<String> MAPPINGS = List.of(
            """
                @Mapping(target = "title", source = "name")
                Entity{m} toEntity{m}(Item{m} item);
            """,
            """
                @Mapping(target = "name", source = "title")
                Item{m} toItem{m}(Entity{m} entity);
            """,
            """
                @Mapping(target = "title", source = "name")
                void update{m}(Item{m} item, @MappingTarget Entity{m} entity);
            """,
            """
                @Mapping(target = "id", source = "newId")
                @Mapping(target = "title", source = "item.name")
                Entity{m} copy{m}(Item{m} item, String newId);
            """,
            """
                @Mapping(target = "title", source = "name", defaultValue = "untitled")
                @Mapping(target = "count", numberFormat = "#,##0")
                Entity{m} toFormatted{m}(Item{m} item);
            """);

    /** Micronaut's counterparts of {@link Shape}'s five methods, {@code {m}} standing for the method's number. */
    private static final List<String> RETRYABLE_METHODS = List.of(
            """
                @Retryable(attempts = "4", delay = "200ms", maxDelay = "2s")
                public String get{m}(String key) throws IOException {
                    return key;
                }
            """,
            """
                @Retryable(jitter = "0.5")
                public List<String> list{m}(int limit, String... filters) {
                    return List.of(filters).subList(0, Math.min(limit, filters.length));
                }
            """,
            """
                @Retryable
                public CompletionStage<Long> count{m}(String key) {
                    return CompletableFuture.completedFuture((long) key.length());
                }
            """,
            """
                @Retryable(includes = IOException.class)
                public void put{m}(String key, byte[] value) throws IOException {
                    if (value.length == 0) {
                        throw new IOException("empty value for " + key);
                    }
                }
            """,
            """
                @Retryable(attempts = "2", delay = "100ms")
                public int size{m}(String key) {
                    return key.length();
                }
            """);

    private static final String VALUE_IMPORTS = """
            import java.time.Instant;
            import java.util.List;
            import java.util.Map;
            import java.util.Optional;

            """;

    /** The value types' properties. */
    private static final List<Property> PROPERTIES = List.of(
            new Property("String", "id"), new Property("String", "name"), new Property("int", "count"),
            new Property("long", "total"), new Property("boolean", "active"), new Property("double", "ratio"),
            new Property("List<String>", "tags"), new Property("Map<String, Long>", "totals"),
            new Property("Instant", "created"), new Property("Optional<String>", "note"));

    /** Writes this corpus of {@code types} types under {@code root}. */
    abstract void write(Path root, int types) throws IOException;

    private static void writeType(Path directory, String type, CharSequence code) throws IOException {
        Path file = directory.resolve("corpus").resolve(type + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, code);
    }

    /** A property of a bean or value type, or a parameter: {@code toString()} declares it. */
    private record Property(String type, String name) {
        @Override
        public String toString() {
            return type + " " + name;
        }
    }

    /** One method of {@link #RESILIENT}'s interfaces: its annotation, its signature and the arguments a forwarder passes on. */
    private record Shape(String annotation, String signature, String arguments) {
        /** The kinds of method: method {@code m} of every interface is of kind {@code m % 5}. */
        private static final List<Shape> ALL = List.of(
                new Shape("@Retryable(maxAttempts = 4, delay = \"200ms\", maxDelay = \"2s\")", "String get%d(String key) throws IOException", "key"),
                new Shape("@Retryable(jitter = Jitter.FULL)", "List<String> list%d(int limit, String... filters)", "limit, filters"),
                new Shape("@Retryable", "CompletionStage<Long> count%d(String key)", "key"),
                new Shape("@Timeout(\"2s\")", "void put%d(String key, byte[] value) throws IOException", "key, value"),
                new Shape("@Fallback(\"fallback%d\")", "int size%d(String key)", "key"));

        static Shape of(int method) {
            return ALL.get(method % ALL.size());
        }

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
}
