package dev.resilient.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.internal.Recorder;
import dev.resilient.runtime.internal.StageKind;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The parity property: one behaviour, every shape of code that implements it. A random script of
 * calls, delegate outcomes and clock moves, under random retry and breaker settings (given as
 * configuration overrides, so one compilation serves every seed), runs through the generated
 * inline loop, the blocking policy stack, the asynchronous one, and both stacks under a fallback
 * (whose value names the failure it replaces), each over one delegate and as a failover over two;
 * each must end every call the same way, tell the listener the same events, and move the clock
 * the same. Breakers count consecutively, over a window of calls or of time, with slow calls,
 * bounded half-open states and open backoff. Rate-limited methods, which have no inline loop,
 * compare their asynchronous stack with their blocking one, as do hedged methods, whose blocking
 * attempts run on the context's executor: delegates that answer at once, and a hedge delay longer
 * than any attempt's slow answers move the clock, make their race a sequence, each failure starting
 * the next attempt at once. Every retry and hedged attempt draws on the interface's retry budget,
 * at random settings tight enough that scripts run it out. Timeouts and bulkheads are left out: a synchronous timeout runs on real time, and a
 * bulkhead only acts on concurrent calls, which a script of sequential calls cannot make. Seeds are printed with a failure; {@code -Dresilient.parity.seeds=N} runs more,
 * {@code -Dresilient.parity.seed=S} one.
 */
class ParityTest {
    private static final String BREAKER =
            "    @Breaker(name = \"b\", failOn = {IOException.class, IllegalStateException.class}, skipOn = Skipped.class)";
    private static final String RETRY = "    @Retryable(retryOn = {IOException.class, IllegalArgumentException.class},"
            + " abortOn = Aborted.class)";
    /** Tight enough that scripts run out of tokens, and shared by every delegate of a failover. */
    private static final String RATE_LIMIT = "    @RateLimit(permits = 3, per = \"1s\")";
    /** Its settings are overrides; it replaces the interface's retry. */
    private static final String HEDGE = "    @Hedge";
    private static final String JUDGED_BREAKER = BREAKER.replace(")", ", failOnResult = \"unavailable\")");
    private static final String JUDGED_RETRY = RETRY.replace(")", ", retryOnResult = \"unavailable\", waitFrom = \"retryAfter\")");
    private static final Compiled COMPILED = Compiled.strictly("parity.Service",
            "package parity;",
            "",
            "import dev.resilient.annotations.*;",
            "import java.io.IOException;",
            "import java.time.Duration;",
            "import java.util.concurrent.CompletableFuture;",
            "import java.util.concurrent.CompletionStage;",
            "",
            "@RetryBudget(ratio = 0.2, minPerSecond = 1, window = \"1s\")",
            "public interface Service {",
            BREAKER, RETRY,
            "    String inline(int call) throws IOException;",
            "",
            BREAKER, RETRY,
            "    @Bulkhead(maxConcurrent = 1000)",
            "    String blocking(int call) throws IOException;",
            "",
            BREAKER, RETRY,
            "    CompletionStage<String> async(int call);",
            "",
            BREAKER, RETRY,
            "    @Fallback(\"recover\")",
            "    String blockingFallback(int call) throws IOException;",
            "",
            BREAKER, RETRY,
            "    @Fallback(\"recoverAsync\")",
            "    CompletionStage<String> asyncFallback(int call);",
            "",
            JUDGED_BREAKER, JUDGED_RETRY,
            "    String judgedInline(int call) throws IOException;",
            "",
            JUDGED_BREAKER, JUDGED_RETRY,
            "    @Bulkhead(maxConcurrent = 1000)",
            "    String judgedBlocking(int call) throws IOException;",
            "",
            JUDGED_BREAKER, JUDGED_RETRY,
            "    CompletionStage<String> judgedAsync(int call);",
            "",
            BREAKER, RETRY, RATE_LIMIT,
            "    String limitedBlocking(int call) throws IOException;",
            "",
            BREAKER, RETRY, RATE_LIMIT,
            "    CompletionStage<String> limitedAsync(int call);",
            "",
            BREAKER, HEDGE,
            "    String hedgedBlocking(int call) throws IOException;",
            "",
            BREAKER, HEDGE,
            "    CompletionStage<String> hedgedAsync(int call);",
            "",
            "    default boolean unavailable(String response) {",
            "        if (response.endsWith(\"broken\")) {",
            "            throw new IllegalArgumentException(\"a judge that throws: the attempt fails with it\");",
            "        }",
            "        return response.startsWith(\"503\");",
            "    }",
            "",
            "    default Duration retryAfter(String response) {",
            "        return response.endsWith(\"later\") ? Duration.ofMillis(35) : null;",
            "    }",
            "",
            "    default Duration retryAfter(Throwable failure) {",
            "        return failure instanceof IllegalArgumentException ? Duration.ofMillis(5) : null;",
            "    }",
            "",
            "    /** What the call would have thrown, as a value: a trace of it reads as one of a call without fallback. */",
            "    default String recover(int call, Exception failure) {",
            "        return \"fallback:\" + failure.getClass().getSimpleName()",
            "                + (failure.getCause() == null ? \"\" : \" caused by \" + failure.getCause().getClass().getSimpleName());",
            "    }",
            "",
            "    default CompletionStage<String> recoverAsync(int call, Exception failure) {",
            "        return CompletableFuture.completedFuture(recover(call, failure));",
            "    }",
            "",
            "    class Aborted extends IOException {",
            "        private static final long serialVersionUID = 1L;",
            "        public Aborted() { super(\"aborted\"); }",
            "    }",
            "",
            "    class Skipped extends IOException {",
            "        private static final long serialVersionUID = 1L;",
            "        public Skipped() { super(\"skipped\"); }",
            "    }",
            "}");

