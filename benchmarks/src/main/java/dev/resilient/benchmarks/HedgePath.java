package dev.resilient.benchmarks;

import dev.resilient.runtime.ResilienceContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A hedged call whose first attempt answers at once, so the hedge never fires: the cost of the
 * race itself (its timer armed and cancelled; synchronously, the attempt's hand-off to the
 * context's executor, beside a {@code @Timeout} call that makes the same hand-off). Resilience4j's
 * hedge module is not served to this build and Failsafe has no hedging, so no peer is compared.
 */
@State(Scope.Benchmark)
public class HedgePath extends Settings {
    private Subjects.Service direct;
    private Subjects.Hedged hedged;
    private Subjects.TimedOut timedOut;
    private Subjects.AsyncHedged asyncHedged;

    @Setup
    public void setUp() {
        Delegates.Fast fast = new Delegates.Fast();
        ResilienceContext context = ResilienceContext.builder().build();
        direct = fast;
        hedged = new ResilientSubjects_Hedged(fast, context);
        timedOut = new ResilientSubjects_TimedOut(fast, context);
        asyncHedged = new ResilientSubjects_AsyncHedged(new Delegates.FastAsync(), context);
    }

    @Benchmark
    public void direct(Blackhole blackhole) throws Exception {
        blackhole.consume(direct.call(input));
    }

    @Benchmark
    public void resilientHedge(Blackhole blackhole) throws Exception {
        blackhole.consume(hedged.call(input));
    }

    @Benchmark
    public void resilientTimeout(Blackhole blackhole) throws Exception {
        blackhole.consume(timedOut.call(input));
    }

    @Benchmark
    public void resilientAsyncHedge(Blackhole blackhole) {
        blackhole.consume(asyncHedged.call(input).join());
    }
}
