package dev.resilient.runtime.internal;

import dev.resilient.runtime.ResilienceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one method of an interface declares: its name in events and override keys, and its
 * policies. Generated code keeps one as a constant per method, and builds from it what a wrapper
 * needs — its {@link MethodPolicies} over one delegate or over a failover's delegates, or the
 * {@link Retry} of a loop written out inline — so a method's stack is stated once.
 */
public final class MethodPlan {
    private final String method;
    private final RetrySpec retry;
    private final String breakerName;
    private final BreakerSpec breaker;
    private final Duration timeout;
    private final int maxConcurrent;
    private final Duration maxWait;
    private final String rateLimitName;
    private final Settings rateLimit;
    private final String budgetName;
    private final Settings budget;
    private final Settings hedge;
    private final boolean asynchronous;
    private final Class<?>[] applyOn;
    private final Class<?>[] skipOn;

    private MethodPlan(Builder builder) {
        this.method = builder.method;
        this.retry = builder.retry;
        this.breakerName = builder.breakerName;
        this.breaker = builder.breaker;
        this.timeout = builder.timeout;
        this.maxConcurrent = builder.maxConcurrent;
        this.maxWait = builder.maxWait;
        this.rateLimitName = builder.rateLimitName;
        this.rateLimit = builder.rateLimit == null ? null : builder.rateLimit.copy();
        this.budgetName = builder.budgetName;
        this.budget = builder.budget == null ? null : builder.budget.copy();
        this.hedge = builder.hedge == null ? null : builder.hedge.copy();
        this.asynchronous = builder.asynchronous;
        this.applyOn = builder.applyOn;
        this.skipOn = builder.skipOn;
    }

    /** A method without policies yet: {@code method} is {@code "Interface.method"}. */
    public static Builder builder(String method) {
        return new Builder(method);
    }

    /** The method's policies around its one delegate. */
    public <D> MethodPolicies<D> over(ResilienceContext context, D delegate) {
        return over(context, List.of(Objects.requireNonNull(delegate, "delegate")));
    }

    /**
     * The method's policies over a failover's delegates, the primary first. Each delegate has its
     * own breaker (delegate {@code i > 0} appends {@code "#i"} to the name) and bulkhead; all
     * share the method's one rate limit.
     */
    public <D> MethodPolicies<D> over(ResilienceContext context, List<D> delegates) {
        return over(context, delegates, Outcomes.none());
    }

    /**
     * Like {@link #over(ResilienceContext, List)} for a method that names methods of its
     * interface in {@code retryOnResult}, {@code failOnResult} or {@code waitFrom}.
     */
    public <D> MethodPolicies<D> over(ResilienceContext context, List<D> delegates, Outcomes outcomes) {
        Objects.requireNonNull(outcomes, "outcomes");
        ContextCore core = ContextCore.of(context);
        Retry retried = retry == null ? null : new Retry(method, retry, core, outcomes, budget(core));
        RateLimiter limiter = rateLimit == null ? null : core.limiter(rateLimitName, rateLimit);
        if (limiter != null && asynchronous) { // the limit's settings as its first declaration and the overrides left them
            core.requireNone(Settings.asynchronousRateLimit(limiter.maxWait()), "method " + method, null, null, rateLimitName);
        }
        Timeout timed = timeout == null ? null : Timeout.create(core, method, timeout);
        List<Lane<D>> lanes = new ArrayList<>(delegates.size());
        for (int i = 0; i < delegates.size(); i++) {
            lanes.add(new Lane<>(method, core.listener(), i, delegates.get(i),
                    breaker == null ? null : core.declare(i == 0 ? breakerName : breakerName + "#" + i, breaker),
                    limiter, timed,
                    maxWait == null ? null : Bulkhead.create(core, method, maxConcurrent, maxWait), outcomes));
        }
        for (Lane<D> lane : lanes) { // each delegate's breaker, as its own overrides leave it
            core.requireNone(Settings.between(retried == null ? null : retried.spec().written(),
                    lane.breaker() == null ? null : lane.breaker().spec().written(), timeout), "method " + method,
                    retried == null ? null : method, lane.breaker() == null ? null : lane.breaker().name(), null);
        }
        Fallback fallback = applyOn == null ? null : Fallback.create(core, method, applyOn, skipOn);
        Hedge<D> hedged = hedge == null ? null : new Hedge<>(method, core, core.hedge(method, hedge), budget(core), lanes);
        return new MethodPolicies<>(method, core, new Failover<>(method, core.listener(), lanes, retried), retried, hedged, fallback);
    }

    /**
     * For a method written out inline, which serves one delegate: its policies over a failover's
     * delegates, or {@code null} when there is only the one, which the inline code calls.
     */
    public <D> MethodPolicies<D> failover(ResilienceContext context, List<D> delegates) {
        return failover(context, delegates, Outcomes.none());
    }

    /** Like {@link #failover(ResilienceContext, List)}, with the methods that judge its outcomes. */
    public <D> MethodPolicies<D> failover(ResilienceContext context, List<D> delegates, Outcomes outcomes) {
        return delegates.size() > 1 ? over(context, delegates, outcomes) : null;
    }

