package dev.resilient.processor;

import static dev.resilient.processor.Scripted.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.internal.Recorder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code @RetryBudget} through generated wrappers, compiled under {@code -Xlint:all -Werror}. */
class RetryBudgetTest {
    static final Compiled COMPILED = Compiled.strictly("test.Remote",
            "package test;",
            "",
            "import dev.resilient.annotations.*;",
            "import java.io.IOException;",
            "",
            "@RetryBudget(ratio = 0, minPerSecond = 1, window = \"3s\")",
            "public interface Remote {",
            "    @Retryable(maxAttempts = 10, delay = \"0\")",
            "    String inline(String key) throws IOException;",
            "",
            "    @Retryable(maxAttempts = 10, delay = \"0\")",
            "    @Timeout(\"1s\")",
            "    String policies(String key) throws IOException;",
            "",
            "    @Retryable(maxAttempts = 10, delay = \"0\")",
            "    @RetryBudget(name = \"own\", ratio = 0.5, minPerSecond = 0)",
            "    String own(String key) throws IOException;",
            "",
            "    String notRetried(String key) throws IOException;",
            "}");

    private final ManualTime time = new ManualTime();
    private final Recorder recorder = new Recorder();
    private final List<IOException> thrown = new ArrayList<>();

    private Object wrap(Map<String, String> overrides) throws Exception {
        ResilienceContext context = ResilienceContext.builder().time(time).listener(recorder).overrides(overrides).build();
        Class<?> iface = COMPILED.load("test.Remote");
        Object delegate = java.lang.reflect.Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
                (proxy, method, args) -> {
                    IOException failure = new IOException("failure " + (thrown.size() + 1));
                    thrown.add(failure);
                    throw failure;
                });
        return COMPILED.load("test.ResilientRemote").getConstructor(iface, ResilienceContext.class).newInstance(delegate, context);
    }

    @Test
    void inlineAndPolicyMethodsShareTheInterfacesBudgetAndARefusalEndsWithTheLastFailure() throws Throwable {
        Object remote = wrap(Map.of());
        IOException last = assertThrows(IOException.class, () -> call(remote, "inline", "a"));
        assertEquals(4, thrown.size(), "the first attempt and the 1/s × 3s reserve");
        assertSame(thrown.get(3), last);
        assertThrows(IOException.class, () -> call(remote, "policies", "b"));
        assertEquals(5, thrown.size(), "the inline method spent the shared reserve");
        assertEquals(List.of("budget exhausted Remote.inline Remote", "budget exhausted Remote.policies Remote"),
                recorder.events("budget"));
        assertEquals(List.of(), recorder.events("exhausted"));
    }

    @Test
    void aMethodsOwnBudgetReplacesTheInterfacesAndAMethodWithoutARetryIgnoresIt() throws Throwable {
        Object remote = wrap(Map.of());
        assertThrows(IOException.class, () -> call(remote, "own", "a"));
        assertEquals(1, thrown.size(), "ratio 0.5 of one call allows no whole retry");
        assertThrows(IOException.class, () -> call(remote, "own", "b"));
        assertEquals(3, thrown.size(), "two calls allow one retry");
        assertThrows(IOException.class, () -> call(remote, "notRetried", "c"));
        assertEquals(4, thrown.size());
    }

    @Test
    void overridesChangeTheBudgetByNameWithTheSameRules() throws Throwable {
        Object remote = wrap(Map.of("resilient.budget.Remote.minPerSecond", "2"));
        assertThrows(IOException.class, () -> call(remote, "inline", "a"));
        assertEquals(7, thrown.size(), "2/s × 3s retries");

        Compiled.assertConstructionFails(() -> wrap(Map.of("resilient.budget.own.window", "0")),
                "[RetryBudgetWindow] window must be between 1s and 60s");
    }

    @Test
    void overrideKeysListEachBudgetOnceAndTheJavadocStatesIt() throws Throwable {
        List<String> keys = COMPILED.overrideKeys("test.ResilientRemote");
        assertEquals(List.of("resilient.budget.Remote.ratio", "resilient.budget.Remote.minPerSecond", "resilient.budget.Remote.window",
                "resilient.budget.own.ratio", "resilient.budget.own.minPerSecond", "resilient.budget.own.window"),
                keys.stream().filter(key -> key.startsWith("resilient.budget.")).toList());
        String source = COMPILED.source("test.ResilientRemote").replaceAll("\\n\\s*\\* ", " "); // the Javadoc's lines joined
        assertTrue(source.contains("drawing on retry budget <code>\"Remote\"</code> (0 % of calls + 1/s, over 3s)"), source);
        assertTrue(source.contains("drawing on retry budget <code>\"own\"</code> (50 % of calls + 0/s)"), source);
        assertTrue(source.contains(".retryBudget(\"own\")"), source);
    }
}
