package dev.resilient.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.internal.DurationFormat;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The worst case each generated method's Javadoc states (the most delegate calls one call makes,
 * to each delegate under failover, and the longest one call takes over one delegate, so at most
 * that times the delegates under failover, each delegate's attempt timed out alone) is a promise
 * to its reader, checked here at run time. A seeded generator writes interfaces whose methods
 * retry or hedge, time out, share a rate limit, break, fall back and judge values in random
 * settings, on methods and on the interface; each method's promise is read from its Javadoc;
 * random calls then run against delegates that answer at once or later on the context's clock,
 * fail, throw, or never answer. Every call must end (within its stated time where one is stated),
 * call no delegate more often than stated, fail only with a failure one of its own attempts gave
 * (the same instance) or one of the library's exceptions, and leave nothing running that calls a
 * delegate after it ended. Synchronous timeouts run on real time, so synchronous methods have
 * none here and only their calls are counted. {@code -Dresilient.bounds.seeds=N} runs more seeds,
 * {@code -Dresilient.bounds.seed=S} one.
 */
class WorstCaseBoundTest {
    private static final int DEFAULT_SEEDS = 3;
    private static final int METHODS = 12;
    private static final int CALLS = 12;
    /** How long a call of a method with no stated bound may run before it counts as hanging. */
    private static final Duration HANG = Duration.ofSeconds(120);
    private static final Pattern METHOD = Pattern.compile(
            "/\\*\\*(.*?)\\*/\\s*@Override\\s*public [^(]* (m\\d+)\\(int call\\)", Pattern.DOTALL);
    private static final Pattern CALLS_STATED = Pattern.compile("At most (\\d+) delegate calls? per call");
    private static final Pattern TIME_STATED = Pattern.compile("it takes at most (\\S+) over one delegate");

    /** A generated method: its annotations, and whether it returns a stage. */
    private record Spec(String name, boolean async, boolean timeout, List<String> annotations) {}

    /** Every failure the delegates gave in the current call, to tell them by identity from failures the library made up. */
    private static final Set<Throwable> THROWN = Collections.newSetFromMap(new IdentityHashMap<>());

    private static <T extends Throwable> T failed(T failure) {
        THROWN.add(failure);
        return failure;
    }

    /**
     * What a method's Javadoc promises: its delegate calls per call, and its time, or null for none; and whether it says
     * that values are judged and waits taken from {@code retryAfter}.
     */
    private record Promise(int calls, Duration time, boolean judged) {}

    /** What the runs saw, to show that the generator reaches the cases that matter. */
    private static final class Seen {
        int calls;
        int timedOut;
        int neverAnswered;
        int failovers;
        int waitsAsked;
        int fallbacks;
        double closest; // the largest share of its stated time a call took
    }

    @Test
    void noCallTakesLongerOrCallsMoreOftenThanItsJavadocSays() throws Exception {
        String one = System.getProperty("resilient.bounds.seed");
        long first = one != null ? Long.parseLong(one) : 1;
        long last = one != null ? first : Integer.getInteger("resilient.bounds.seeds", DEFAULT_SEEDS);
        Seen seen = new Seen();
        for (long seed = first; seed <= last; seed++) {
            check(seed, seen);
        }
        assertTrue(seen.timedOut > 0 && seen.neverAnswered > 0 && seen.failovers > 0 && seen.waitsAsked > 0 && seen.fallbacks > 0,
                () -> "the generator no longer reaches timeouts, silent delegates, failover, waits asked and fallbacks: "
                        + describe(seen));
        assertTrue(one != null || seen.closest >= 0.99, () -> "no call came to its stated time: " + describe(seen));
        System.out.println("WorstCaseBoundTest: " + describe(seen));
    }

    private static String describe(Seen seen) {
        return seen.calls + " calls, " + seen.timedOut + " timed out, " + seen.neverAnswered + " silent answers, " + seen.failovers
                + " over failover, " + seen.waitsAsked + " waits asked, " + seen.fallbacks + " fallbacks; the closest call took "
                + Math.round(seen.closest * 100) + "% of its stated time";
    }

