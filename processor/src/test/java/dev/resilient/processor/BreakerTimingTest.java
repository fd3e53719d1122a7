package dev.resilient.processor;

import static dev.resilient.processor.Scripted.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.runtime.CircuitBreaker.State;
import dev.resilient.runtime.CircuitOpenException;
import dev.resilient.runtime.ManualTime;
import dev.resilient.runtime.ResilienceContext;
import dev.resilient.runtime.internal.Recorder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The breaker's time window, slow calls, bounded half-open and open backoff, written on an interface. */
class BreakerTimingTest {
    private static final Compiled COMPILED = Compiled.strictly("test.Pricing",
            "package test;",
            "",
            "import dev.resilient.annotations.*;",
            "",
            "public interface Pricing {",
            "    @Breaker(name = \"prices\", windowDuration = \"1m\", minimumCalls = 2, slowCall = \"2s\", slowCallRate = 0.5,",
            "            openFor = \"10s\", openForMultiplier = 2.0, maxOpenFor = \"30s\", maxHalfOpen = \"5s\")",
            "    String price(String item);",
            "}");

    private final ManualTime time = new ManualTime();
    private final Recorder recorder = new Recorder();
    private final ResilienceContext context = ResilienceContext.builder().time(time).listener(recorder).build();

    @Test
    void theGeneratedSpecCarriesEveryAttributeWritten() throws Exception {
        wrap(new Scripted());
        assertEquals("{windowDuration=PT1M, failureRate=0.5, minimumCalls=2, slowCall=PT2S, slowCallRate=0.5, openFor=PT10S,"
                + " openForMultiplier=2.0, maxOpenFor=PT30S, halfOpenCalls=1, maxHalfOpen=PT5S, failOn=[Throwable], skipOn=[]}",
                context.breaker("prices").settings());
    }

    @Test
    void theJavadocDescribesThem() {
        String source = COMPILED.source("test.ResilientPricing");
        String javadoc = source.replaceAll("\\s+\\*\\s+", " ");
        assertTrue(javadoc.contains("opens at a failure rate of 0.5 or a rate of 0.5 of calls taking at least 2s over the calls of"
                + " the last 1m, open for 10s, times 2.0 after each re-opening, at most 30s, half-open for at most 5s."), source);
    }

    @Test
    void slowAnswersOpenTheBreakerThroughTheWrapper() throws Throwable {
        Scripted delegate = new Scripted();
        Object pricing = wrap(delegate);
        Scripted.Later slow = () -> {
            time.advance(Duration.ofSeconds(2));
            return "late";
        };
        delegate.then("fast", slow);
        assertEquals("fast", call(pricing, "price", "a"));
        assertEquals("late", call(pricing, "price", "a"), "a slow answer still reaches the caller");
        assertEquals(State.OPEN, context.breaker("prices").state(), "1 slow of 2 calls, slowCallRate 0.5");
        assertEquals(List.of("slow prices 2000ms"), recorder.events("slow"));
        assertThrows(CircuitOpenException.class, () -> call(pricing, "price", "a"));
    }

    private Object wrap(Scripted delegate) throws Exception {
        Class<?> iface = COMPILED.load("test.Pricing");
        return COMPILED.load("test.ResilientPricing").getConstructor(iface, ResilienceContext.class)
                .newInstance(delegate.proxy(iface), context);
    }
}