    /** The retry of the method's loop when it is written out inline. */
    public Retry retry(ResilienceContext context) {
        return retry(context, Outcomes.none());
    }

    /** Like {@link #retry(ResilienceContext)}, with the methods that judge its outcomes. */
    public Retry retry(ResilienceContext context, Outcomes outcomes) {
        ContextCore core = ContextCore.of(context);
        return new Retry(method, Objects.requireNonNull(retry, "retry"), core, Objects.requireNonNull(outcomes, "outcomes"), budget(core));
    }

    /**
     * The retry budget the method's retries or hedged attempts draw on, or {@code null}; a method
     * with neither has none to draw.
     */
    private RetryBudget budget(ContextCore core) {
        return budget == null || retry == null && hedge == null ? null : core.budget(budgetName, budget);
    }

    /**
     * The keys of {@code ResilienceContext.Builder.overrides(...)} that a wrapper of these methods
     * reads when built: those of their breakers, retries, rate limits, retry budgets and hedges, each
     * name once, in the order first found.
     */
    public static List<String> overrideKeys(MethodPlan... plans) {
        Set<String> breakers = new LinkedHashSet<>();
        List<String> retried = new ArrayList<>();
        Set<String> rateLimits = new LinkedHashSet<>();
        Set<String> budgets = new LinkedHashSet<>();
        List<String> hedged = new ArrayList<>();
        for (MethodPlan plan : plans) {
            addIf(plan.breaker != null, breakers, plan.breakerName);
            addIf(plan.retry != null, retried, plan.method);
            addIf(plan.rateLimit != null, rateLimits, plan.rateLimitName);
            addIf(plan.budget != null, budgets, plan.budgetName);
            addIf(plan.hedge != null, hedged, plan.method);
        }
        return Overrides.keys(List.copyOf(breakers), retried, List.copyOf(rateLimits), List.copyOf(budgets), hedged);
    }

    private static void addIf(boolean present, Collection<String> names, String name) {
        if (present) {
            names.add(name);
        }
    }

    /** The events of the one attempt of a method written out inline with a breaker and no retry. */
    public MethodEvents events(ResilienceContext context) {
        return MethodEvents.of(ContextCore.of(context), method);
    }

    @Override
    public String toString() {
        return "MethodPlan[" + method + "]";
    }

    /** Builds a {@link MethodPlan}; a policy not given is not applied. */
    public static final class Builder {
        private final String method;
        private RetrySpec retry;
        private String breakerName;
        private BreakerSpec breaker;
        private Duration timeout;
        private int maxConcurrent;
        private Duration maxWait;
        private String rateLimitName;
        private Settings rateLimit;
        private String budgetName;
        private Settings budget;
        private Settings hedge;
        private boolean asynchronous;
        private Class<?>[] applyOn;
        private Class<?>[] skipOn;

        private Builder(String method) {
            this.method = Objects.requireNonNull(method, "method");
        }