    private static void check(long seed, Seen seen) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        List<Spec> specs = new ArrayList<>();
        for (int i = 0; i < METHODS; i++) {
            specs.add(spec(random, i));
        }
        List<String> typeAnnotations = new ArrayList<>();
        if (random.nextInt(3) == 0) {
            typeAnnotations.add(retry(random));
        }
        if (random.nextInt(3) == 0) {
            typeAnnotations.add("@Breaker(failureThreshold = 2, openFor = \"100ms\")");
        }
        String source = source(typeAnnotations, specs);
        Compiled compiled;
        try {
            compiled = Compiled.strictly("bounds.Service", source.split("\n"));
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ": did not compile:\n" + source, e);
        }
        String generated = compiled.source("bounds.ResilientService");
        Class<?> iface = compiled.load("bounds.Service");
        Class<?> wrapper = compiled.load("bounds.ResilientService");
        for (Spec spec : specs) {
            Promise promise = promise(generated, spec.name());
            String where = "seed " + seed + ", " + typeAnnotations + " on the interface, " + spec.annotations() + " "
                    + (spec.async() ? "CompletionStage<String> " : "String ")
                    + spec.name() + "(int call); its Javadoc: " + promise;
            run(random.split(), iface, wrapper, spec, promise, where, seen); // its own stream: one method's calls shift no other's
        }
    }

    /** A random {@code @Retryable}: on a method, or on the interface, for every method without one (hedged ones aside). */
    private static String retry(SplittableRandom random) {
        int maxAttempts = 1 + random.nextInt(5);
        String[] delays = {"0", "1ms", "10ms", "40ms", "150ms"};
        int delay = random.nextInt(delays.length);
        StringBuilder retry = new StringBuilder("@Retryable(maxAttempts = " + maxAttempts + ", delay = \"" + delays[delay] + "\"");
        retry.append(", multiplier = ").append(new double[] {1.0, 1.5, 2.0, 3.0}[random.nextInt(4)]);
        if (random.nextInt(5) < 2) {
            retry.append(", maxDelay = \"").append(delays[delay + random.nextInt(delays.length - delay)]).append('"');
        }
        if (random.nextInt(3) == 0) {
            // Longer than every delay and timeout below: a shorter one is a compile error.
            retry.append(", maxDuration = \"").append(new String[] {"200ms", "400ms", "1s", "3s"}[random.nextInt(4)]).append('"');
        }
        if (random.nextInt(3) == 0) {
            retry.append(", retryOnResult = \"busy\", waitFrom = \"retryAfter\"");
        }
        String jitter = new String[] {"NONE", "FULL", "EQUAL"}[random.nextInt(3)];
        return retry.append(", jitter = Jitter.").append(jitter).append(')').toString();
    }

    private static Spec spec(SplittableRandom random, int index) {
        boolean async = random.nextInt(4) != 0;
        List<String> annotations = new ArrayList<>();
        int choice = random.nextInt(4);
        boolean hedged = async && choice == 3;
        if (choice <= 1 || (!async && choice == 3)) {
            annotations.add(retry(random));
        } else if (hedged) {
            annotations.add("@Hedge(delay = \"" + new String[] {"5ms", "30ms", "120ms"}[random.nextInt(3)] + "\", maxAttempts = "
                    + (2 + random.nextInt(3)) + ")");
        }
        boolean timeout = async && random.nextInt(5) != 0;
        if (timeout) {
            // A hedge's delay (5ms to 120ms) counts only where the timeout is longer: mostly so.
            String[] timeouts = hedged ? new String[] {"15ms", "60ms", "150ms", "150ms", "190ms"}
                    : new String[] {"15ms", "60ms", "150ms", "190ms"};
            annotations.add("@Timeout(\"" + timeouts[random.nextInt(timeouts.length)] + "\")");
        }
        if (random.nextInt(4) == 0) {
            annotations.add("@RateLimit(permits = " + (1 + random.nextInt(4)) + ", per = \"" + (random.nextBoolean() ? "100ms" : "1s")
                    + "\"" + (!async && random.nextBoolean() ? ", maxWait = \"50ms\"" : "") + ")");
        }
        if (random.nextBoolean()) {
            annotations.add("@Breaker(failureThreshold = " + (1 + random.nextInt(4)) + ", openFor = \""
                    + (random.nextBoolean() ? "50ms" : "500ms") + "\")");
        }
        if (random.nextInt(6) == 0) {
            annotations.add("@Fallback(\"recover" + index + "\")");
        }
        return new Spec("m" + index, async, timeout, annotations);
    }

    private static String source(List<String> typeAnnotations, List<Spec> specs) {
        StringBuilder source = new StringBuilder("package bounds;\n\nimport dev.resilient.annotations.*;\nimport java.io.IOException;\n"
                + "import java.time.Duration;\nimport java.util.concurrent.CompletableFuture;\n"
                + "import java.util.concurrent.CompletionStage;\n\n"
                + typeAnnotations.stream().map(annotation -> annotation + "\n").collect(Collectors.joining())
                + "public interface Service {\n"
                // The judges: a value "busy 40" is rejected, and it and a failure "wait 40" ask for a wait of 40 ms.
                + "    default boolean busy(String value) {\n        return value.startsWith(\"busy \");\n    }\n\n"
                + "    default Duration retryAfter(String value) {\n"
                + "        return Duration.ofMillis(Long.parseLong(value.substring(value.indexOf(' ') + 1)));\n    }\n\n"
                + "    default Duration retryAfter(Throwable failure) {\n        String message = String.valueOf(failure.getMessage());\n"
                + "        return message.startsWith(\"wait \") ? Duration.ofMillis(Long.parseLong(message.substring(5))) : null;\n"
                + "    }\n\n");
        for (Spec spec : specs) {
            spec.annotations().forEach(annotation -> source.append("    ").append(annotation).append('\n'));
            source.append(spec.async() ? "    CompletionStage<String> " : "    String ").append(spec.name())
                    .append(spec.async() ? "(int call);\n\n" : "(int call) throws IOException;\n\n");
            if (spec.annotations().stream().anyMatch(annotation -> annotation.startsWith("@Fallback"))) {
                source.append((spec.async()
                        ? "    default CompletionStage<String> recover%s(int call) {\n"
                                + "        return CompletableFuture.completedFuture(\"fallback\");\n"
                        : "    default String recover%s(int call) {\n        return \"fallback\";\n").formatted(spec.name().substring(1)))
                        .append("    }\n\n");
            }
        }
        return source.append("}\n").toString();
    }

    /** The promise in the Javadoc of {@code name} in the generated source. */
    private static Promise promise(String generated, String name) {
        Matcher method = METHOD.matcher(generated);
        while (method.find()) {
            if (method.group(2).equals(name)) {
                String prose = method.group(1).replaceAll("\\s*\\n\\s*\\*\\s*", " ");
                Matcher calls = CALLS_STATED.matcher(prose);
                assertTrue(calls.find(), () -> name + "'s Javadoc states no number of delegate calls: " + prose);
                Matcher time = TIME_STATED.matcher(prose);
                return new Promise(Integer.parseInt(calls.group(1)),
                        time.find() ? DurationFormat.parse(time.group(1)).orElseThrow() : null, prose.contains("retryAfter"));
            }
        }
        throw new AssertionError("no Javadoc for " + name + " in:\n" + generated);
    }

    /** Every call of a run: a fresh context, one delegate or a failover over two. */
    private static void run(SplittableRandom random, Class<?> iface, Class<?> wrapper, Spec spec, Promise promise, String where,
            Seen seen) throws Exception {
        ManualTime time = new ManualTime();
        ResilienceContext context = ResilienceContext.builder().time(time).build();
        int delegates = random.nextInt(3) == 0 ? 2 : 1;
        int[] calls = new int[delegates];
        int[] over = {-1}; // the last call that has ended: a delegate called for it or an earlier one is a stray
        List<String> stray = new ArrayList<>();
        List<String> answers = new ArrayList<>(); // this call's attempts, for the message of a failure
        Object[] each = new Object[delegates];
        for (int d = 0; d < delegates; d++) {
            int index = d;
            each[d] = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (proxy, method, args) -> {
                if (method.isDefault()) {
                    return InvocationHandler.invokeDefault(proxy, method, args);
                }
                if (!method.getName().equals(spec.name())) {
                    throw new AssertionError("unexpected " + method);
                }
                if ((int) args[0] <= over[0]) {
                    stray.add("delegate " + index + " called after call " + args[0] + " ended, at " + time.elapsed());
                }
                calls[index]++;
                return answer(random, time, spec, promise.judged(), seen, answers, index);
            });
        }
        Object service;
        if (delegates == 1) {
            service = wrapper.getConstructor(iface, ResilienceContext.class).newInstance(each[0], context);
        } else {
            Object backups = Array.newInstance(iface, 1);
            Array.set(backups, 0, each[1]);
            service = wrapper.getMethod("failover", ResilienceContext.class, iface, iface.arrayType()).invoke(null, context, each[0],
                    backups);
            seen.failovers++;
        }
        Method method = iface.getMethod(spec.name(), int.class);
        // Over one delegate, the Javadoc's time; under failover each delegate's attempt has its own timeout, so at most
        // that many times as long.
        Duration limit = promise.time() == null ? null : promise.time().multipliedBy(delegates);
        for (int call = 0; call < CALLS; call++) {
            Arrays.fill(calls, 0);
            answers.clear();
            THROWN.clear(); // a call may end only with a failure one of its own attempts gave
            long start = time.nanoTime();
            String at = where + "; call " + call + " at " + time.elapsed();
            Ended ended = spec.async() ? callAsync(method, service, call, time, limit, over, () -> at + ", its attempts " + answers)
                    : callBlocking(method, service, call, time);
            over[0] = call;
            Throwable failure = ended.failure();
            seen.fallbacks += "fallback".equals(ended.value()) ? 1 : 0;
            Duration took = Duration.ofNanos(ended.at() - start);
            String what = where + "; call " + call + (delegates == 2 ? " over failover" : "") + " took " + took + ", called "
                    + Arrays.toString(calls) + " " + answers + ", ended " + (failure == null ? "with a value" : "with " + failure);
            seen.calls++;
            for (int count : calls) {
                assertTrue(count <= promise.calls(), () -> "more delegate calls than the Javadoc says: " + what);
            }
            if (limit != null) {
                assertTrue(took.compareTo(limit) <= 0, () -> "longer than the Javadoc says: " + what);
                seen.closest = Math.max(seen.closest, (double) took.toNanos() / Math.max(1, limit.toNanos()));
            }
            if (failure != null && !THROWN.contains(failure) && !failure.getClass().getPackageName().equals("dev.resilient.runtime")) {
                fail("a failure neither the delegate's nor the library's: " + what, failure);
            }
            if (failure != null && failure.getClass().getSimpleName().equals("AttemptTimeoutException")) {
                seen.timedOut++;
            }
            time.advance(Duration.ofMillis(random.nextInt(300))); // late answers arrive; breakers and limits recover
            assertTrue(stray.isEmpty(), () -> what + "; then " + stray);
        }
        time.advance(HANG); // whatever is still scheduled runs, and must call no delegate
        assertTrue(stray.isEmpty(), () -> where + "; after the last call " + stray);
    }

    /** One attempt's answer: at once or later on the context's clock, a value or a failure, or (timed methods only) none. */
    private static Object answer(SplittableRandom random, ManualTime time, Spec spec, boolean judged, Seen seen, List<String> answers,
            int delegate)
            throws Exception {
        int kind = random.nextInt(spec.timeout() ? 6 : 5);
        boolean fails = kind % 2 == 1;
        long later = 1 + random.nextInt(spec.timeout() ? 400 : 120);
        // Half the values are rejected and half the failures ask for a wait, of up to half a second, where a retry judges
        // them (elsewhere they are a value and a failure like any other).
        boolean asks = random.nextBoolean();
        seen.waitsAsked += asks && judged ? 1 : 0;
        String value = asks ? "busy " + random.nextInt(500) : "value";
        String message = asks ? "wait " + random.nextInt(500) : "down";
        answers.add("delegate " + delegate + " at " + time.elapsed().toMillis() + "ms: " + (kind == 5 ? "never"
                : (fails ? "fails '" + message + "'" : "answers '" + value + "'") + (kind < 2 ? " at once" : " after " + later + "ms")));
        if (!spec.async()) {
            if (kind >= 2) {
                time.advance(Duration.ofMillis(later)); // the attempt takes that long on the context's clock
            }
            if (fails) {
                throw failed(new IOException(message));
            }
            return value;
        }
        if (kind == 4 && random.nextBoolean()) {
            throw failed(new IllegalStateException("thrown, not returned as a stage"));
        }
        CompletableFuture<String> answer = new CompletableFuture<>();
        if (kind == 5) {
            seen.neverAnswered++;
            return answer; // never completes: only its timeout ends the attempt
        }
        Runnable complete = () -> {
            if (fails) {
                answer.completeExceptionally(failed(new IOException(message)));
            } else {
                answer.complete(value);
            }
        };
        if (kind < 2) {
            complete.run();
        } else {
            time.schedule(complete, Duration.ofMillis(later));
        }
        return random.nextBoolean() ? answer : answer.minimalCompletionStage();
    }

    /** How a call ended: its value, or its failure, and when, on the context's clock. */
    private record Ended(Object value, Throwable failure, long at) {}

    /** Calls a blocking method. */
    private static Ended callBlocking(Method method, Object service, int call, ManualTime time) throws IllegalAccessException {
        try {
            return new Ended(method.invoke(service, call), null, time.nanoTime());
        } catch (InvocationTargetException e) {
            return new Ended(null, e.getCause(), time.nanoTime());
        }
    }

    /**
     * Calls an asynchronous method and moves the clock until its stage completes, or {@code limit} (null: no limit
     * stated) has passed; {@code over} is set to {@code call} as it completes.
     */
    private static Ended callAsync(Method method, Object service, int call, ManualTime time, Duration limit, int[] over,
            Supplier<String> where) throws IllegalAccessException {
        CompletionStage<?> stage;
        try {
            stage = (CompletionStage<?>) method.invoke(service, call);
        } catch (InvocationTargetException e) {
            throw new AssertionError(where.get() + ": an asynchronous method threw instead of failing its stage", e.getCause());
        }
        Ended[] ended = {null};
        stage.whenComplete((value, thrown) -> {
            ended[0] = new Ended(value, thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown,
                    time.nanoTime());
            over[0] = call; // from now on, within this very step too, no delegate may be called for it
        });
        long steps = (limit != null ? limit : HANG).toMillis() + 1;
        for (long step = 0; ended[0] == null && step <= steps; step++) {
            time.advance(Duration.ofMillis(1));
        }
        assertTrue(ended[0] != null, () -> where.get() + "; had not ended at " + time.elapsed());
        return ended[0];
    }
}
