package dev.resilient.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.resilient.processor.Scripted.call;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every interface shape a Java developer can write compiles under -Xlint:all -Werror and behaves. */
class ShapesTest {
    private final ManualTime time = new ManualTime();
    private final ResilienceContext context = ResilienceContext.builder().time(time).build();

    private Object wrap(Compiled compiled, String iface, String wrapper, Scripted delegate) throws Exception {
        Class<?> type = compiled.load(iface);
        var constructor = compiled.load(wrapper).getConstructor(type, ResilienceContext.class);
        constructor.setAccessible(true); // package-private wrappers of package-private interfaces
        return constructor.newInstance(delegate.proxy(type), context);
    }

    @Test
    void genericInterfaceWithBoundedRecursiveAndWildcardTypes() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Repository",
                "package test;",
                "import dev.resilient.annotations.*;",
                "import java.util.*;",
                "@Retryable(maxAttempts = 2, delay = \"1ms\")",
                "public interface Repository<K extends Comparable<K>, V extends List<? super K>> {",
                "    V find(K key);",
                "    Map<K, ? extends Collection<V>> all(Set<? extends K> keys);",
                "    <E extends Enum<E>> E pick(Class<E> type, K key);",
                "    <X extends Exception> void maybe(X failure) throws X;",
                "}");
        Scripted delegate = new Scripted();
        Object repository = wrap(compiled, "test.Repository", "test.ResilientRepository", delegate);
        assertEquals(1, compiled.load("test.ResilientRepository").getTypeParameters().length - 1);

        delegate.then(new IllegalStateException("flaky"), List.of("a"));
        assertEquals(List.of("a"), call(repository, "find", "k"));
        delegate.then(Thread.State.NEW);
        assertEquals(Thread.State.NEW, call(repository, "pick", Thread.State.class, "k"));
        IOException declared = new IOException("declared through X");
        delegate.then(declared, declared);
        assertSame(declared, assertThrows(IOException.class, () -> call(repository, "maybe", declared)));
    }

    @Test
    void primitivesVoidArraysAndVarargs() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Numbers",
                "package test;",
                "import dev.resilient.annotations.*;",
                "@Breaker",
                "public interface Numbers {",
                "    boolean z(boolean v); byte b(byte v); short s(short v); char c(char v);",
                "    int i(int v); long j(long v); float f(float v); double d(double v);",
                "    void nothing();",
                "    int[][] grid(String[]... rows);",
                "    long sum(long... values);",
                "}");
        Scripted delegate = new Scripted();
        Object numbers = wrap(compiled, "test.Numbers", "test.ResilientNumbers", delegate);
        delegate.then(true, (byte) 1, (short) 2, 'c', 3, 4L, 5f, 6d, null, new int[][] {{7}}, 8L);
        assertEquals(true, call(numbers, "z", false));
        assertEquals((byte) 1, call(numbers, "b", (byte) 0));
        assertEquals((short) 2, call(numbers, "s", (short) 0));
        assertEquals('c', call(numbers, "c", 'x'));
        assertEquals(3, call(numbers, "i", 0));
        assertEquals(4L, call(numbers, "j", 0L));
        assertEquals(5f, call(numbers, "f", 0f));
        assertEquals(6d, call(numbers, "d", 0d));
        assertEquals(null, call(numbers, "nothing"));
        assertArrayEquals(new int[][] {{7}}, (int[][]) call(numbers, "grid", (Object) new String[][] {{"r"}}));
        assertEquals(8L, call(numbers, "sum", (Object) new long[] {1, 2}));
        assertEquals("sum[[1, 2]]", delegate.calls.get(delegate.calls.size() - 1));
        assertTrue(compiled.load("test.ResilientNumbers").getMethod("sum", long[].class).isVarArgs());
    }

    @Test
    void methodsInheritedThroughGenericSuperInterfacesAreResolvedAsMembers() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Catalog",
                "package test;",
                "import dev.resilient.annotations.*;",
                "import java.util.*;",
                "interface Source<T> { T get(String id) throws java.io.IOException; }",
                "interface Listing<T> extends Source<List<T>> { int count(); }",
                "interface Named { String name(); }",
                "interface AlsoNamed { String name(); }",
                "@Retryable(maxAttempts = 3, delay = \"10ms\")",
                "public interface Catalog extends Listing<String>, Named, AlsoNamed, Comparable<Catalog> {",
                "    default String describe() { return name() + \" with \" + count(); }",
                "}");
        String source = compiled.source("test.ResilientCatalog");
        assertTrue(source.contains("public List<String> get(String id) throws IOException"), source);
        assertFalse(source.contains("describe"), "a default method without a policy is not overridden");

        Scripted delegate = new Scripted();
        Object catalog = wrap(compiled, "test.Catalog", "test.ResilientCatalog", delegate);
        delegate.then(new IOException("once"), List.of("x"));
        assertEquals(List.of("x"), call(catalog, "get", "id"));
        delegate.then(new IllegalStateException("busy"), "books", 2);
        assertEquals("books with 2", call(catalog, "describe"), "the default body runs on the wrapper");
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(10)), time.sleeps());
        delegate.then(0);
        assertEquals(0, call(catalog, "compareTo", catalog));
    }

    @Test
    void overloadsNestedPackagePrivateAndClashingParameterNames() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Outer",
                "package test;",
                "import dev.resilient.annotations.*;",
                "class Outer {",
                "    interface Store {",
                "        @Breaker String get(String key);",
                "        @Breaker String get(String key, int delegate);",
                "        @Retryable(delay = \"0\") int put(Object start, Object attempt, Object failure, Object permit,",
                "                Object result, Object lastFailure, Object context, Object Objects);",
                "    }",
                "}");
        Class<?> wrapper = compiled.load("test.ResilientOuter_Store");
        assertFalse(Modifier.isPublic(wrapper.getModifiers()));
        assertTrue(Modifier.isFinal(wrapper.getModifiers()));

        Scripted delegate = new Scripted();
        Object store = wrap(compiled, "test.Outer$Store", "test.ResilientOuter_Store", delegate);
        delegate.then("one", "two", new IllegalStateException(), 5);
        assertEquals("one", call(store, "get", "k"));
        assertEquals("two", call(store, "get", "k", 1));
        assertEquals(5, call(store, "put", 1, 2, 3, 4, 5, 6, 7, 8));
        context.breaker("Outer.Store.get(String)");
        context.breaker("Outer.Store.get(String,int)");
    }

    @Test
    void staticAndPrivateMethodsAreLeftAloneAndDeprecatedOnesCompileClean() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Legacy",
                "package test;",
                "import dev.resilient.annotations.*;",
                "@Retryable(maxAttempts = 1)",
                "public interface Legacy {",
                "    @Deprecated String old();",
                "    static Legacy none() { return null; }",
                "    private String helper() { return \"h\"; }",
                "    default String viaHelper() { return helper() + old(); }",
                "}");
        Scripted delegate = new Scripted();
        Object legacy = wrap(compiled, "test.Legacy", "test.ResilientLegacy", delegate);
        delegate.then("o");
        assertEquals("ho", call(legacy, "viaHelper"));
        List<String> overridden = Arrays.stream(compiled.load("test.ResilientLegacy").getDeclaredMethods())
                .filter(method -> !method.isSynthetic() && !java.lang.reflect.Modifier.isStatic(method.getModifiers()))
                .map(java.lang.reflect.Method::getName)
                .toList();
        assertEquals(List.of("old"), overridden, "static, private and policy-free default methods are not overridden");
    }

    @Test
    void deprecatedTypesInSignaturesAndDeprecatedInterfacesGetTargetedSuppressions() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Weird",
                "package test;",
                "import dev.resilient.annotations.*;",
                "import java.util.List;",
                "public interface Weird {",
                "    @Deprecated class Old {}",
                "    @Deprecated(forRemoval = true) final class Gone {}",
                "    @Retryable(maxAttempts = 1) List<? extends Old> make(Gone[] gone);",
                "    @Deprecated(forRemoval = true) @Breaker String leaving();",
                "    @Deprecated interface Retired { @Breaker String x(); }",
                "}");
        String weird = compiled.source("test.ResilientWeird").replaceAll("\\s+", " ");
        assertTrue(weird.contains("@SuppressWarnings({ \"deprecation\", \"removal\" }) public List<? extends Weird.Old> make("), weird);
        assertTrue(weird.contains("@Deprecated @SuppressWarnings(\"removal\") public String leaving()"), weird);
        assertTrue(compiled.source("test.ResilientWeird_Retired").contains("@Deprecated\n@Generated"));
        Scripted delegate = new Scripted();
        Object wrapper = wrap(compiled, "test.Weird", "test.ResilientWeird", delegate);
        delegate.then("bye");
        assertEquals("bye", call(wrapper, "leaving"));
    }

    @Test
    void asynchronousShapesCompileCleanAndRun() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Streams",
                "package test;",
                "import dev.resilient.annotations.*;",
                "import java.util.List;",
                "import java.util.concurrent.*;",
                "@Retryable(maxAttempts = 2, delay = \"0\")",
                "@Timeout(\"1s\")",
                "public interface Streams<E> {",
                "    CompletionStage<?> anything();",
                "    CompletableFuture<List<? extends Number>> numbers(int... seeds);",
                "    <T> CompletionStage<T> get(Class<T> type) throws java.io.IOException;",
                "    CompletionStage<Void> done(E element);",
                "    @Fallback(\"none\") CompletionStage<E> first();",
                "    default CompletionStage<E> none() { return CompletableFuture.completedFuture(null); }",
                "}");
        Scripted delegate = new Scripted().then(
                CompletableFuture.failedFuture(new IllegalStateException("once")), CompletableFuture.completedFuture("any"),
                CompletableFuture.completedFuture(List.of(1)),
                CompletableFuture.completedFuture("typed"),
                CompletableFuture.completedFuture(null),
                CompletableFuture.failedFuture(new IllegalStateException("a")), CompletableFuture.failedFuture(new IllegalStateException("b")));
        Object streams = wrap(compiled, "test.Streams", "test.ResilientStreams", delegate);
        assertEquals("any", ((java.util.concurrent.CompletionStage<?>) call(streams, "anything")).toCompletableFuture().get());
        assertEquals(List.of(1), ((java.util.concurrent.CompletionStage<?>) call(streams, "numbers", (Object) new int[] {1})).toCompletableFuture().get());
        assertEquals("typed", ((java.util.concurrent.CompletionStage<?>) call(streams, "get", String.class)).toCompletableFuture().get());
        assertEquals(null, ((java.util.concurrent.CompletionStage<?>) call(streams, "done", "e")).toCompletableFuture().get());
        assertEquals(null, ((java.util.concurrent.CompletionStage<?>) call(streams, "first")).toCompletableFuture().get(),
                "fell back to none()");
    }

    /** Issue #11, case 5: a wildcard stage, with a generic method and under a fallback, did not compile. */
    @Test
    void wildcardStagesOfGenericMethodsAndFallbacksCompileAndRun() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Wild",
                "package test;",
                "import dev.resilient.annotations.*;",
                "import java.util.concurrent.*;",
                "public interface Wild {",
                "    @Retryable(delay = \"0\") <T> CompletionStage<?> m(T t);",
                "    @Fallback(\"one\") @Retryable(maxAttempts = 1) CompletionStage<? extends Number> n(int x);",
                "    @Breaker CompletableFuture<? super Integer> o();",
                "    default CompletionStage<? extends Number> one(int x) { return CompletableFuture.completedFuture(1); }",
                "}");
        Scripted delegate = new Scripted().then(
                CompletableFuture.completedFuture("m"),
                CompletableFuture.failedFuture(new IllegalStateException("n")),
                CompletableFuture.completedFuture(3));
        Object wild = wrap(compiled, "test.Wild", "test.ResilientWild", delegate);
        assertEquals("m", ((java.util.concurrent.CompletionStage<?>) call(wild, "m", 1)).toCompletableFuture().get());
        assertEquals(1, ((java.util.concurrent.CompletionStage<?>) call(wild, "n", 2)).toCompletableFuture().get());
        assertEquals(3, ((java.util.concurrent.CompletionStage<?>) call(wild, "o")).toCompletableFuture().get());
    }

    /**
     * A sealed interface that permits its wrapper has a failover too: the failover is the wrapper
     * itself, built over the delegates.
     */
    @Test
    void aSealedInterfaceThatPermitsItsWrapperFailsOver() throws Throwable {
        Compiled compiled = Compiled.strictly(
                Compiled.source("test.Cities",
                        "package test;",
                        "import dev.resilient.annotations.*;",
                        "@Breaker",
                        "public sealed interface Cities permits ResilientCities, Cities.Fixed {",
                        "    String get(String city) throws java.io.IOException;",
                        "    record Fixed(String answer) implements Cities {",
                        "        public String get(String city) throws java.io.IOException {",
                        "            if (answer == null) throw new java.io.IOException(city);",
                        "            return answer;",
                        "        }",
                        "    }",
                        "}"),
                Compiled.source("test.User",
                        "package test;",
                        "import dev.resilient.runtime.ResilienceContext;",
                        "public class User {",
                        "    public static String run() throws java.io.IOException {",
                        "        ResilienceContext context = ResilienceContext.builder().build();",
                        "        Cities cities = ResilientCities.failover(context, new Cities.Fixed(null), new Cities.Fixed(\"backup\"));",
                        "        return cities.get(\"a\") + \" \" + context.breaker(\"Cities.get\").state()",
                        "                + \" \" + context.breaker(\"Cities.get#1\").state();",
                        "    }",
                        "}"));
        assertEquals("backup CLOSED CLOSED", call(compiled.load("test.User").getConstructor().newInstance(), "run"));
    }

    /**
     * Issue #11, case 1: javac crashed ({@code AssertionError: typecode ERROR}) when a class passing
     * a lambda to the wrapper also declared an anonymous or local class, because looking for local
     * interfaces made javac attribute that class before the wrapper existed.
     */
    @Test
    void aClassPassingLambdasToTheWrapperAndDeclaringAnonymousAndLocalClassesCompiles() throws Throwable {
        Compiled compiled = Compiled.strictly(
                Compiled.source("test.Cities",
                        "package test;",
                        "import dev.resilient.annotations.*;",
                        "@Retryable(delay = \"0\")",
                        "public interface Cities { String get(String city) throws java.io.IOException; }"),
                Compiled.source("test.User",
                        "package test;",
                        "import dev.resilient.runtime.ResilienceContext;",
                        "public class User {",
                        "    public static String run() throws java.io.IOException {",
                        "        Object anonymous = new Object() {};",
                        "        class Local {}",
                        "        Cities one = new ResilientCities(city -> city + \"!\");",
                        "        Cities two = ResilientCities.failover(ResilienceContext.builder().build(),",
                        "                city -> { throw new java.io.IOException(city); }, city -> city + \"?\");",
                        "        return one.get(\"a\") + two.get(\"b\") + (anonymous != null) + new Local().getClass().getSimpleName();",
                        "    }",
                        "}"));
        assertEquals("a!b?trueLocal", call(compiled.load("test.User").getConstructor().newInstance(), "run"));
    }

    /**
     * Issue #11, case 2: nested types of the interface and its super-interfaces are in scope in the
     * wrapper, and a type of its package hides the {@code java.lang} type of that name, so every
     * name the wrapper writes must still mean what it meant.
     */
    @Test
    void nestedAndPackageTypesNamedLikeWhatTheWrapperUsesChangeNothing() throws Throwable {
        Compiled compiled = Compiled.strictly(
                Compiled.source("test.Override", "package test;", "public class Override {}"),
                Compiled.source("test.Throwable", "package test;", "public class Throwable {}"),
                Compiled.source("test.Void", "package test;", "public class Void {}"),
                Compiled.source("test.Base",
                        "package test;",
                        "public interface Base {",
                        "    class MethodPolicies {} class Bulkhead {} class Fallback {} class Overrides {} class MethodEvents {}",
                        "    class RetrySpec {} class BreakerSpec {} class ArrayList {} class Generated {} class Override {}",
                        "    class Class {} class SafeVarargs {} class Object {} class Integer {} class Exception {}",
                        "}"),
                Compiled.source("test.Clashing",
                        "package test;",
                        "import dev.resilient.annotations.*;",
                        "import java.util.concurrent.CompletionStage;",
                        "public interface Clashing<T> extends Base {",
                        "    record Permit(int id) {}",
                        "    class Retry {} class Breaker {} class Timeout {} class Duration {} class List {} class Objects {}",
                        "    class ResilienceContext {} class String {} class SuppressWarnings {} class Deprecated {}",
                        "    @Retryable(delay = \"0\") @dev.resilient.annotations.Breaker Permit permit(int id);",
                        "    @dev.resilient.annotations.Timeout(\"1s\") @dev.resilient.annotations.Bulkhead(maxConcurrent = 1)",
                        "    @dev.resilient.annotations.Fallback(\"none\")",
                        "    void run(List list, T t);",
                        "    default void none(List list, T t) {}",
                        "    @Retryable(retryOn = java.io.IOException.class, maxAttempts = 2, delay = \"0\")",
                        "    java.lang.String name() throws java.io.IOException;",
                        "    @Retryable(delay = \"0\") CompletionStage<? super java.lang.Integer> later();",
                        "    @java.lang.Deprecated @dev.resilient.annotations.Breaker Throwable legacy();",
                        "}"));
        Scripted delegate = new Scripted();
        Object clashing = wrap(compiled, "test.Clashing", "test.ResilientClashing", delegate);
        Object permit = compiled.load("test.Clashing$Permit").getConstructor(int.class).newInstance(7);
        Object list = compiled.load("test.Clashing$List").getConstructor().newInstance();
        delegate.then(new IllegalStateException("once"), permit);
        assertEquals(permit, call(clashing, "permit", 7));
        delegate.then((Object) null);
        assertEquals(null, call(clashing, "run", list, "t"));
        assertEquals("run[" + list + ", t]", delegate.calls.get(delegate.calls.size() - 1));
        delegate.then(new IOException("once"), "named");
        assertEquals("named", call(clashing, "name"));
        delegate.then(CompletableFuture.completedFuture(1));
        assertEquals(1, ((java.util.concurrent.CompletionStage<?>) call(clashing, "later")).toCompletableFuture().get());
        Object legacy = compiled.load("test.Throwable").getConstructor().newInstance();
        delegate.then(legacy);
        assertSame(legacy, call(clashing, "legacy"));
    }

    /**
     * Issue #11, case 3: a method type variable named like one of the interface's hid it in the
     * override, so the lambda's parameter named the wrong type; the override renames it.
     */
    @Test
    void methodTypeVariablesShadowingTheInterfacesAreRenamedInTheOverride() throws Throwable {
        Compiled compiled = Compiled.strictly(
                Compiled.source("test.Base",
                        "package test;",
                        "import java.util.List;",
                        "public interface Base { <E extends Comparable<E>> E max(List<E> values) throws Exception; }"),
                Compiled.source("test.Shadow",
                        "package test;",
                        "import dev.resilient.annotations.*;",
                        "import java.util.*;",
                        "@Retryable(delay = \"0\")",
                        "public interface Shadow<T, E> extends Base {",
                        "    <T> T pick(T a);",
                        "    @Timeout(\"1s\") <T extends Number & Comparable<T>, T1> Map<T, T1> both(T a, T1 b, E e);",
                        "    @Fallback(\"same\") <T extends CharSequence> List<? extends T> echo(List<T> values) throws Exception;",
                        "    default <U extends CharSequence> List<? extends U> same(List<U> values) { return values; }",
                        "}"));
        Scripted delegate = new Scripted();
        Object shadow = wrap(compiled, "test.Shadow", "test.ResilientShadow", delegate);
        delegate.then(new IllegalStateException("once"), "a");
        assertEquals("a", call(shadow, "pick", "a"));
        delegate.then(Map.of(1, "b"));
        assertEquals(Map.of(1, "b"), call(shadow, "both", 1, "b", "e"));
        delegate.then(new IllegalStateException("once"), 3);
        assertEquals(3, call(shadow, "max", List.of(1, 3)));
        delegate.then(new IllegalStateException("1"), new IllegalStateException("2"), new IllegalStateException("3"));
        assertEquals(List.of("x"), call(shadow, "echo", List.of("x")), "fell back to same()");
    }

    /**
     * Issue #11, case 4: javac cannot infer every generic delegate call ({@code List<? super T>}),
     * and an intersection bound made the processor fail; calls pass their type arguments.
     */
    @Test
    void genericDelegateAndFallbackCallsPassTheirTypeArguments() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Maxes",
                "package test;",
                "import dev.resilient.annotations.*;",
                "import java.util.*;",
                "@Retryable(delay = \"0\")",
                "public interface Maxes {",
                "    <T extends Object & Comparable<? super T>> T max(Collection<? extends T> values);",
                "    <T extends Comparable<T>> Object pick(List<? super T> values);",
                "    @Fallback(\"none\") <T extends Comparable<T>> Object first(List<? super T> values);",
                "    default <T extends Comparable<T>> Object none(List<? super T> values, Exception failure) { return failure.getMessage(); }",
                "}");
        Scripted delegate = new Scripted();
        Object maxes = wrap(compiled, "test.Maxes", "test.ResilientMaxes", delegate);
        delegate.then(3);
        assertEquals(3, call(maxes, "max", List.of(1, 3)));
        delegate.then("p");
        assertEquals("p", call(maxes, "pick", List.of()));
        delegate.then(new IllegalStateException("1"), new IllegalStateException("2"), new IllegalStateException("3"));
        assertEquals("3", call(maxes, "first", List.of()));
    }

    /**
     * smallrye-fault-tolerance#274 (the failure as the fallback's last parameter): one declared as
     * an interface that the failure implements, of a parameterized type, is reached by a cast to
     * its erasure, which warned [unchecked] under -Xlint:all -Werror in the generated method.
     */
    @Test
    void aFallbackTakingTheFailureAsAParameterizedInterfaceCompilesCleanAndGetsIt() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Ranked",
                "package test;",
                "import dev.resilient.annotations.*;",
                "public interface Ranked {",
                "    final class Outranked extends RuntimeException implements Comparable<Outranked> {",
                "        private static final long serialVersionUID = 1L;",
                "        public Outranked(String message) { super(message); }",
                "        @Override public int compareTo(Outranked other) { return 0; }",
                "    }",
                "    @Fallback(value = \"ranked\", applyOn = Outranked.class) String rank();",
                "    default String ranked(Comparable<Outranked> failure) { return \"fell back on \" + ((Outranked) failure).getMessage(); }",
                "}");
        assertTrue(compiled.source("test.ResilientRanked").contains("@SuppressWarnings(\"unchecked\")"));
        Scripted delegate = new Scripted();
        Object ranked = wrap(compiled, "test.Ranked", "test.ResilientRanked", delegate);
        delegate.then(compiled.load("test.Ranked$Outranked").getConstructor(String.class).newInstance("top"));
        assertEquals("fell back on top", call(ranked, "rank"));
    }

    /**
     * Issue #11, case 6: of the declarations of one method in unrelated super-interfaces, the
     * override must return the type that all the others' return types are supertypes of.
     */
    @Test
    void aCovariantDiamondIsImplementedWithTheMostSpecificReturnType() throws Throwable {
        Compiled compiled = Compiled.strictly("test.C",
                "package test;",
                "import dev.resilient.annotations.*;",
                "interface A<T> { Object get(); T make(); }",
                "interface B { String get(); CharSequence make(); }",
                "interface D { CharSequence get(); }",
                "@Retryable(delay = \"0\")",
                "public interface C extends A<String>, D, B {}");
        Class<?> wrapper = compiled.load("test.ResilientC");
        assertEquals(String.class, wrapper.getMethod("get").getReturnType());
        assertEquals(String.class, wrapper.getMethod("make").getReturnType());
        Scripted delegate = new Scripted();
        Object c = wrap(compiled, "test.C", "test.ResilientC", delegate);
        delegate.then(new IllegalStateException("once"), "got", "made");
        assertEquals("got", call(c, "get"));
        assertEquals("made", call(c, "make"));
    }

    /**
     * Issue #11, case 7: a method named like one of the wrapper's own members ({@code overrideKeys()})
     * was "already defined"; generated names are allocated around every name the interface
     * declares, and an interface with its own {@code overrideKeys()} gets no static one.
     */
    @Test
    void membersNamedLikeTheWrappersOwnChangeNothing() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Members",
                "package test;",
                "import dev.resilient.annotations.*;",
                "import java.util.List;",
                "interface Named { int delegate = 1; String GET_RETRY = \"\"; Object getEvents = null; class Failover {} }",
                "@Retryable(maxAttempts = 2, delay = \"0\")",
                "public interface Members extends Named {",
                "    int getPolicies = 2;",
                "    class getRetry {}",
                "    List<String> overrideKeys();",
                "    String failover(String context);",
                "    String delegate(String delegate);",
                "    @Timeout(\"1s\") String get(int start, int attempt, int failure, int result, int permit, int lastFailure);",
                "    default String context() { return \"ctx\" + delegate; }",
                "}");
        Class<?> wrapper = compiled.load("test.ResilientMembers");
        assertFalse(Modifier.isStatic(wrapper.getMethod("overrideKeys").getModifiers()), "the interface's own overrideKeys()");
        Scripted delegate = new Scripted();
        Object members = wrap(compiled, "test.Members", "test.ResilientMembers", delegate);
        delegate.then(new IllegalStateException("once"), List.of("key"), "f", "d", new IllegalStateException("once"), "g");
        assertEquals(List.of("key"), call(members, "overrideKeys"));
        assertEquals("f", call(members, "failover", "c"));
        assertEquals("d", call(members, "delegate", "x"));
        assertEquals("g", call(members, "get", 1, 2, 3, 4, 5, 6));
        assertEquals("ctx1", call(members, "context"));
    }

    /**
     * Issue #11, case 9: a breaker name is written into the generated Javadoc, where {@code *}{@code /}
     * ended the comment, a backslash began a unicode escape, and {@code @}, braces and markup were
     * read as tags and HTML. Each name must still compile, pass doclint and name its breaker.
     */
    @Test
    void hostileBreakerNamesAreEscapedWhereverTheyAreWritten() throws Throwable {
        List<String> names = List.of("a*/b", "\\u002a/ end", "{@code x} @param <b>", "&amp; </ul>", "\"quoted\"\nnext line\r\t",
                "caf\u00e9 \u2028 \u0000 \uD835\uDC9C", "*/ class X {", "\\");
        StringBuilder methods = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            methods.append("@Breaker(name = ").append(javaLiteral(names.get(i))).append(") String m").append(i).append("();\n");
        }
        JavaFileObject source = Compiled.source("test.Hostile", "package test;", "import dev.resilient.annotations.*;",
                "public interface Hostile {", methods.toString(), "}");
        Compiled compiled = Compiled.strictly(List.of("-Xlint:all", "-Werror", "-Xdoclint:all,-missing"), source);
        Scripted delegate = new Scripted();
        Object hostile = wrap(compiled, "test.Hostile", "test.ResilientHostile", delegate);
        for (int i = 0; i < names.size(); i++) {
            delegate.then("r" + i);
            assertEquals("r" + i, call(hostile, "m" + i));
            assertEquals(names.get(i), context.breaker(names.get(i)).name());
        }
    }

    /** {@code text} as a Java string literal. */
    static String javaLiteral(String text) {
        StringBuilder literal = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            // Octal for control characters: a unicode escape of a line terminator would end the literal.
            literal.append(c == '"' || c == '\\' ? "\\" + c
                    : c < 0x20 ? String.format("\\%03o", (int) c)
                    : c > 0x7e ? String.format("\\u%04x", (int) c)
                    : String.valueOf(c));
        }
        return literal.append('"').toString();
    }

    /**
     * Issue #11, case 11: the warnings an interface suppresses for its own signatures (generic
     * varargs, raw types) come back on the overrides, which must suppress them too, whether the
     * interface is compiled with the wrapper or comes from a jar (where its annotations are gone).
     */
    @Test
    void warningsTheSignaturesForceAreSuppressedOnTheOverrides(@TempDir Path jar) throws Throwable {
        String[] base = {
                "package lib;",
                "import java.util.List;",
                "@SuppressWarnings(\"rawtypes\")",
                "public interface Base<T> {",
                "    @SuppressWarnings(\"unchecked\") int count(List<String>... lists);",
                "    @SuppressWarnings(\"unchecked\") <E> E first(E... values);",
                "    List raw(Comparable<List>[] values);",
                "    <R extends List> R bounded(R value);",
                "    @SuppressWarnings(\"unchecked\") void each(T... values);",
                "}"};
        JavaFileObject client = Compiled.source("test.Client", "package test;", "import dev.resilient.annotations.*;",
                "@Retryable(delay = \"0\")",
                "public interface Client extends lib.Base<String>, java.io.Serializable {",
                "    @SuppressWarnings(\"deprecation\") @Breaker(skipOn = Old.class) String legacy();",
                "}");
        JavaFileObject old = Compiled.source("test.Old", "package test;",
                "@Deprecated public class Old extends RuntimeException { private static final long serialVersionUID = 1L; }");
        Compiled fromSource = Compiled.strictly(Compiled.source("lib.Base", base), client, old);
        com.google.testing.compile.Compilation library = com.google.testing.compile.Compiler.javac()
                .withOptions(Compiled.STRICT).compile(Compiled.source("lib.Base", base));
        for (JavaFileObject classFile : library.generatedFiles()) {
            java.nio.file.Files.createDirectories(jar.resolve("lib"));
            try (var in = classFile.openInputStream()) {
                java.nio.file.Files.write(jar.resolve("lib/Base.class"), in.readAllBytes());
            }
        }
        // From a jar the interface's @SuppressWarnings are gone: the wrapper must know what to suppress by itself.
        Compiled.strictly(List.of("-Xlint:all", "-Werror", "-classpath",
                jar + java.io.File.pathSeparator + System.getProperty("java.class.path")), client, old);
        Scripted delegate = new Scripted();
        Object wrapper = wrap(fromSource, "test.Client", "test.ResilientClient", delegate);
        delegate.then(new IllegalStateException("once"), 2, "a", List.of(), null);
        assertEquals(2, call(wrapper, "count", (Object) new List<?>[] {List.of(), List.of()}));
        assertEquals("a", call(wrapper, "first", (Object) new Object[] {"a"}));
        assertEquals(List.of(), call(wrapper, "raw", (Object) new Comparable<?>[0]));
        assertEquals(null, call(wrapper, "each", (Object) new String[] {"x"}));
    }

    /**
     * Issue #11, case 11: an interface that redeclares {@code equals} but not {@code hashCode}
     * made the wrapper warn {@code [overrides]}; the wrapper (and its failover) then delegates
     * {@code hashCode()} too, so the two agree.
     */
    @Test
    void aWrapperOverridingEqualsAlsoDelegatesHashCode() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Keyed",
                "package test;",
                "import dev.resilient.annotations.*;",
                "@Retryable(delay = \"0\")",
                "public interface Keyed {",
                "    boolean equals(Object other);",
                "    String key();",
                "}");
        Scripted delegate = new Scripted();
        Object keyed = wrap(compiled, "test.Keyed", "test.ResilientKeyed", delegate);
        delegate.then(new IllegalStateException("once"), true, 42);
        assertEquals(true, keyed.equals("other"));
        assertEquals(42, keyed.hashCode());
        Class<?> iface = compiled.load("test.Keyed");
        Scripted primary = new Scripted().then(7);
        Object failover = compiled.load("test.ResilientKeyed").getMethod("failover", ResilienceContext.class, iface,
                java.lang.reflect.Array.newInstance(iface, 0).getClass())
                .invoke(null, context, primary.proxy(iface), java.lang.reflect.Array.newInstance(iface, 0));
        assertEquals(7, failover.hashCode(), "the primary's");
    }

    /**
     * Issue #11, case 12: overloads whose parameter types have the same simple names shared one
     * default breaker name (and listener name and override keys); those are qualified.
     */
    @Test
    void overloadsThatReadAlikeBySimpleNamesGetQualifiedNames() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Dates",
                "package test;",
                "import dev.resilient.annotations.*;",
                "@Breaker(failureThreshold = 1)",
                "@Retryable(maxAttempts = 2, abortOn = IllegalStateException.class)",
                "public interface Dates {",
                "    String format(java.util.Date date);",
                "    String format(java.sql.Date date);",
                "    String format(String text);",
                "    String parse(String text);",
                "}");
        Scripted delegate = new Scripted();
        Object dates = wrap(compiled, "test.Dates", "test.ResilientDates", delegate);
        for (String name : List.of("Dates.format(java.util.Date)", "Dates.format(java.sql.Date)", "Dates.format(String)", "Dates.parse")) {
            assertEquals(name, context.breaker(name).name());
        }
        assertThrows(IllegalArgumentException.class, () -> context.breaker("Dates.format(Date)"));
        delegate.then(new IllegalStateException("down"), "sql");
        assertThrows(IllegalStateException.class, () -> call(dates, "format", new java.util.Date(0)));
        assertEquals(dev.resilient.runtime.CircuitBreaker.State.OPEN, context.breaker("Dates.format(java.util.Date)").state());
        assertEquals("sql", call(dates, "format", new java.sql.Date(0)));
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) compiled.load("test.ResilientDates").getMethod("overrideKeys").invoke(null);
        assertTrue(keys.contains("resilient.retry.Dates.format(java.sql.Date).maxAttempts"), keys.toString());
    }

    /**
     * {@code maxAttempts = 1} retries nothing, so it is no policy: no loop is written (issue #12),
     * and the wrapper reads no retry keys for it, so an override cannot pretend to add retries.
     */
    @Test
    void oneAttemptIsNoRetryAtAll() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Once",
                "package test;",
                "import dev.resilient.annotations.*;",
                "public interface Once {",
                "    @Retryable(maxAttempts = 1) String once();",
                "    @Retryable(maxAttempts = 1) @Breaker String guarded();",
                "}");
        String source = compiled.source("test.ResilientOnce");
        assertFalse(source.contains("for ("), source);
        assertFalse(source.contains("Retry"), source);
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) compiled.load("test.ResilientOnce").getMethod("overrideKeys").invoke(null);
        assertTrue(keys.stream().noneMatch(key -> key.startsWith("resilient.retry.")), keys.toString());
        Scripted delegate = new Scripted().then(new IllegalStateException("once"));
        Object once = wrap(compiled, "test.Once", "test.ResilientOnce", delegate);
        assertThrows(IllegalStateException.class, () -> call(once, "once"));
        assertEquals(List.of("once[]"), delegate.calls);
    }

    /**
     * Issue #11, case 13: of a method inherited from two super-interfaces, only one of which
     * annotates it (on the method or on the type), the annotated one applies, whichever comes first.
     */
    @Test
    void inADiamondTheOneAnnotatedDeclarationApplies() throws Throwable {
        Compiled compiled = Compiled.strictly(
                Compiled.source("test.Plain", "package test;", "interface Plain { String call(); String ping(); String get(int id); }"),
                Compiled.source("test.Retried", "package test;", "import dev.resilient.annotations.*;",
                        "interface Retried { @Retryable(maxAttempts = 2, delay = \"0\") String call(); }"),
                Compiled.source("test.Guarded", "package test;", "import dev.resilient.annotations.*;",
                        "@Breaker(failureThreshold = 1) interface Guarded { String ping(); }"),
                Compiled.source("test.Safe", "package test;", "import dev.resilient.annotations.*;",
                        "interface Safe { @Fallback(\"none\") String get(int id); default String none(int id) { return \"none\" + id; } }"),
                Compiled.source("test.Client", "package test;", "public interface Client extends Plain, Retried, Guarded, Safe {}"));
        Scripted delegate = new Scripted();
        Object client = wrap(compiled, "test.Client", "test.ResilientClient", delegate);
        delegate.then(new IllegalStateException("once"), "called");
        assertEquals("called", call(client, "call"));
        delegate.then(new IllegalStateException("down"));
        assertThrows(IllegalStateException.class, () -> call(client, "ping"));
        assertEquals(dev.resilient.runtime.CircuitBreaker.State.OPEN, context.breaker("Client.ping").state());
        delegate.then(new IllegalStateException("down"));
        assertEquals("none7", call(client, "get", 7));
    }

    /**
     * Found by ShapeFuzzTest: JavaPoet qualifies a clashing name only for top-level classes, so a
     * nested type named {@code RetrySpec} turned {@code RetrySpec.Jitter.FULL} into the user's, as
     * one named {@code Map} would {@code Map.Entry}.
     */
    @Test
    void aNestedTypeNamedLikeTheOuterClassOfARuntimeNestedType() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Jittery",
                "package test;",
                "import dev.resilient.annotations.*;",
                "@Retryable(jitter = Jitter.FULL, delay = \"0\")",
                "public interface Jittery {",
                "    class RetrySpec {}",
                "    class Map {}",
                "    String get();",
                "    java.util.Map.Entry<String, Map> entry(java.util.Map.Entry<String, Map> entry);",
                "}");
        Scripted delegate = new Scripted();
        Object jittery = wrap(compiled, "test.Jittery", "test.ResilientJittery", delegate);
        delegate.then(new IllegalStateException("once"), "got");
        assertEquals("got", call(jittery, "get"));
        java.util.Map.Entry<String, String> entry = java.util.Map.entry("k", "v");
        delegate.then(entry);
        assertSame(entry, call(jittery, "entry", entry));
    }

    /**
     * Found by ShapeFuzzTest: a method type variable named like the interface hid it from the
     * override's lambda, {@code (Named delegate) -> ...}; in the unnamed package nothing can
     * qualify the interface's name, so the override renames such a variable too.
     */
    @Test
    void aMethodTypeVariableNamedLikeTheInterfaceIsRenamed() throws Throwable {
        Compiled compiled = Compiled.strictly(
                Compiled.source("Named",
                        "import dev.resilient.annotations.*;",
                        "@Timeout(\"1s\")",
                        "public interface Named {",
                        "    <Named> Named pick(Named value);",
                        "}"),
                Compiled.source("Holder",
                        "import dev.resilient.annotations.*;",
                        "public class Holder {",
                        "    @Breaker public interface Api { <Holder, Api> Api get(Holder holder); }",
                        "}"));
        Scripted delegate = new Scripted();
        Object named = wrap(compiled, "Named", "ResilientNamed", delegate);
        delegate.then("picked");
        assertEquals("picked", call(named, "pick", "p"));
        Object api = wrap(compiled, "Holder$Api", "ResilientHolder_Api", delegate);
        delegate.then("got");
        assertEquals("got", call(api, "get", "h"));
    }

    @Test
    void interfaceInTheUnnamedPackage() throws Throwable {
        Compiled compiled = Compiled.strictly("Clock",
                "import dev.resilient.annotations.*;",
                "@Breaker(name = \"clock\")",
                "public interface Clock {",
                "    long now();",
                "}");
        Scripted delegate = new Scripted();
        Object clock = wrap(compiled, "Clock", "ResilientClock", delegate);
        delegate.then(42L);
        assertEquals(42L, call(clock, "now"));
    }

    /**
     * Inspired by japkit/japkit#38 and querydsl/querydsl#3772: javac writes type-use annotations
     * into {@code TypeMirror.toString()}, erased types included. One method inherited as
     * {@code m(@Nullable String)} and {@code m(String)} is one method, implemented once; its id,
     * breaker name and override keys read {@code m(String)}, and an overload is no reason to
     * qualify them.
     */
    @Test
    void typeUseAnnotationsNeitherSplitAMethodNorShowInItsName() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Annotated",
                "package test;",
                "import dev.resilient.annotations.*;",
                "import java.lang.annotation.*;",
                "@Target(ElementType.TYPE_USE) @interface Nullable {}",
                "interface Loose { String m(@Nullable String s); String o(@Nullable String @Nullable [] all); }",
                "interface Strict { String m(String s); String o(String[] all); }",
                "@Breaker(failureThreshold = 2)",
                "@Retryable(maxAttempts = 2, delay = \"0\")",
                "public interface Annotated extends Loose, Strict {",
                "    String m(@Nullable int i);",
                "    String o(java.util.@Nullable List<@Nullable String> all);",
                "}");
        Scripted delegate = new Scripted();
        Object annotated = wrap(compiled, "test.Annotated", "test.ResilientAnnotated", delegate);
        delegate.then(new IllegalStateException("once"), "m");
        assertEquals("m", call(annotated, "m", "s"));
        delegate.then("o");
        assertEquals("o", call(annotated, "o", (Object) new String[] {"a"}));
        assertEquals(List.of("m[s]", "m[s]", "o[[a]]"), delegate.calls);
        List<String> keys = compiled.overrideKeys("test.ResilientAnnotated");
        assertTrue(keys.contains("resilient.retry.Annotated.m(String).maxAttempts"), keys::toString);
        assertTrue(keys.contains("resilient.retry.Annotated.o(String[]).maxAttempts"), keys::toString);
        assertTrue(keys.contains("resilient.retry.Annotated.m(int).maxAttempts"), keys::toString);
        assertTrue(keys.stream().noneMatch(key -> key.contains("@") || key.contains("java.lang")), keys::toString);
        assertEquals(1, Arrays.stream(compiled.load("test.ResilientAnnotated").getDeclaredMethods())
                .filter(method -> method.getName().equals("m") && method.getParameterTypes()[0] == String.class).count());
        assertEquals(dev.resilient.runtime.CircuitBreaker.State.CLOSED, context.breaker("Annotated.m(String)").state());
    }

    /**
     * Inspired by google/auto#579: {@code equals(@Nullable Object)}, as null checkers want it
     * written, is {@code equals(Object)}; a wrapper overriding it delegates {@code hashCode()}
     * too, or javac warns {@code [overrides]}.
     */
    @Test
    void equalsOfANullableObjectAlsoDelegatesHashCode() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Keyed",
                "package test;",
                "import dev.resilient.annotations.*;",
                "import java.lang.annotation.*;",
                "@Target(ElementType.TYPE_USE) @interface Nullable {}",
                "@Retryable(delay = \"0\")",
                "public interface Keyed {",
                "    boolean equals(@Nullable Object other);",
                "    String key();",
                "}");
        Scripted delegate = new Scripted();
        Object keyed = wrap(compiled, "test.Keyed", "test.ResilientKeyed", delegate);
        delegate.then(new IllegalStateException("once"), true, 42);
        assertEquals(true, keyed.equals("other"));
        assertEquals(42, keyed.hashCode());
    }

    /**
     * Inspired by eschizoid/telescope#405: a type variable hides a type of its name from the
     * class's own annotations, which javac resolves with the class's type parameters in scope. An
     * interface {@code <Generated, Deprecated, SuppressWarnings>} that is deprecated and suppresses
     * a warning gets a wrapper whose annotations are still those types; so does a method
     * {@code <Override>}, whose override javac reads {@code @Override} on with it in scope.
     */
    @Test
    void typeParametersNamedLikeTheWrappersClassAnnotations() throws Throwable {
        Compiled compiled = Compiled.strictly("test.Shadowing",
                "package test;",
                "import dev.resilient.annotations.*;",
                "@Retryable(maxAttempts = 2, delay = \"0\")",
                "@java.lang.Deprecated",
                "@java.lang.SuppressWarnings(\"rawtypes\")",
                "public interface Shadowing<Generated, Deprecated extends Comparable<Deprecated>, SuppressWarnings> {",
                "    Generated get(Deprecated key, SuppressWarnings hint);",
                "    java.util.List raw();",
                "    <Override, SafeVarargs> Override pick(java.util.List<SafeVarargs> from);",
                "    @java.lang.Deprecated <Override> Override old(Override value);",
                "}");
        Scripted delegate = new Scripted();
        Object shadowing = wrap(compiled, "test.Shadowing", "test.ResilientShadowing", delegate);
        delegate.then(new IllegalStateException("once"), "got");
        assertEquals("got", call(shadowing, "get", "k", "h"));
        delegate.then("picked", "old");
        assertEquals("picked", call(shadowing, "pick", List.of("a")));
        assertEquals("old", call(shadowing, "old", "o"));
        assertTrue(compiled.load("test.ResilientShadowing").isAnnotationPresent(java.lang.Deprecated.class));
        assertTrue(compiled.source("test.ResilientShadowing").contains("@javax.annotation.processing.Generated("));
    }

    /**
     * An annotated interface declared in a file named after another type (an auxiliary one): its
     * wrapper, in a file of its own, must name it, and javac's {@code -Xlint:auxiliaryclass} warns at
     * each use, in members where no {@code @SuppressWarnings} reaches. The wrapper is written and
     * works; a note on the interface says why those warnings come and what to change.
     */
    @Test
    void anAuxiliaryInterfaceIsWrappedWithANoteOnWhyLintWarns() throws Throwable {
        JavaFileObject file = Compiled.source("test.Scores",
                "package test;",
                "import dev.resilient.annotations.*;",
                "import java.util.List;",
                "public interface Scores extends Ranked<Integer> {}",
                "interface Ranked<T extends Comparable<T>> {",
                "    @Retryable(maxAttempts = 2, delay = \"1ms\")",
                "    <U extends T> U best(List<U> candidates) throws java.io.IOException;",
                "}");
        Compilation lint = Compiled.compile(List.of("-Xlint:all"), file);
        assertThat(lint).succeeded();
        assertThat(lint).hadNoteContaining("[ResilientAuxiliaryInterface] test.Ranked is declared in Scores.java, a file named"
                + " after another type: javac's -Xlint:auxiliaryclass (part of -Xlint:all) warns wherever the generated"
                + " test.ResilientRanked names Ranked (hint: declare Ranked in Ranked.java, or nest it in another type, or compile"
                + " with -Xlint:all,-auxiliaryclass)")
                .inFile(file).onLineContaining("interface Ranked");
        assertFalse(lint.warnings().isEmpty(), "javac's lint warns in the wrapper");
        assertTrue(lint.warnings().stream().allMatch(warning -> warning.getMessage(Locale.ROOT).contains("auxiliary class test.Ranked in test/Scores.java")),
                () -> "only the auxiliary class lint warns: " + lint.warnings());
        assertEquals(1, lint.notes().stream().filter(note -> note.getMessage(Locale.ROOT).contains("ResilientAuxiliary")).count(),
                () -> "one note, on Ranked only: " + lint.notes());

        Compiled compiled = Compiled.strictly(List.of("-Werror"), file); // without the lint, clean
        Scripted delegate = new Scripted();
        Object scores = wrap(compiled, "test.Scores", "test.ResilientScores", delegate);
        delegate.then(new IOException("once"), 7);
        assertEquals(7, call(scores, "best", List.of(7)));
    }

    /** An interface nested in an auxiliary class: javac warns where the wrapper names the class, which the note names. */
    @Test
    void anInterfaceNestedInAnAuxiliaryClassGetsTheNoteNamingThatClass() {
        JavaFileObject file = Compiled.source("test.Scores",
                "package test;",
                "import dev.resilient.annotations.*;",
                "public interface Scores {}",
                "class Holder {",
                "    interface Inner {",
                "        @Retryable String get();",
                "    }",
                "}");
        Compilation lint = Compiled.compile(List.of("-Xlint:all"), file);
        assertThat(lint).succeeded();
        assertThat(lint).hadNoteContaining("[ResilientAuxiliaryInterface] test.Holder.Inner is declared in Scores.java, a file named"
                + " after another type: javac's -Xlint:auxiliaryclass (part of -Xlint:all) warns wherever the generated"
                + " test.ResilientHolder_Inner names Holder (hint: declare Holder in Holder.java")
                .inFile(file).onLineContaining("interface Inner");
        assertFalse(lint.warnings().isEmpty(), "javac's lint warns in the wrapper");
    }
}