        public Builder retry(RetrySpec retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** The breaker named after the method, as {@code @Breaker} names one by default, with {@code breaker}'s settings. */
        public Builder breaker(BreakerSpec breaker) {
            return breaker(method, breaker);
        }

        /** The breaker {@code name}, with {@code breaker}'s settings. */
        public Builder breaker(String name, BreakerSpec breaker) {
            this.breakerName = Objects.requireNonNull(name, "name");
            this.breaker = Objects.requireNonNull(breaker, "breaker");
            return this;
        }

        /** @throws IllegalArgumentException when {@code timeout} is not positive */
        public Builder timeout(Duration timeout) {
            Settings.of("Timeout").checked(Attribute.TIMEOUT, Objects.requireNonNull(timeout, "timeout"));
            this.timeout = timeout;
            return this;
        }

        /** A bulkhead at {@code @Bulkhead}'s defaults, which {@link #maxConcurrent} and {@link #maxWait} change. */
        public Builder bulkhead() {
            this.maxConcurrent = (int) Attribute.MAX_CONCURRENT.defaultValue();
            this.maxWait = (Duration) Attribute.MAX_WAIT.defaultValue();
            return this;
        }

        /** The bulkhead's calls inside the delegate at once; {@code >= 1}. */
        public Builder maxConcurrent(int maxConcurrent) {
            requireBulkhead("maxConcurrent");
            Settings.of("Bulkhead").checked(Attribute.MAX_CONCURRENT, maxConcurrent);
            this.maxConcurrent = maxConcurrent;
            return this;
        }

        /** How long a call may wait for a bulkhead slot; not negative. */
        public Builder maxWait(Duration maxWait) {
            requireBulkhead("maxWait");
            Settings.of("Bulkhead").checked(Attribute.MAX_WAIT, Objects.requireNonNull(maxWait, "maxWait"));
            this.maxWait = maxWait;
            return this;
        }

        private void requireBulkhead(String attribute) {
            if (maxWait == null) {
                throw new IllegalStateException(attribute + " needs bulkhead() first");
            }
        }

        /** The rate limit named after the method, as {@code @RateLimit} names one by default, at its defaults. */
        public Builder rateLimit() {
            return rateLimit(method);
        }

        /**
         * The rate limit {@code name}, at {@code @RateLimit}'s defaults, which {@link #permits},
         * {@link #per} and {@link #rateLimitMaxWait} change.
         */
        public Builder rateLimit(String name) {
            this.rateLimitName = Objects.requireNonNull(name, "name");
            this.rateLimit = Settings.of("RateLimit");
            return this;
        }

        /** The rate limit's attempts per {@link #per}, and the tokens its bucket holds; {@code >= 1}. */
        public Builder permits(int permits) {
            return setting(rateLimit, "rateLimit()", Attribute.PERMITS, permits);
        }

        /** The period the rate limit's permits are refilled in; longer than 0. */
        public Builder per(Duration per) {
            return setting(rateLimit, "rateLimit()", Attribute.PER, Objects.requireNonNull(per, "per"));
        }

        /** How long an attempt may wait for a token of the rate limit; not negative. */
        public Builder rateLimitMaxWait(Duration maxWait) {
            return setting(rateLimit, "rateLimit()", Attribute.RATE_LIMIT_MAX_WAIT, Objects.requireNonNull(maxWait, "maxWait"));
        }

        /**
         * The retry budget {@code name}, at {@code @RetryBudget}'s defaults, which {@link #ratio},
         * {@link #minPerSecond} and {@link #budgetWindow} change; ignored without a {@link #retry}.
         */
        public Builder retryBudget(String name) {
            this.budgetName = Objects.requireNonNull(name, "name");
            this.budget = Settings.of("RetryBudget");
            return this;
        }

        /** The retries the budget allows per call started in its window; in {@code [0, 1000]}. */
        public Builder ratio(double ratio) {
            return setting(budget, "retryBudget()", Attribute.RATIO, ratio);
        }

        /** The retries the budget allows per second of its window whatever the calls; {@code >= 0}. */
        public Builder minPerSecond(int minPerSecond) {
            return setting(budget, "retryBudget()", Attribute.MIN_PER_SECOND, minPerSecond);
        }

        /** The budget's sliding window; between 1s and 60s. */
        public Builder budgetWindow(Duration window) {
            return setting(budget, "retryBudget()", Attribute.BUDGET_WINDOW, Objects.requireNonNull(window, "window"));
        }

        /** The method returns a stage: its rate limit may not wait for a token, overrides included. */
        public Builder asynchronous() {
            this.asynchronous = true;
            return this;
        }

        /**
         * A hedge at {@code @Hedge}'s defaults, which {@link #hedgeDelay} and {@link #hedgeMaxAttempts}
         * change; a method has a hedge or a {@link #retry}, not both.
         */
        public Builder hedge() {
            this.hedge = Settings.of("Hedge");
            return this;
        }

        /** How long an attempt may go unanswered before the next starts; not negative. */
        public Builder hedgeDelay(Duration delay) {
            return setting(hedge, "hedge()", Attribute.HEDGE_DELAY, Objects.requireNonNull(delay, "delay"));
        }

        /** The hedge's attempts in all, the first included; {@code >= 2}. */
        public Builder hedgeMaxAttempts(int maxAttempts) {
            return setting(hedge, "hedge()", Attribute.HEDGE_MAX_ATTEMPTS, maxAttempts);
        }

        /** Writes {@code value}, checked, into the {@code settings} that {@code first} started; a policy's attribute needs its policy. */
        private Builder setting(Settings settings, String first, Attribute attribute, Object value) {
            if (settings == null) {
                throw new IllegalStateException(attribute.attributeName() + " needs " + first + " first");
            }
            settings.checked(attribute, value);
            return this;
        }

        /** A fallback at {@code @Fallback}'s defaults, which {@link #applyOn} and {@link #skipOn} change. */
        public Builder fallback() {
            this.applyOn = new Class<?>[] {Exception.class};
            this.skipOn = new Class<?>[0];
            return this;
        }

        /** Failures that fall back, subclasses included. */
        public Builder applyOn(Class<?>... applyOn) {
            requireFallback("applyOn");
            this.applyOn = Failures.of("applyOn", applyOn).types();
            return this;
        }

        /** Failures that reach the caller instead; wins over {@link #applyOn}. */
        public Builder skipOn(Class<?>... skipOn) {
            requireFallback("skipOn");
            this.skipOn = Failures.of("skipOn", skipOn).types();
            return this;
        }

        private void requireFallback(String attribute) {
            if (applyOn == null) {
                throw new IllegalStateException(attribute + " needs fallback() first");
            }
        }

        /** @throws IllegalStateException when the method has both a retry and a hedge */
        public MethodPlan build() {
            if (retry != null && hedge != null) {
                throw new IllegalStateException(method + " has both a retry and a hedge: hedging replaces retrying");
            }
            return new MethodPlan(this);
        }
    }
}