    private static final int DEFAULT_SEEDS = 150;
    private static final int STEPS = 40;

    /**
     * The shapes: which generated method makes the call, over one delegate or a failover of two. A
     * shape is compared with the first of its family ({@link #reference}); a fallback shape's trace,
     * read as though the fallback's value were the failure it replaces, with the inline one.
     */
    private enum Shape {
        INLINE("inline", 1), BLOCKING("blocking", 1), ASYNC("async", 1),
        BLOCKING_FALLBACK("blockingFallback", 1), ASYNC_FALLBACK("asyncFallback", 1),
        FAILOVER_INLINE("inline", 2), FAILOVER_BLOCKING("blocking", 2), FAILOVER_ASYNC("async", 2),
        FAILOVER_BLOCKING_FALLBACK("blockingFallback", 2), FAILOVER_ASYNC_FALLBACK("asyncFallback", 2),
        JUDGED_INLINE("judgedInline", 1), JUDGED_BLOCKING("judgedBlocking", 1), JUDGED_ASYNC("judgedAsync", 1),
        FAILOVER_JUDGED_INLINE("judgedInline", 2), FAILOVER_JUDGED_BLOCKING("judgedBlocking", 2),
        FAILOVER_JUDGED_ASYNC("judgedAsync", 2),
        LIMITED_BLOCKING("limitedBlocking", 1), LIMITED_ASYNC("limitedAsync", 1),
        FAILOVER_LIMITED_BLOCKING("limitedBlocking", 2), FAILOVER_LIMITED_ASYNC("limitedAsync", 2),
        HEDGED_BLOCKING("hedgedBlocking", 1), HEDGED_ASYNC("hedgedAsync", 1),
        FAILOVER_HEDGED_BLOCKING("hedgedBlocking", 2), FAILOVER_HEDGED_ASYNC("hedgedAsync", 2);

        final String method;
        final int delegates;

        Shape(String method, int delegates) {
            this.method = method;
            this.delegates = delegates;
        }

        boolean fallback() {
            return method.endsWith("Fallback");
        }

