package dev.resilient.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A seeded generator of interface shapes: generics with bounds, wildcards and intersections, type
 * variables that shadow the interface's or are named like the annotations the wrapper carries
 * ({@code Generated}, {@code Override}), type-use annotations on parameter types (and on
 * {@code equals(Object)}'s), varargs, arrays, primitives, generic throws, overloads
 * (also of parameter types with one simple name), diamonds with covariant returns, nested types
 * and constants named like everything the wrapper writes, same-package types named like
 * {@code java.lang}'s, synchronous and asynchronous methods, default methods, annotations with
 * random valid attributes on types and methods (hedges replacing the interface's retry among
 * them), fallbacks to matching default methods, hostile
 * breaker names; with each compilation a class that passes lambdas to the wrappers of functional
 * interfaces and declares anonymous and local classes.
 *
 * <p>Each compilation holds several interfaces and runs under {@code -Xlint:all -Werror --release
 * 17}. It must either succeed without a diagnostic, after which every wrapper is built over a
 * recording delegate and each of its methods (and its failover's) is called once, arguments and
 * result checked; or, where the generator planted one documented mistake, report only errors of
 * that id, in the file that has it. Never an internal error, a javac crash or a diagnostic in a
 * generated file.
 *
 * <p>{@code -Dresilient.fuzz.shapes=5000} runs more shapes, {@code -Dresilient.fuzz.seed=...}
 * other ones; a failure names the seed and count that replay it.
 */
class ShapeFuzzTest {
    private static final int SHAPES = Integer.getInteger("resilient.fuzz.shapes", 240);
    private static final long SEED = Long.getLong("resilient.fuzz.seed", 1_111L);
    private static final int PER_COMPILATION = 8;
    private static final List<String> OPTIONS = List.of("-Xlint:all", "-Werror", "--release", "17");

    @TestFactory
    Stream<DynamicTest> randomShapesCompileCleanAndRunOrReportDocumentedErrors() {
        int compilations = (SHAPES + PER_COMPILATION - 1) / PER_COMPILATION;
        return IntStream.range(0, compilations).mapToObj(i -> {
            long seed = SEED + i;
            int shapes = Math.min(PER_COMPILATION, SHAPES - i * PER_COMPILATION);
            return DynamicTest.dynamicTest("seed " + seed, () -> check(seed, shapes));
        });
    }

    private static void check(long seed, int shapes) throws Exception {
        // Random's first values follow its seed closely; the batches of consecutive seeds must differ from the start.
        Batch batch = new Generator(new Random(new SplittableRandom(seed).nextLong())).batch(shapes);
        String replay = "replay with -Dresilient.fuzz.seed=" + seed + " -Dresilient.fuzz.shapes=" + shapes
                + " -Dtest=ShapeFuzzTest\n" + batch.describe();
        Compilation compilation;
        try {
            compilation = Compiled.compile(OPTIONS, batch.files().toArray(JavaFileObject[]::new));
        } catch (RuntimeException crash) {
            throw new AssertionError("javac or the processor crashed; " + replay, crash);
        }
        List<Diagnostic<? extends JavaFileObject>> diagnostics = compilation.diagnostics().stream()
                .filter(diagnostic -> diagnostic.getKind() != Diagnostic.Kind.NOTE)
                .toList();
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics) {
            String message = diagnostic.getMessage(Locale.ROOT);
            assertTrue(!message.contains("[ResilientInternalError]"), () -> message + "\n" + replay);
            assertTrue(diagnostic.getSource() == null || !diagnostic.getSource().toUri().toString().contains("SOURCE_OUTPUT"),
                    () -> "a diagnostic in generated code: " + diagnostic + "\n" + replay);
        }
        if (batch.mistake() != null) {
            Mistake mistake = batch.mistake();
            assertTrue(!diagnostics.isEmpty(), () -> "no error for the planted " + mistake + "\n" + replay);
            for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics) {
                String message = diagnostic.getMessage(Locale.ROOT);
                assertTrue(diagnostic.getKind() == Diagnostic.Kind.ERROR && message.contains("[" + mistake.id() + "]")
                                && diagnostic.getSource() != null
                                && Path.of(diagnostic.getSource().getName()).getFileName().toString().equals(mistake.file() + ".java"),
                        () -> "expected only [" + mistake.id() + "] errors in " + mistake.file() + ", got " + diagnostic + "\n" + replay);
            }
            return;
        }
        assertTrue(diagnostics.isEmpty(), () -> "expected a clean compilation, got " + diagnostics + "\n" + replay);
        Compiled compiled = Compiled.of(compilation);
        for (Shape shape : batch.shapes()) {
            try {
                exercise(compiled, shape);
            } catch (AssertionError | Exception e) {
                throw new AssertionError(shape.iface() + ": " + e + "\n" + replay, e);
            }
        }
    }

    /** Builds the wrapper (and a failover) over a recording delegate and calls each of its methods once. */
    private static void exercise(Compiled compiled, Shape shape) throws Exception {
        Class<?> iface = compiled.load(shape.iface());
        Class<?> wrapperType = compiled.load(shape.wrapper());
        Recorder recorder = new Recorder();
        Object delegate = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, recorder);
        var constructor = wrapperType.getConstructor(iface, ResilienceContext.class);
        constructor.setAccessible(true);
        Object wrapper = constructor.newInstance(delegate, context());
        List<Method> methods = Arrays.stream(wrapperType.getDeclaredMethods())
                .filter(method -> !method.isSynthetic() && !Modifier.isStatic(method.getModifiers()))
                .toList();
        Values values = new Values();
        for (Method method : methods) {
            callOnce(wrapper, method, recorder, values);
        }
        Method failover = Arrays.stream(wrapperType.getDeclaredMethods()).filter(method -> method.getName().equals("failover")
                && Modifier.isStatic(method.getModifiers())).findFirst().orElseThrow();
        failover.setAccessible(true);
        Object failing = failover.invoke(null, context(), delegate, Array.newInstance(iface, 0));
        for (Method method : methods) {
            callOnce(failing, failing.getClass().getDeclaredMethod(method.getName(), method.getParameterTypes()), recorder, values);
        }
        if (shape.user() != null) {
            assertNotNull(compiled.load(shape.user()).getMethod("use", ResilienceContext.class).invoke(null, context()));
        }
    }

    private static ResilienceContext context() {
        return ResilienceContext.builder().time(new ManualTime()).build();
    }

    private static void callOnce(Object target, Method method, Recorder recorder, Values values) throws Exception {
        method.setAccessible(true);
        Object[] args = Arrays.stream(method.getParameterTypes()).map(values::of).toArray();
        boolean async = CompletionStage.class.isAssignableFrom(method.getReturnType());
        Object value = method.getReturnType() == void.class ? null : values.of(async ? Object.class : method.getReturnType());
        Object answer = async ? CompletableFuture.completedFuture(value) : value;
        recorder.arm(answer);
        Object result;
        try {
            result = method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw new AssertionError(method + " threw", e.getCause());
        } finally {
            recorder.disarm();
        }
        assertEquals(List.of(method.getName() + Arrays.deepToString(args)), recorder.calls, method.toString());
        recorder.calls.clear();
        Object returned = async ? ((CompletionStage<?>) result).toCompletableFuture().get(10, TimeUnit.SECONDS) : result;
        assertTrue(Objects.deepEquals(value, returned), () -> method + " returned " + returned + ", not " + value);
    }

    /** The delegate: records each call made while armed and answers it; answers Object's methods otherwise. */
    private static final class Recorder implements InvocationHandler {
        final List<String> calls = new ArrayList<>();
        private boolean armed;
        private Object answer;

        void arm(Object answer) {
            this.answer = answer;
            this.armed = true;
        }

        void disarm() {
            armed = false;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            if (!armed) {
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "delegate";
                    default -> throw new AssertionError("unexpected call " + method);
                };
            }
            calls.add(method.getName() + (args == null ? "[]" : Arrays.deepToString(args)));
            return answer;
        }
    }

    /** A value of each erased type, distinct from the last. */
    private static final class Values {
        private int next;

        Object of(Class<?> type) {
            int n = ++next;
            if (type.isPrimitive()) {
                return switch (type.getName()) {
                    case "int" -> n;
                    case "long" -> (long) n;
                    case "boolean" -> n % 2 == 0;
                    case "char" -> (char) ('a' + n % 26);
                    case "byte" -> (byte) n;
                    case "short" -> (short) n;
                    case "float" -> n + 0.5f;
                    default -> n + 0.25;
                };
            }
            if (type.isArray()) {
                Object array = Array.newInstance(type.getComponentType(), 1);
                Array.set(array, 0, of(type.getComponentType()));
                return array;
            }
            if (type.isAssignableFrom(String.class)) { // Object, CharSequence, Comparable, Serializable
                return "v" + n;
            }
            if (type.isAssignableFrom(Integer.class)) {
                return n;
            }
            if (type.isAssignableFrom(List.class)) {
                return List.of("e" + n);
            }
            if (type.isAssignableFrom(Set.class)) {
                return Set.of("s" + n);
            }
            if (type == Map.Entry.class) {
                return Map.entry("k", "v" + n);
            }
            if (type == Map.class) {
                return Map.of("k", "v" + n);
            }
            if (type == Optional.class) {
                return Optional.of("o" + n);
            }
            if (type == java.sql.Date.class) {
                return new java.sql.Date(n);
            }
            if (type == java.util.Date.class) {
                return new java.util.Date(n);
            }
            if (type.isAssignableFrom(CompletableFuture.class)) {
                return CompletableFuture.completedFuture("p" + n);
            }
            if (type.isEnum()) {
                return type.getEnumConstants()[0];
            }
            if (type.isInterface()) {
                return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> type.getSimpleName() + "@" + n;
                });
            }
            try {
                if (Throwable.class.isAssignableFrom(type)) {
                    return type.getConstructor(String.class).newInstance("failure " + n);
                }
                var constructor = type.getDeclaredConstructor();
                constructor.setAccessible(true);
                return constructor.newInstance();
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("no value of " + type, e);
            }
        }
    }

    /** One compilation: its files, the interfaces to exercise, and the one planted mistake, if any. */
    record Batch(List<JavaFileObject> files, List<String> sources, List<Shape> shapes, Mistake mistake) {
        String describe() {
            return (mistake == null ? "" : "planted: " + mistake + "\n") + String.join("\n", sources);
        }
    }

    /** A generated interface: its binary name, its wrapper's, and the class passing it lambdas, if any. */
    record Shape(String iface, String wrapper, String user) {}

    /** A mistake the generator planted: the id it must be reported with, and the file it is in. */
    record Mistake(String id, String file) {}

    /** A type as the generated source writes it, and what the generator must know of it. */
    record Type(String text, String erasure, boolean raw, boolean reifiable, boolean async) {
        static Type of(String text, String erasure) {
            return new Type(text, erasure, false, true, false);
        }

        String defaultValue() {
            return switch (text) {
                case "void" -> "";
                case "boolean" -> "false";
                case "char" -> "'c'";
                case "byte", "short" -> "(" + text + ") 0";
                case "int", "long", "float", "double" -> "0";
                default -> "null";
            };
        }
    }

    /** A type variable in scope: its name, its bounds as written, the erasure, and a type argument within them. */
    record Variable(String name, String bounds, String erasure, String witness) {
        String declaration() {
            return bounds.isEmpty() ? name : name + " extends " + bounds;
        }
    }

    /** A generated method, as the class passing lambdas must know it. */
    record MethodShape(String name, List<Variable> variables, Type returned, List<Type> parameters, boolean isDefault) {}

    private static final class Generator {
        private static final String ANNOTATIONS = "dev.resilient.annotations.";
        /** Names the wrapper writes or declares: nested types, constants, methods and parameters take them. */
        private static final List<String> CLASHING_TYPES = List.of("Map", "Entry", "Jitter", "Permit", "Retry", "Breaker",
                "Timeout", "Duration", "List", "Objects", "ResilienceContext", "Failover", "MethodPolicies", "MethodEvents", "Override", "Throwable", "Void",
                "Exception", "Object", "String", "Class", "SuppressWarnings", "Deprecated", "Generated", "ArrayList", "Fallback",
                "Bulkhead", "RetrySpec", "BreakerSpec", "Overrides", "SafeVarargs", "Integer", "delegate");
        private static final List<String> PACKAGE_TYPES = List.of("Override", "Throwable", "Void", "Objects", "List", "Permit",
                "Duration", "Retry", "Object", "Failover", "Exception", "Class");
        private static final List<String> CONSTANTS = List.of("delegate", "context", "GET_RETRY", "Failover", "permit", "failure",
                "WEATHER_BREAKER", "start");
        private static final List<String> METHOD_NAMES = List.of("get", "put", "find", "delegate", "context", "failover", "permit",
                "start", "result", "attempt", "failure", "lastFailure", "Failover", "call", "callAsync", "list", "values");
        private static final List<String> PARAMETER_NAMES = List.of("a", "b", "c", "delegate", "context", "failure", "attempt",
                "start", "permit", "result", "lastFailure", "primary", "backups", "delegates", "java", "dev", "Objects", "$");
        /** Type variables hide types of their names from their class's and method's annotations: Generated, Override. */
        private static final List<String> VARIABLE_NAMES = List.of("T", "E", "K", "V", "R", "T1", "Permit", "List", "X", "Generated",
                "Override", "Deprecated", "SuppressWarnings");
        private static final List<String> HOSTILE_NAMES = List.of("a*/b", "*/ class X {", "\\u002a/ end", "{@code x} @param",
                "<b>&amp;</b>", "\"quoted\"", "tab\there", "line\nnext", "caf\u00e9 \u2028 \u0000", "\\", "#1", "weather");
        private static final List<String> DURATIONS = List.of("0", "1ms", "10ms", "PT0.01S", "1s");

        private final Random random;
        /** Mostly {@code fuzz}; sometimes the unnamed package, where nothing can be qualified. */
        private final String pkg;
        private final List<JavaFileObject> files = new ArrayList<>();
        private final List<String> sources = new ArrayList<>();
        private final List<Shape> shapes = new ArrayList<>();
        private Mistake mistake;
        private int names;

        Generator(Random random) {
            this.random = random;
            this.pkg = random.nextInt(8) == 0 ? "" : "fuzz";
        }

        Batch batch(int count) {
            // A type-use annotation, which javac writes into the toString() of the types it is on.
            file("N", "@java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE_USE) @interface N {}\n");
            for (String name : PACKAGE_TYPES) {
                if (random.nextInt(6) == 0) {
                    file(name, "public class " + name + " {}\n");
                }
            }
            int planted = random.nextInt(5) == 0 ? random.nextInt(count) : -1;
            for (int i = 0; i < count; i++) {
                new InterfaceWriter(i, i == planted).write();
            }
            if (shapes.stream().allMatch(shape -> shape.user() == null)) {
                functional(count);
            }
            return new Batch(files, sources, shapes, mistake);
        }

        /** A functional interface, so that every compilation has a class passing a lambda to a wrapper. */
        private void functional(int index) {
            String name = "F" + index;
            file(name, "@" + ANNOTATIONS + "Retryable(delay = \"0\")\npublic interface " + name
                    + " {\n    java.lang.String apply(java.lang.String city) throws java.io.IOException;\n}\n");
            String user = "U" + index;
            file(user, "public class " + user + " {\n"
                    + "    public static java.lang.Object use(dev.resilient.runtime.ResilienceContext context) {\n"
                    + "        java.lang.Runnable anonymous = new java.lang.Runnable() {\n"
                    + "            @java.lang.Override public void run() {}\n"
                    + "        };\n"
                    + "        " + name + " one = new Resilient" + name + "(city -> city, context);\n"
                    + "        " + name + " two = Resilient" + name + ".failover(context,\n"
                    + "                city -> { throw new java.io.IOException(city); }, city -> city);\n"
                    + "        return java.util.List.of(one, two, anonymous);\n"
                    + "    }\n"
                    + "}\n");
            shapes.add(new Shape(binary(name), binary("Resilient" + name), binary(user)));
        }

        /** A source file of the package. */
        private void file(String name, String declarations) {
            String source = (pkg.isEmpty() ? "" : "package " + pkg + ";\n\n") + declarations;
            files.add(Compiled.source(binary(name), source.split("\n", -1)));
            sources.add("// " + name + ".java\n" + source);
        }

        /** The binary name of a class of the package. */
        private String binary(String name) {
            return pkg.isEmpty() ? name : pkg + "." + name;
        }

        private boolean chance(int percent) {
            return random.nextInt(100) < percent;
        }

        private <T> T pick(List<T> from) {
            return from.get(random.nextInt(from.size()));
        }

        private String unique(String base) {
            return base + (++names);
        }

        /** One interface, its super-interfaces and its user class. */
        private final class InterfaceWriter {
            private final int index;
            private final boolean broken;
            private final String simpleName;
            private final String holder;
            private final List<Variable> classVariables = new ArrayList<>();
            private final List<String> nestedTypes = new ArrayList<>();
            private final List<MethodShape> methods = new ArrayList<>();
            /** Methods inherited from the generated super-interfaces, and whether each is abstract. */
            private final List<MethodShape> inherited = new ArrayList<>();
            private final Set<String> erasures = new HashSet<>();
            private final StringBuilder body = new StringBuilder();
            private final List<String> supers = new ArrayList<>();
            private boolean anyAsync;
            private boolean annotated;

            InterfaceWriter(int index, boolean broken) {
                this.index = index;
                this.broken = broken;
                this.simpleName = "I" + index;
                this.holder = chance(20) || broken ? "H" + index : null;
            }

            /** The interface as other code in the package names it, type arguments included. */
            private String reference() {
                String name = holder == null ? simpleName : holder + "." + simpleName;
                return classVariables.isEmpty() ? name
                        : name + classVariables.stream().map(Variable::name).collect(Collectors.joining(", ", "<", ">"));
            }

            void write() {
                for (int i = random.nextInt(3); i > 0; i--) {
                    String name = pick(VARIABLE_NAMES);
                    Variable variable = !classVariables.isEmpty() && chance(25)
                            ? new Variable(name, "java.util.List<" + classVariables.get(0).name() + ">", "java.util.List",
                                    "java.util.List<" + classVariables.get(0).witness() + ">")
                            : variable(name);
                    if (classVariables.stream().noneMatch(existing -> existing.name().equals(variable.name()))) {
                        classVariables.add(variable);
                    }
                }
                for (int i = random.nextInt(4); i > 0; i--) {
                    String name = pick(CLASHING_TYPES);
                    if (!nestedTypes.contains(name) && classVariables.stream().noneMatch(variable -> variable.name().equals(name))) {
                        nestedTypes.add(name);
                        body.append("    ").append(switch (random.nextInt(4)) {
                            case 0 -> "record " + name + "() {}";
                            case 1 -> "enum " + name + " { ONE }";
                            case 2 -> "interface " + name + " {}";
                            default -> "class " + name + " {}";
                        }).append('\n');
                    }
                }
                if (chance(20)) {
                    nestedTypes.add("Old");
                    body.append("    @java.lang.Deprecated class Old {}\n");
                }
                for (int i = random.nextInt(3); i > 0; i--) {
                    String name = pick(CONSTANTS);
                    if (!body.toString().contains(" " + name + " = ")) {
                        body.append("    int ").append(name).append(" = ").append(i).append(";\n");
                    }
                }
                writeSupers();
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    method(pick(METHOD_NAMES), chance(25));
                }
                if (chance(10)) {
                    body.append(chance(50) ? "    boolean equals(java.lang.Object other);\n" : "    boolean equals(java.lang.@N Object other);\n");
                    if (chance(50)) {
                        body.append("    int hashCode();\n");
                    }
                }
                if (chance(10)) {
                    body.append("    java.lang.String overrideKeys();\n");
                }
                if (chance(10)) {
                    body.append("    java.lang.String toString();\n");
                }
                if (chance(15) && erasures.add("format[java.util.Date]") && erasures.add("format[java.sql.Date]")) {
                    // Overloads whose parameter types have one simple name.
                    body.append("    " + retryable(true) + " java.lang.String format(java.util.Date date);\n"
                            + "    java.lang.String format(java.sql.Date date)"
                            + " throws java.io.IOException, java.util.concurrent.TimeoutException;\n");
                    methods.add(new MethodShape("format", List.of(), Type.of("java.lang.String", "java.lang.String"), List.of(), false));
                    methods.add(new MethodShape("format", List.of(), Type.of("java.lang.String", "java.lang.String"), List.of(), false));
                    annotated = true;
                }
                if (chance(10)) {
                    body.append("    static int helper() { return 0; }\n    private int secret() { return 1; }\n");
                }
                // Overloads of one arity taking functional interfaces make javac warn [overloads] on the interface
                // itself, which is the user's to suppress (found with seed 991337); the wrapper must stay clean regardless.
                List<String> names = erasures.stream().map(erasure -> erasure.replaceAll("[\\[*].*", "")).toList();
                String typeAnnotations = typeAnnotations(names.size() != new HashSet<>(names).size());
                if (broken) {
                    plant();
                }
                String header = typeAnnotations + (holder == null ? "public " : "") + "interface " + simpleName
                        + (classVariables.isEmpty() ? "" : classVariables.stream().map(Variable::declaration)
                                .collect(Collectors.joining(", ", "<", ">")))
                        + (supers.isEmpty() ? "" : " extends " + String.join(", ", supers));
                String declaration = header + " {\n" + body + "}\n";
                if (holder == null) {
                    file(simpleName, declaration);
                    shapesAdd(binary(simpleName), binary("Resilient" + simpleName));
                } else {
                    String secret = broken && mistake.id().equals("ResilientInaccessibleType") ? "    private static class Secret {}\n" : "";
                    file(holder, "class " + holder + " {\n" + secret + declaration.indent(4) + "}\n");
                    shapesAdd(binary(holder + "$" + simpleName), binary("Resilient" + holder + "_" + simpleName));
                }
            }

            private void shapesAdd(String iface, String wrapper) {
                String user = userClass();
                shapes.add(new Shape(iface, wrapper, user));
            }

            /** Zero to two generated super-interfaces (sometimes a diamond), and sometimes a JDK one. */
            private void writeSupers() {
                if (chance(25)) {
                    diamond();
                }
                for (int i = random.nextInt(2); i > 0; i--) {
                    base();
                }
                if (chance(15)) {
                    supers.add("java.io.Serializable");
                }
                if (chance(20)) {
                    jdkSuper();
                }
            }

            /** A super-interface from the JDK, a class file: its methods are inherited without source. */
            private void jdkSuper() {
                String argument = classVariables.isEmpty() || chance(50) ? "java.lang.String" : pick(classVariables).name();
                Type value = Type.of(argument, "java.lang.Object");
                switch (random.nextInt(7)) {
                    case 0 -> jdk("java.util.Comparator<" + argument + ">", List.of("compare", "equals", "reversed", "thenComparing",
                            "thenComparingInt", "thenComparingLong", "thenComparingDouble"), "compare", Type.of("int", "int"), 2);
                    case 1 -> jdk("java.util.concurrent.Callable<" + argument + ">", List.of("call"), "call", value, 0);
                    case 2 -> jdk("java.util.function.Supplier<" + argument + ">", List.of("get"), "get", value, 0);
                    case 3 -> jdk("java.util.function.Function<" + argument + ", java.lang.Integer>", List.of("apply", "compose", "andThen"),
                            "apply", value, 1);
                    case 4 -> jdk("java.lang.Runnable", List.of("run"), "run", new Type("void", "void", false, true, false), 0);
                    case 5 -> jdk("java.lang.Comparable<" + argument + ">", List.of("compareTo"), "compareTo", Type.of("int", "int"), 1);
                    default -> {
                        jdk("java.util.Iterator<" + argument + ">", List.of("hasNext", "next", "remove", "forEachRemaining"), "hasNext",
                                Type.of("boolean", "boolean"), 0);
                        inherited.add(new MethodShape("next", List.of(), value, List.of(), false));
                    }
                }
            }

            private void jdk(String type, List<String> names, String method, Type returned, int parameters) {
                supers.add(type);
                names.forEach(name -> erasures.add(name + "*"));
                inherited.add(new MethodShape(method, List.of(), returned,
                        IntStream.range(0, parameters).mapToObj(i -> Type.of("java.lang.Object", "java.lang.Object")).toList(), false));
            }

            /** Two unrelated super-interfaces declaring one method with covariant returns, one of them annotated or both alike. */
            private void diamond() {
                String name = unique("pick");
                String a = "B" + index + "a" + names;
                String b = "B" + index + "b" + names;
                boolean generic = chance(50);
                String annotation = chance(60) ? "@" + ANNOTATIONS + "Retryable(maxAttempts = 2, delay = \"0\") " : "";
                boolean both = chance(30);
                String wide = generic ? "X" : pick(List.of("java.lang.Object", "java.lang.CharSequence"));
                file(a, "interface " + a + (generic ? "<X>" : "") + " {\n    "
                        + (both ? annotation : "") + wide + " " + name + "();\n}\n");
                file(b, "interface " + b + " {\n    " + annotation + "java.lang.String " + name + "();\n}\n");
                supers.add(generic ? a + "<java.lang.String>" : a);
                supers.add(b);
                annotated |= !annotation.isEmpty();
                inherited.add(new MethodShape(name, List.of(), Type.of("java.lang.String", "java.lang.String"), List.of(), false));
                erasures.add(name + "[]");
            }

            /** A super-interface, generic or not, whose methods the interface inherits (a type variable maybe shadowing one of its own). */
            private void base() {
                String name = "B" + index + "_" + (++names);
                boolean generic = chance(40);
                StringBuilder methodsText = new StringBuilder();
                String max = unique("max");
                methodsText.append("    ").append(chance(30) ? "@" + ANNOTATIONS + "Timeout(\"5s\") " : "")
                        .append("<E extends java.lang.Comparable<E>> E ").append(max).append("(java.util.List<E> values);\n");
                inherited.add(new MethodShape(max, List.of(new Variable("E", "", "", "")), Type.of("E", "java.lang.Comparable"),
                        List.of(Type.of("java.util.List<E>", "java.util.List")), false));
                erasures.add(max + "[java.util.List]");
                if (generic) {
                    String put = unique("store");
                    methodsText.append("    void ").append(put).append("(Y value) throws java.io.IOException;\n");
                    erasures.add(put + "[java.lang.Object]");
                    inherited.add(new MethodShape(put, List.of(), Type.of("void", "void"), List.of(Type.of("Y", "java.lang.Object")), false));
                    String narrow = unique("narrow");
                    methodsText.append("    <U extends Y> U ").append(narrow).append("(U value, java.util.List<? super Y> into);\n");
                    inherited.add(new MethodShape(narrow, List.of(new Variable("U", "", "", "")), Type.of("U", "java.lang.Object"),
                            List.of(), false));
                }
                file(name, (chance(30) ? "@" + ANNOTATIONS + "Breaker " : "") + "interface " + name
                        + (generic ? "<Y>" : "") + " {\n" + methodsText + "}\n");
                supers.add(generic ? name + "<" + (classVariables.isEmpty() ? "java.lang.Integer" : pick(classVariables).name()) + ">" : name);
            }

            private Variable variable(String name) {
                return switch (random.nextInt(6)) {
                    case 0 -> new Variable(name, "java.lang.Comparable<" + name + ">", "java.lang.Comparable", "java.lang.String");
                    case 1 -> new Variable(name, "java.lang.Number", "java.lang.Number", "java.lang.Integer");
                    case 2 -> new Variable(name, "java.lang.Object & java.lang.Comparable<? super " + name + ">", "java.lang.Object",
                            "java.lang.String");
                    case 3 -> new Variable(name, "java.lang.CharSequence & java.io.Serializable", "java.lang.CharSequence",
                            "java.lang.String");
                    default -> new Variable(name, "", "java.lang.Object", "java.lang.String");
                };
            }

            /** A type for a signature, from what is in scope. */
            private Type type(List<Variable> variables, int depth, boolean argument) {
                int choice = random.nextInt(depth > 1 ? 8 : 16);
                List<Variable> scope = new ArrayList<>(classVariables);
                variables.forEach(variable -> scope.removeIf(existing -> existing.name().equals(variable.name())));
                scope.addAll(variables);
                return switch (choice) {
                    case 0 -> argument ? Type.of("java.lang.Integer", "java.lang.Integer") : primitive();
                    case 1 -> Type.of("java.lang.String", "java.lang.String");
                    case 2 -> Type.of("java.lang.Object", "java.lang.Object");
                    case 3 -> scope.isEmpty() ? Type.of("java.lang.CharSequence", "java.lang.CharSequence") : variableType(pick(scope));
                    case 4 -> nestedTypes.isEmpty() ? Type.of("java.util.Date", "java.util.Date") : nested(pick(nestedTypes));
                    case 5 -> Type.of("java.util.Date", "java.util.Date");
                    case 6 -> Type.of("java.sql.Date", "java.sql.Date");
                    case 7 -> Type.of("java.lang.Integer", "java.lang.Integer");
                    case 8 -> generic("java.util.List", type(variables, depth + 1, true));
                    case 9 -> generic("java.util.Set", wildcard(type(variables, depth + 1, true)));
                    case 10 -> {
                        Type value = type(variables, depth + 1, true);
                        yield new Type("java.util.Map<java.lang.String, " + value.text() + ">", "java.util.Map", value.raw(),
                                false, false);
                    }
                    case 11 -> new Type("java.util.List", "java.util.List", true, true, false);
                    case 12 -> {
                        Type component = type(variables, depth + 1, false);
                        yield new Type(component.text() + "[]", component.erasure() + "[]", component.raw(),
                                component.reifiable(), false);
                    }
                    case 13 -> {
                        Type bound = type(variables, depth + 1, true);
                        yield generic("java.util.List", new Type("? super " + bound.text(), "", bound.raw(), false, false));
                    }
                    case 14 -> chance(50) ? generic("java.util.Optional", type(variables, depth + 1, true))
                            : entry(type(variables, depth + 1, true));
                    default -> generic("java.lang.Comparable", type(variables, depth + 1, true));
                };
            }

            private Type primitive() {
                String name = pick(List.of("int", "long", "boolean", "double", "char", "byte", "short", "float"));
                return new Type(name, name, false, true, false);
            }

            private Type variableType(Variable variable) {
                return new Type(variable.name(), variable.erasure(), false, false, false);
            }

            private Type nested(String name) {
                String qualified = holder == null ? simpleName + "." + name : holder + "." + simpleName + "." + name;
                return Type.of(name, binary(qualified));
            }

            private Type entry(Type value) {
                return new Type("java.util.Map.Entry<java.lang.String, " + value.text() + ">", "java.util.Map.Entry", value.raw(), false,
                        false);
            }

            private Type generic(String raw, Type argument) {
                return new Type(raw + "<" + argument.text() + ">", raw, argument.raw(), false, false);
            }

            private Type wildcard(Type bound) {
                return new Type(chance(50) ? "? extends " + bound.text() : "?", "", bound.raw(), false, false);
            }

            private Type returnType(List<Variable> variables) {
                return switch (random.nextInt(12)) {
                    case 0, 1 -> new Type("void", "void", false, true, false);
                    case 2 -> stage("java.util.concurrent.CompletionStage", type(variables, 1, true));
                    case 3 -> stage("java.util.concurrent.CompletableFuture", type(variables, 1, true));
                    case 4 -> stage(pick(List.of("java.util.concurrent.CompletionStage", "java.util.concurrent.CompletableFuture")),
                            new Type(pick(List.of("?", "? extends java.lang.Number", "? super java.lang.Integer")), "", false,
                                    false, false));
                    default -> type(variables, 0, false);
                };
            }

            private Type stage(String stage, Type value) {
                return new Type(stage + "<" + value.text() + ">", stage, value.raw(), false, true);
            }

            /**
             * One method: maybe generic (its variables often named like the interface's), maybe an
             * overload, maybe default, maybe annotated, maybe with a fallback to a default method of
             * its signature. Skipped where it would have the erasure of another.
             */
            private void method(String name, boolean isDefault) {
                List<Variable> variables = new ArrayList<>();
                for (int i = random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0; i > 0; i--) {
                    String variableName = !classVariables.isEmpty() && chance(50) ? pick(classVariables).name()
                            : chance(10) ? (holder == null || chance(50) ? simpleName : holder)
                            : pick(VARIABLE_NAMES);
                    if (variables.stream().noneMatch(existing -> existing.name().equals(variableName)) && !nestedTypes.contains(variableName)) {
                        variables.add(variable(variableName));
                    }
                }
                Type returned = returnType(variables);
                List<Type> parameters = new ArrayList<>();
                for (int i = random.nextInt(name.equals("failover") ? 3 : 4); i > 0; i--) {
                    parameters.add(type(variables, 0, false));
                }
                String throwsClause = chance(20) ? " throws java.io.IOException" : "";
                if (chance(10)) {
                    // A generic throws clause: the variable is the failure type.
                    String variableName = pick(VARIABLE_NAMES);
                    if (variables.stream().noneMatch(existing -> existing.name().equals(variableName)) && !nestedTypes.contains(variableName)) {
                        Variable failure = new Variable(variableName, "java.lang.Exception", "java.lang.Exception", "java.lang.Exception");
                        variables.add(failure);
                        parameters.add(new Type(variableName, "java.lang.Exception", false, false, false));
                        throwsClause = " throws " + variableName;
                    }
                }
                boolean varargs = !parameters.isEmpty() && chance(25);
                List<String> erased = new ArrayList<>(parameters.stream().map(Type::erasure).toList());
                if (varargs) {
                    erased.set(erased.size() - 1, erased.get(erased.size() - 1) + "[]");
                }
                if (erasures.contains(name + "*") || !erasures.add(name + erased)) {
                    return; // would not compile beside an overload of the same erasure
                }
                StringBuilder parameterList = new StringBuilder("(");
                Set<String> parameterNames = new HashSet<>();
                for (int i = 0; i < parameters.size(); i++) {
                    String parameterName = pick(PARAMETER_NAMES);
                    while (!parameterNames.add(parameterName)) {
                        parameterName = parameterName + i;
                    }
                    boolean last = i == parameters.size() - 1;
                    String text = chance(15) ? typeUse(parameters.get(i).text()) : parameters.get(i).text();
                    parameterList.append(i == 0 ? "" : ", ").append(text).append(varargs && last ? "..." : "")
                            .append(' ').append(parameterName);
                }
                parameterList.append(')');
                String typeParameters = variables.isEmpty() ? ""
                        : variables.stream().map(Variable::declaration).collect(Collectors.joining(", ", "<", "> "));
                List<String> suppressed = new ArrayList<>();
                if (returned.raw() || parameters.stream().anyMatch(Type::raw)) {
                    suppressed.add("\"rawtypes\"");
                }
                if (varargs && !parameters.get(parameters.size() - 1).reifiable()) {
                    suppressed.add("\"unchecked\"");
                }
                String suppression = suppressed.isEmpty() ? "" : "@java.lang.SuppressWarnings({" + String.join(", ", suppressed) + "}) ";
                String returnStatement = returned.text().equals("void") ? " }" : " return " + returned.defaultValue() + "; }";
                StringBuilder annotations = new StringBuilder(suppression);
                if (chance(10)) {
                    annotations.append("@java.lang.Deprecated ");
                }
                anyAsync |= returned.async() && !isDefault;
                // A parameter named dev hides the package in the annotation's expressions (Jitter.FULL), as javac reads them.
                String policies = chance(60) ? methodAnnotations(returned.async(), !parameterNames.contains("dev")) : "";
                annotations.append(policies);
                annotated |= !policies.isEmpty();
                if (chance(25)) {
                    String target = unique("fb");
                    String failure = pick(List.of("", "", "java.lang.Exception", "java.lang.Throwable", "java.lang.Object",
                            "java.io.Serializable"));
                    annotations.append("@" + ANNOTATIONS + "Fallback(\"").append(target).append("\") ");
                    annotated = true;
                    String targetParameters = failure.isEmpty() ? parameterList.toString()
                            : parameterList.substring(0, parameterList.length() - 1) + (parameters.isEmpty() ? "" : ", ") + failure + " cause)";
                    if (varargs && !failure.isEmpty()) {
                        targetParameters = targetParameters.replace("...", "[]");
                    }
                    body.append("    ").append(suppression).append("default ").append(typeParameters).append(returned.text()).append(' ')
                            .append(target).append(targetParameters).append(" {").append(returnStatement).append('\n');
                }
                body.append("    ").append(annotations).append(isDefault ? "default " : "").append(typeParameters).append(returned.text())
                        .append(' ').append(name).append(parameterList).append(throwsClause)
                        .append(isDefault ? " {" + returnStatement + "\n" : ";\n");
                methods.add(new MethodShape(name, variables, returned, parameters, isDefault));
            }

            /** {@code text} with the type-use annotation {@code @N} on its outermost type, where Java lets it be written. */
            private static String typeUse(String text) {
                int end = text.indexOf('<') < 0 ? text.length() : text.indexOf('<');
                int dot = text.lastIndexOf('.', end);
                return dot < 0 ? "@N " + text : text.substring(0, dot + 1) + "@N " + text.substring(dot + 1);
            }

            private String methodAnnotations(boolean async, boolean jitter) {
                StringBuilder annotations = new StringBuilder();
                if (chance(50)) {
                    annotations.append(retryable(jitter)).append(' ');
                } else if (chance(30)) {
                    annotations.append(hedge()).append(' '); // replacing the interface's @Retryable, if it has one
                    if (chance(30)) {
                        annotations.append("@" + ANNOTATIONS + "RetryBudget ");
                    }
                }
                if (chance(40)) {
                    annotations.append(breaker()).append(' ');
                }
                if (chance(25)) {
                    annotations.append("@" + ANNOTATIONS + "Timeout(\"").append(pick(List.of("5s", "PT10S", "1m"))).append("\") ");
                }
                if (chance(20)) {
                    annotations.append(bulkhead(async)).append(' ');
                }
                return annotations.toString();
            }

            private String typeAnnotations(boolean overloads) {
                StringBuilder annotations = new StringBuilder();
                if (chance(40)) {
                    annotations.append(retryable(true)).append('\n');
                }
                if (chance(40)) {
                    annotations.append(breaker()).append('\n');
                }
                if (chance(15)) {
                    annotations.append("@" + ANNOTATIONS + "Timeout(\"5s\")\n");
                }
                if (chance(15)) {
                    annotations.append(bulkhead(anyAsync)).append('\n');
                }
                if (annotations.length() == 0 && (!annotated || chance(30))) {
                    annotations.append("@" + ANNOTATIONS + "Retryable\n");
                }
                List<String> suppressed = new ArrayList<>();
                if (chance(15)) {
                    suppressed.add(pick(List.of("rawtypes", "unchecked", "all", "x\\ty")));
                }
                if (overloads) {
                    suppressed.add("overloads");
                }
                if (!suppressed.isEmpty()) {
                    annotations.append("@java.lang.SuppressWarnings({\"").append(String.join("\", \"", suppressed)).append("\"})\n");
                }
                return annotations.toString();
            }

            private String retryable(boolean jitter) {
                List<String> attributes = new ArrayList<>();
                if (chance(50)) {
                    attributes.add("maxAttempts = " + (1 + random.nextInt(4)));
                }
                String delay = pick(DURATIONS);
                if (chance(60)) {
                    attributes.add("delay = \"" + delay + "\"");
                } else {
                    delay = "100ms";
                }
                if (chance(30)) {
                    attributes.add("multiplier = " + pick(List.of("1.0", "1.5", "3.0")));
                }
                if (chance(20)) {
                    attributes.add("maxDelay = \"" + pick(List.of("1s", "PT2S", "1m")) + "\"");
                }
                if (jitter && chance(20)) {
                    attributes.add("jitter = dev.resilient.annotations.Jitter." + pick(List.of("NONE", "FULL", "EQUAL")));
                }
                if (chance(20)) {
                    attributes.add("maxDuration = \"" + pick(List.of("2m", "1h")) + "\""); // beyond every timeout: TimeoutBeyondBudget
                }
                if (chance(20)) {
                    attributes.add("retryOn = {java.io.IOException.class, java.lang.IllegalStateException.class}");
                }
                if (chance(20)) {
                    attributes.add("abortOn = java.lang.IllegalArgumentException.class");
                }
                Collections.shuffle(attributes, random);
                return "@" + ANNOTATIONS + "Retryable(" + String.join(", ", attributes) + ")";
            }

            /** A delay that never runs out here, where the clock does not move: each call makes one attempt. */
            private String hedge() {
                List<String> attributes = new ArrayList<>();
                if (chance(50)) {
                    attributes.add("maxAttempts = " + (2 + random.nextInt(3)));
                }
                if (chance(60)) {
                    attributes.add("delay = \"" + pick(List.of("1ms", "10ms", "PT0.01S", "1s")) + "\"");
                }
                Collections.shuffle(attributes, random);
                return "@" + ANNOTATIONS + "Hedge(" + String.join(", ", attributes) + ")";
            }

            private String breaker() {
                List<String> attributes = new ArrayList<>();
                if (chance(40)) {
                    attributes.add("name = " + ShapesTest.javaLiteral(pick(HOSTILE_NAMES) + " " + unique("n")));
                }
                if (chance(30)) {
                    int window = 2 + random.nextInt(9);
                    attributes.add("window = " + window);
                    if (chance(50)) {
                        attributes.add("failureRate = " + pick(List.of("0.1", "0.5", "1.0")));
                    }
                    if (chance(50)) {
                        attributes.add("minimumCalls = " + (1 + random.nextInt(window)));
                    }
                } else if (chance(50)) {
                    attributes.add("failureThreshold = " + (1 + random.nextInt(5)));
                }
                if (chance(30)) {
                    attributes.add("openFor = \"" + pick(List.of("1ms", "10s", "PT1M", "2562047h")) + "\"");
                }
                if (chance(20)) {
                    attributes.add("halfOpenCalls = " + (1 + random.nextInt(3)));
                }
                if (chance(15)) {
                    attributes.add("failOn = java.lang.Exception.class");
                }
                if (chance(15)) {
                    attributes.add("skipOn = {java.lang.IllegalArgumentException.class, java.util.concurrent.CancellationException.class}");
                }
                Collections.shuffle(attributes, random);
                return "@" + ANNOTATIONS + "Breaker(" + String.join(", ", attributes) + ")";
            }

            private String bulkhead(boolean async) {
                return "@" + ANNOTATIONS + "Bulkhead(maxConcurrent = " + (1 + random.nextInt(5))
                        + (async || chance(50) ? "" : ", maxWait = \"10ms\"") + ")";
            }

            /** Plants one documented mistake; the batch expects only its id, in its file. */
            private void plant() {
                String file = holder == null ? simpleName : holder;
                switch (random.nextInt(holder == null ? 6 : 7)) {
                    case 0 -> {
                        body.append("    @" + ANNOTATIONS + "Breaker(openFor = \"9999999999h\") java.lang.String tooLong();\n");
                        mistake = new Mistake("ResilientDuration", file);
                    }
                    case 1 -> {
                        body.append("    ").append(reference()).append(" failover(dev.resilient.runtime.ResilienceContext c, ")
                                .append(reference()).append(" p, ").append(reference()).append("... b);\n");
                        mistake = new Mistake("ResilientMemberClash", file);
                    }
                    case 2 -> {
                        body.append("    @" + ANNOTATIONS + "Fallback(\"cachedForcast\") java.lang.String forecast();\n"
                                + "    default java.lang.String cachedForecast() { return null; }\n");
                        mistake = new Mistake("FallbackMissing", file);
                    }
                    case 3 -> {
                        String a = "C" + index + "a";
                        String b = "C" + index + "b";
                        file(a, "interface " + a + " { @" + ANNOTATIONS
                                + "Retryable(maxAttempts = 2) java.lang.String conflict(); }\n");
                        file(b, "interface " + b + " { @" + ANNOTATIONS
                                + "Retryable(maxAttempts = 3) java.lang.String conflict(); }\n");
                        supers.add(a);
                        supers.add(b);
                        mistake = new Mistake("ResilientInheritedConflict", file);
                    }
                    case 4 -> {
                        String local = "L" + index;
                        file(local, "class " + local + " {\n    void run() {\n        @" + ANNOTATIONS
                                + "Retryable interface Api { java.lang.String call(); }\n    }\n}\n");
                        mistake = new Mistake("ResilientLocal", local);
                    }
                    case 5 -> {
                        body.append("    @" + ANNOTATIONS + "Retryable(maxAttempts = 2) @" + ANNOTATIONS
                                + "Hedge java.lang.String hedged();\n");
                        mistake = new Mistake("HedgeWithRetryable", file);
                    }
                    default -> {
                        body.append("    Secret hidden();\n");
                        mistake = new Mistake("ResilientInaccessibleType", file);
                    }
                }
            }

            /** For a functional interface: a class passing lambdas to its wrapper, with anonymous and local classes. */
            private String userClass() {
                List<MethodShape> abstracts = new ArrayList<>();
                methods.stream().filter(method -> !method.isDefault()).forEach(abstracts::add);
                abstracts.addAll(inherited);
                if (abstracts.size() != 1 || !abstracts.get(0).variables().isEmpty() || broken || body.toString().contains("overrideKeys();")
                        || supers.contains("java.io.Serializable") || supers.stream().anyMatch(name -> name.startsWith("B" + index + "_"))) {
                    return null;
                }
                MethodShape method = abstracts.get(0);
                if (method.returned().raw() || method.parameters().stream().anyMatch(Type::raw) || nestedTypes.contains("Old")) {
                    return null; // javac warns, without a position, of a lambda parameter inferred as raw or deprecated
                }
                String type = (holder == null ? simpleName : holder + "." + simpleName) + witnesses();
                String wrapper = "Resilient" + (holder == null ? "" : holder + "_") + simpleName + witnesses();
                String parameters = IntStream.range(0, method.parameters().size()).mapToObj(i -> "p" + i)
                        .collect(Collectors.joining(", ", "(", ")"));
                String lambda = parameters + " -> " + (method.returned().text().equals("void") ? "{ }" : method.returned().defaultValue());
                String name = "U" + index;
                file(name, "public class " + name + " {\n"
                        + "    public static java.lang.Object use(dev.resilient.runtime.ResilienceContext context) {\n"
                        + "        java.lang.Object anonymous = new java.lang.Object() {\n"
                        + "            @java.lang.Override public java.lang.String toString() { return \"anonymous\"; }\n"
                        + "        };\n"
                        + "        class Local {}\n"
                        + "        " + type + " one = new " + wrapper + "(" + lambda + ", context);\n"
                        + "        " + type + " two = " + wrapper.replaceAll("<.*", "") + "." + witnesses() + "failover(context, "
                        + lambda + ");\n"
                        + "        return java.util.List.of(one, two, anonymous, new Local());\n"
                        + "    }\n"
                        + "}\n");
                return binary(name);
            }

            private String witnesses() {
                return classVariables.isEmpty() ? ""
                        : classVariables.stream().map(Variable::witness).collect(Collectors.joining(", ", "<", ">"));
            }
        }
    }
}
