package dev.resilient.benchmarks;

import dev.failsafe.FailsafeExecutor;
import dev.resilient.runtime.ResilienceContext;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.functions.CheckedFunction;
import io.github.resilience4j.retry.Retry;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** A call whose delegate answers at once, through each subject. Wrappers are built once and shared by the threads. */
@State(Scope.Benchmark)
public class SuccessPath extends Settings {
    private Subjects.Service direct;
    private Subjects.JudgedRetryAndBreaker directJudged;
    private Subjects.RetryAndBreaker retryAndBreaker;
    private Subjects.JudgedRetryAndBreaker judgedRetryAndBreaker;
    private Subjects.BudgetedRetryAndBreaker budgetedRetryAndBreaker;
    private Subjects.BreakerOnly breakerOnly;
    private Subjects.RetryOnly retryOnly;
    private Subjects.RateBreaker rateBreaker;
    private Subjects.TimeBreaker timeBreaker;
    private Subjects.SlowCallBreaker slowCallBreaker;
    private CheckedFunction<String, String> resilience4jTimeBreaker;
    private CheckedFunction<String, String> resilience4jSlowCallBreaker;
    private FailsafeExecutor<Object> failsafeTimeBreaker;
    private CheckedFunction<String, String> resilience4j;
    private FailsafeExecutor<Object> failsafe;
    private final LongAdder counter = new LongAdder();

    @Setup
    public void setUp() {
        Delegates.Fast fast = new Delegates.Fast();
        ResilienceContext context = ResilienceContext.builder().build();
        direct = fast;
        directJudged = fast;
        retryAndBreaker = new ResilientSubjects_RetryAndBreaker(fast, context);
        judgedRetryAndBreaker = new ResilientSubjects_JudgedRetryAndBreaker(fast, context);
        budgetedRetryAndBreaker = new ResilientSubjects_BudgetedRetryAndBreaker(fast, context);
        breakerOnly = new ResilientSubjects_BreakerOnly(fast, context);
        retryOnly = new ResilientSubjects_RetryOnly(fast, context);
        rateBreaker = new ResilientSubjects_RateBreaker(fast, context);
        timeBreaker = new ResilientSubjects_TimeBreaker(fast, context);
        slowCallBreaker = new ResilientSubjects_SlowCallBreaker(fast, context);
        Subjects.Service service = fast;
        resilience4j = Retry.decorateCheckedFunction(Peers.r4jRetry(),
                CircuitBreaker.decorateCheckedFunction(Peers.r4jBreaker(), service::call));
        failsafe = Peers.failsafe(Peers.failsafeBreaker());
        resilience4jTimeBreaker = CircuitBreaker.decorateCheckedFunction(Peers.r4jTimeBreaker(), service::call);
        resilience4jSlowCallBreaker = CircuitBreaker.decorateCheckedFunction(Peers.r4jSlowCallBreaker(), service::call);
        failsafeTimeBreaker = Peers.failsafeTimeBreaker();
    }

    @Benchmark
    public void direct(Blackhole blackhole) throws Exception {
        blackhole.consume(direct.call(input));
    }

    /**
     * The direct call and the judge {@code resilientJudgedRetryAndBreaker} names, called by hand:
     * what judging costs without the library, so that the difference between the two differences
     * is what the library adds.
     */
    @Benchmark
    public void directJudged(Blackhole blackhole) throws Exception {
        String result = directJudged.call(input);
        blackhole.consume(directJudged.unavailable(result) ? null : result);
    }

    /** One reading of the system clock, which every time-window, slow-call and rate-limited call makes. */
    @Benchmark
    public long clockReading() {
        return System.nanoTime();
    }

    /**
     * One increment of a {@code LongAdder} shared by the threads, which every call through a
     * time-window breaker or a retry budget makes: the least an exact count of calls costs.
     */
    @Benchmark
    public void counterIncrement() {
        counter.increment();
    }

    @Benchmark
    public void resilientRetryAndBreaker(Blackhole blackhole) throws Exception {
        blackhole.consume(retryAndBreaker.call(input));
    }

    /** The same as {@link #resilientRetryAndBreaker}, with {@code retryOnResult} and {@code failOnResult} judging each value. */
    @Benchmark
    public void resilientJudgedRetryAndBreaker(Blackhole blackhole) throws Exception {
        blackhole.consume(judgedRetryAndBreaker.call(input));
    }

    /** The same as {@link #resilientRetryAndBreaker}, drawing on a {@code @RetryBudget}: each call is counted. */
    @Benchmark
    public void resilientBudgetedRetryAndBreaker(Blackhole blackhole) throws Exception {
        blackhole.consume(budgetedRetryAndBreaker.call(input));
    }

    @Benchmark
    public void resilientBreaker(Blackhole blackhole) throws Exception {
        blackhole.consume(breakerOnly.call(input));
    }

    @Benchmark
    public void resilientRetry(Blackhole blackhole) throws Exception {
        blackhole.consume(retryOnly.call(input));
    }

    @Benchmark
    public void resilientRateBreaker(Blackhole blackhole) throws Exception {
        blackhole.consume(rateBreaker.call(input));
    }

    @Benchmark
    public void resilientTimeBreaker(Blackhole blackhole) throws Exception {
        blackhole.consume(timeBreaker.call(input));
    }

    @Benchmark
    public void resilientSlowCallBreaker(Blackhole blackhole) throws Exception {
        blackhole.consume(slowCallBreaker.call(input));
    }

    @Benchmark
    public void resilience4jTimeBreaker(Blackhole blackhole) throws Throwable {
        blackhole.consume(resilience4jTimeBreaker.apply(input));
    }

    @Benchmark
    public void resilience4jSlowCallBreaker(Blackhole blackhole) throws Throwable {
        blackhole.consume(resilience4jSlowCallBreaker.apply(input));
    }

    @Benchmark
    public void failsafeTimeBreaker(Blackhole blackhole) {
        String value = input;
        blackhole.consume(failsafeTimeBreaker.get(() -> direct.call(value)));
    }

    @Benchmark
    public void resilience4jRetryAndBreaker(Blackhole blackhole) throws Throwable {
        blackhole.consume(resilience4j.apply(input));
    }

    @Benchmark
    public void failsafeRetryAndBreaker(Blackhole blackhole) {
        String value = input;
        blackhole.consume(failsafe.get(() -> direct.call(value)));
    }
}