        /**
         * The shape this one must match: the inline loop over as many delegates, of the methods
         * whose values are judged ({@code retryOnResult}, {@code failOnResult}, {@code waitFrom})
         * for those; a rate limit and a hedge have no inline loop, so the blocking stack is the
         * reference of the asynchronous one.
         */
        Shape reference() {
            if (method.startsWith("hedged")) {
                return delegates == 1 ? HEDGED_BLOCKING : FAILOVER_HEDGED_BLOCKING;
            }
            if (method.startsWith("limited")) {
                return delegates == 1 ? LIMITED_BLOCKING : FAILOVER_LIMITED_BLOCKING;
            }
            if (method.startsWith("judged")) {
                return delegates == 1 ? JUDGED_INLINE : FAILOVER_JUDGED_INLINE;
            }
            return delegates == 1 ? INLINE : FAILOVER_INLINE;
        }
    }

    /** One step of a script: a call whose attempts end as listed, or a move of the clock. */
    private record Step(List<String> outcomes, Duration advance) {}

    private static List<Step> script(SplittableRandom random) {
        String[] kinds = {"ok", "io", "io", "arg", "state", "aborted", "skipped", "error", "busy", "busy later", "busy broken", "slow", "slow io"};
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < STEPS; i++) {
            if (random.nextInt(5) == 0) {
                steps.add(new Step(List.of(), Duration.ofMillis(random.nextInt(1500))));
            } else {
                List<String> outcomes = new ArrayList<>();
                for (int attempt = 0; attempt < 8; attempt++) { // up to 4 attempts over 2 delegates
                    outcomes.add(kinds[random.nextInt(kinds.length)]);
                }
                steps.add(new Step(outcomes, Duration.ZERO));
            }
        }
        return steps;
    }

    /** Random settings, as overrides of every method's retry and of the breaker. */
    private static Map<String, String> settings(SplittableRandom random) {
        Map<String, String> overrides = new HashMap<>();
        int maxAttempts = 1 + random.nextInt(4);
        int delayMillis = random.nextInt(4) * 10;
        String delay = delayMillis + "ms";
        String multiplier = random.nextBoolean() ? "1.0" : "2.0";
        // At least the first wait: a shorter budget is the compile error RetryableHopelessBudget.
        String maxDuration = random.nextInt(3) == 0 ? Math.max(delayMillis, 20 + random.nextInt(60)) + "ms" : null;
        for (String method : List.of("inline", "blocking", "async", "blockingFallback", "asyncFallback", "judgedInline",
                "judgedBlocking", "judgedAsync", "limitedBlocking", "limitedAsync")) {
            String prefix = "resilient.retry.Service." + method + ".";
            overrides.put(prefix + "maxAttempts", String.valueOf(maxAttempts));
            overrides.put(prefix + "delay", delay);
            overrides.put(prefix + "multiplier", multiplier);
            if (maxDuration != null) {
                overrides.put(prefix + "maxDuration", maxDuration);
            }
        }
        String hedgeAttempts = String.valueOf(2 + random.nextInt(3));
        // Longer than a pass of two slow answers (120ms): the clock never reaches it while attempts run.
        String hedgeDelay = random.nextBoolean() ? "150ms" : "1s";
        for (String method : List.of("hedgedBlocking", "hedgedAsync")) {
            String prefix = "resilient.hedge.Service." + method + ".";
            overrides.put(prefix + "maxAttempts", hedgeAttempts);
            overrides.put(prefix + "delay", hedgeDelay);
        }
        int mode = random.nextInt(3);
        if (mode == 0) {
            overrides.put("resilient.breaker.b.failureThreshold", String.valueOf(1 + random.nextInt(4)));
        } else {
            int window = 2 + random.nextInt(5);
            if (mode == 1) {
                overrides.put("resilient.breaker.b.window", String.valueOf(window));
            } else {
                overrides.put("resilient.breaker.b.windowDuration", (2 + random.nextInt(19)) * 100 + "ms");
            }
            overrides.put("resilient.breaker.b.failureRate", random.nextBoolean() ? "0.5" : "1.0");
            overrides.put("resilient.breaker.b.minimumCalls", String.valueOf(1 + random.nextInt(window)));
            if (random.nextBoolean()) {
                overrides.put("resilient.breaker.b.slowCall", "50ms"); // a "slow" attempt takes 60ms
                overrides.put("resilient.breaker.b.slowCallRate", random.nextBoolean() ? "0.5" : "1.0");
            }
        }
        int openFor = (1 + random.nextInt(10)) * 100;
        overrides.put("resilient.breaker.b.openFor", openFor + "ms");
        overrides.put("resilient.breaker.b.halfOpenCalls", String.valueOf(1 + random.nextInt(2)));
        if (random.nextBoolean()) {
            overrides.put("resilient.breaker.b.maxHalfOpen", (30 + random.nextInt(60)) + "ms"); // a slow trial may outlast it
        }
        overrides.put("resilient.budget.Service.ratio", List.of("0", "0.2", "1").get(random.nextInt(3)));
        overrides.put("resilient.budget.Service.minPerSecond", String.valueOf(random.nextInt(3)));
        overrides.put("resilient.budget.Service.window", (1 + random.nextInt(2)) + "s");
        if (random.nextBoolean()) {
            overrides.put("resilient.breaker.b.openForMultiplier", "2.0");
            overrides.put("resilient.breaker.b.maxOpenFor", openFor * (1 + random.nextInt(4)) + "ms");
        }
        return overrides;
    }

    /** What happened: each call's end, the listener's events, and the clock after each step. */
    private static List<String> run(Shape shape, List<Step> steps, Map<String, String> overrides) throws Exception {
        ManualTime time = new ManualTime();
        Recorder events = new Recorder();
        ResilienceContext context = ResilienceContext.builder().time(time).listener(events).overrides(overrides).build();
        Class<?> iface = COMPILED.load("parity.Service");
        Class<?> wrapper = COMPILED.load("parity.ResilientService");
        List<String> outcomes = new ArrayList<>();
        Object delegate = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (proxy, method, args) -> {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            String kind = outcomes.remove(0);
            if (kind.startsWith("slow")) {
                time.advance(Duration.ofMillis(60)); // the attempt takes that long, on the context's clock
            }
            Throwable failure = failure(kind, iface);
            String answer = kind.startsWith("busy") ? "503 " + kind : "answer"; // a value that judged methods reject
            if (method.getReturnType() == CompletionStage.class) {
                return failure == null ? StageKind.DONE_FUTURE.answer(time, answer) : StageKind.DONE_FUTURE.answer(time, failure);
            }
            if (failure != null) {
                throw failure;
            }
            return answer;
        });
        Object backups = Array.newInstance(iface, shape.delegates - 1);
        for (int i = 0; i < shape.delegates - 1; i++) {
            Array.set(backups, i, delegate); // one script serves every delegate, in the order they are called
        }
        Object service = shape.delegates == 1
                ? wrapper.getConstructor(iface, ResilienceContext.class).newInstance(delegate, context)
                : wrapper.getMethod("failover", ResilienceContext.class, iface, iface.arrayType()).invoke(null, context, delegate,
                        backups);
        Method method = iface.getMethod(shape.method, int.class);
        List<String> trace = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.outcomes().isEmpty()) {
                time.advance(step.advance());
                trace.add("advanced to " + time.elapsed().toMillis() + "ms");
                continue;
            }
            outcomes.clear();
            outcomes.addAll(step.outcomes());
            String ended;
            try {
                Object value = method.invoke(service, i);
                if (value instanceof CompletionStage<?> stage) {
                    CompletableFuture<?> future = stage.toCompletableFuture();
                    while (!future.isDone()) {
                        time.advance(nextWait(events)); // the wait the retry announced, as a blocking call sleeps it
                    }
                    try {
                        value = future.join();
                    } catch (CompletionException failed) {
                        throw new InvocationTargetException(failed.getCause());
                    }
                }
                ended = "returned " + value;
            } catch (InvocationTargetException failed) {
                Throwable cause = failed.getCause();
                ended = "threw " + cause.getClass().getSimpleName()
                        + (cause.getCause() == null ? "" : " caused by " + cause.getCause().getClass().getSimpleName());
            }
            trace.add("call " + i + " " + ended + " after " + (step.outcomes().size() - outcomes.size()) + " attempts, at "
                    + time.elapsed().toMillis() + "ms");
        }
        for (String event : events.events()) {
            trace.add(event.replace("Service." + shape.method, "Service.m"));
        }
        return trace;
    }

    /** A fallback shape's trace as the call without fallback would have left it. */
    private static List<String> withoutFallback(List<String> trace) {
        return trace.stream()
                .filter(line -> !line.startsWith("fallback Service.m "))
                .map(line -> line.replaceFirst("^(call \\d+ )returned fallback:", "$1threw "))
                .toList();
    }

    private static Duration nextWait(Recorder events) {
        List<String> retries = events.events("retry ");
        String last = retries.get(retries.size() - 1);
        return Duration.ofMillis(Long.parseLong(last.substring(last.lastIndexOf(" in ") + 4, last.length() - 2)));
    }

    private static Throwable failure(String kind, Class<?> iface) throws Exception {
        return switch (kind) {
            case "ok", "busy", "busy later", "busy broken", "slow" -> null;
            case "io", "slow io" -> new IOException("down");
            case "arg" -> new IllegalArgumentException("retried, counted as a success by the breaker");
            case "state" -> new IllegalStateException("counted by the breaker, not retried");
            case "error" -> new AssertionError("an Error: neither retried nor skipped");
            case "aborted" -> (Throwable) iface.getClassLoader().loadClass("parity.Service$Aborted").getConstructor().newInstance();
            default -> (Throwable) iface.getClassLoader().loadClass("parity.Service$Skipped").getConstructor().newInstance();
        };
    }

    @Test
    void everyShapeOfCodeEndsEachCallTellsAndWaitsTheSame() throws Exception {
        String one = System.getProperty("resilient.parity.seed");
        int seeds = Integer.getInteger("resilient.parity.seeds", DEFAULT_SEEDS);
        long first = one != null ? Long.parseLong(one) : 1;
        long last = one != null ? first : seeds;
        int refusals = 0;
        int budgetRefusals = 0;
        int hedges = 0;
        for (long seed = first; seed <= last; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Map<String, String> overrides = settings(random);
            List<Step> steps = script(random);
            Map<Shape, List<String>> traces = new EnumMap<>(Shape.class);
            for (Shape shape : Shape.values()) {
                List<String> trace = run(shape, steps, overrides);
                refusals += (int) trace.stream().filter(line -> line.startsWith("ratelimited ")).count();
                budgetRefusals += (int) trace.stream().filter(line -> line.startsWith("budget exhausted ")).count();
                hedges += (int) trace.stream().filter(line -> line.startsWith("hedge ")).count();
                traces.put(shape, trace);
                Shape reference = shape.reference();
                List<String> expected = traces.get(reference);
                List<String> actual = shape.fallback() ? withoutFallback(trace) : trace;
                if (!expected.equals(actual)) {
                    assertEquals(String.join("\n", expected), String.join("\n", actual),
                            "seed " + seed + " (-Dresilient.parity.seed=" + seed + "): " + shape + " differs from " + reference
                                    + " under " + overrides);
                }
            }
            assertEquals(traces.get(Shape.BLOCKING_FALLBACK), traces.get(Shape.ASYNC_FALLBACK), "seed " + seed);
            assertEquals(traces.get(Shape.FAILOVER_BLOCKING_FALLBACK), traces.get(Shape.FAILOVER_ASYNC_FALLBACK), "seed " + seed);
        }
        assertTrue(one != null || refusals > 0, "the scripts never ran out of tokens, so the rate limit went untested");
        assertTrue(one != null || budgetRefusals > 0, "the scripts never ran out of retry budget, so it went untested");
        assertTrue(one != null || hedges > 0, "no call was ever hedged, so hedges went untested");
    }
}
