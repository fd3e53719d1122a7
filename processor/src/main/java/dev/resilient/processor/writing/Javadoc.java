package dev.resilient.processor.writing;

import com.palantir.javapoet.CodeBlock;
import dev.resilient.processor.model.BreakerModel;
import dev.resilient.processor.model.MethodModel;
import dev.resilient.processor.model.OutcomesModel;
import dev.resilient.processor.model.RetryModel;
import dev.resilient.processor.model.Written;
import dev.resilient.runtime.internal.Attribute;
import dev.resilient.runtime.internal.DurationFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a generated method's Javadoc says, in one paragraph under 120 columns: the policies it calls
 * the delegate through, then what they add up to.
 */
final class Javadoc {
    private Javadoc() {}

    static CodeBlock of(MethodModel method) {
        if (!method.hasPolicy()) {
            return CodeBlock.of("$L", wrap("Calls the delegate directly: no policy applies. " + bounds(method)));
        }
        List<String> policies = new ArrayList<>();
        method.retry().ifPresent(retry -> policies.add("retry: " + retry(retry)));
        method.hedge().ifPresent(hedge -> policies.add("hedge: " + hedge(hedge, method.shape() != MethodModel.Shape.ASYNC)));
        method.breaker().ifPresent(breaker -> policies.add("circuit breaker <code>\"" + Literals.javadoc(breaker.name()) + "\"</code>, "
                + breaker(breaker)));
        method.timeout().ifPresent(timeout -> policies.add("a timeout of " + DurationFormat.text(timeout) + " per attempt"));
        method.bulkhead().ifPresent(bulkhead -> {
            Duration maxWait = (Duration) bulkhead.value(Attribute.MAX_WAIT);
            policies.add("a bulkhead of " + bulkhead.value(Attribute.MAX_CONCURRENT) + " at once"
                    + (maxWait.isZero() ? "" : ", waiting up to " + DurationFormat.text(maxWait)));
        });
        method.rateLimit().ifPresent(rateLimit -> {
            Duration maxWait = (Duration) rateLimit.written().value(Attribute.RATE_LIMIT_MAX_WAIT);
            policies.add("a rate limit of " + rateLimit.written().value(Attribute.PERMITS) + " per "
                    + DurationFormat.text((Duration) rateLimit.written().value(Attribute.PER)) + " named <code>\""
                    + Literals.javadoc(rateLimit.name()) + "\"</code>"
                    + (maxWait.isZero() ? "" : ", waiting up to " + DurationFormat.text(maxWait) + " for a token"));
        });
        method.retryBudget().ifPresent(budget -> {
            Duration window = (Duration) budget.written().value(Attribute.BUDGET_WINDOW);
            policies.add("drawing on retry budget <code>\"" + Literals.javadoc(budget.name()) + "\"</code> ("
                    + new java.math.BigDecimal(String.valueOf(budget.written().value(Attribute.RATIO))).movePointRight(2)
                            .stripTrailingZeros().toPlainString()
                    + " % of calls + " + budget.written().value(Attribute.MIN_PER_SECOND) + "/s"
                    + (window.equals(Attribute.BUDGET_WINDOW.defaultValue()) ? "" : ", over " + DurationFormat.text(window)) + ")");
        });
        method.outcomes().ifPresent(outcomes -> {
            outcomes.retryOn().ifPresent(judge -> policies.add("retrying the values {@code " + name(judge) + "} rejects"));
            outcomes.failOn().ifPresent(judge -> policies.add("counting the values {@code " + name(judge) + "} rejects as failures"));
            outcomes.waitAfterResult().or(outcomes::waitAfterFailure)
                    .ifPresent(judge -> policies.add("waiting as {@code " + name(judge) + "} says the server asked"));
        });
        String text = "Calls the delegate through " + String.join("; ", policies)
                + method.fallback().map(fallback -> "; falling back to {@code " + fallback.target().getSimpleName() + "}").orElse("")
                + ".";
        return CodeBlock.of("$L", wrap(text + " " + bounds(method)));
    }

    /**
     * What the method's policies add up to, as annotated (overrides may change it): the most
     * delegate calls one call makes, and the longest it can take, or why nothing bounds it.
     */
    static String bounds(MethodModel method) {
        int attempts = method.retry().map(retry -> (int) retry.written().value(Attribute.MAX_ATTEMPTS))
                .or(() -> method.hedge().map(hedge -> (int) hedge.value(Attribute.HEDGE_MAX_ATTEMPTS)))
                .orElse(1);
        return "At most " + attempts + (attempts == 1 ? " delegate call" : " delegate calls") + " per call (under failover, "
                + attempts + " to each delegate); " + worstCase(method, attempts)
                + (method.fallback().isPresent() ? ", before its fallback" : "") + ".";
    }

    private static String worstCase(MethodModel method, int attempts) {
        if (method.timeout().isEmpty()) {
            return "its time is unbounded, as no timeout bounds an attempt";
        }
        // A token is waited for outside the attempt's timeout: each attempt may take both.
        // In double, as all that follows: two durations of up to Long.MAX_VALUE ns would overflow a long.
        double timeout = (double) method.timeout().get().toNanos() + method.rateLimit()
                .map(rateLimit -> (double) ((Duration) rateLimit.written().value(Attribute.RATE_LIMIT_MAX_WAIT)).toNanos()).orElse(0.0);
        double total = attempts * timeout;
        if (method.hedge().isPresent()) {
            // Attempt n starts at the latest min(delay, attempt) after attempt n - 1: when that one has gone the delay
            // without an answer, or when it fails, by its timeout. The call ends when the last attempt does.
            double delay = ((Duration) method.hedge().get().value(Attribute.HEDGE_DELAY)).toNanos();
            total = (attempts - 1) * Math.min(delay, timeout) + timeout;
        } else if (method.retry().isPresent()) {
            Written written = method.retry().get().written();
            Duration maxDelay = (Duration) written.value(Attribute.MAX_DELAY);
            boolean serverWaits = method.outcomes().flatMap(outcomes -> outcomes.waitAfterResult().or(outcomes::waitAfterFailure))
                    .isPresent();
            Duration maxDuration = (Duration) written.value(Attribute.MAX_DURATION);
            if (serverWaits && maxDelay == null && maxDuration == null) {
                return "its time is unbounded, as the server's waits (waitFrom) have no maxDelay or maxDuration";
            }
            double delay = ((Duration) written.value(Attribute.DELAY)).toNanos();
            double multiplier = (double) written.value(Attribute.MULTIPLIER);
            double cap = maxDelay == null ? Double.MAX_VALUE : maxDelay.toNanos();
            // A delay of 0 makes every nominal wait 0, not 0 × an overflowed power (NaN); once the total is beyond
            // what a Duration holds, further waits change nothing.
            for (int attempt = 1; attempt < attempts && total < Long.MAX_VALUE; attempt++) {
                total += serverWaits ? cap : delay == 0 ? 0 : Math.min(delay * Math.pow(multiplier, attempt - 1), cap);
            }
            if (maxDuration != null) {
                total = Math.min(total, maxDuration.toNanos() + timeout); // no attempt starts past the budget
            }
        }
        return "it takes at most " + DurationFormat.text(Duration.ofNanos((long) Math.min(total, Long.MAX_VALUE)))
                + " over one delegate";
    }

    /** {@code text} in lines that keep a generated member's Javadoc under 120 columns. */
    static String wrap(String text) {
        StringBuilder lines = new StringBuilder();
        int column = 0;
        for (String word : text.split(" ")) {
            if (column > 0 && column + 1 + word.length() > WIDTH) {
                lines.append('\n');
                column = 0;
            } else if (column > 0) {
                lines.append(' ');
                column++;
            }
            lines.append(word);
            column += word.length();
        }
        return lines.append('\n').toString();
    }

    /** The text of a line: a member's Javadoc starts at column 7 ({@code "    * "}), and its lines end by column 115. */
    private static final int WIDTH = 108;

    private static String retry(RetryModel retry) {
        Written written = retry.written();
        double multiplier = (double) written.value(Attribute.MULTIPLIER);
        Duration maxDelay = (Duration) written.value(Attribute.MAX_DELAY);
        Duration maxDuration = (Duration) written.value(Attribute.MAX_DURATION);
        return written.value(Attribute.MAX_ATTEMPTS) + " attempts, first wait " + text(written, Attribute.DELAY)
                + (multiplier == 1.0 ? "" : ", times " + multiplier + " after each")
                + (maxDelay == null ? "" : ", at most " + DurationFormat.text(maxDelay))
                + retry.jitter().filter(jitter -> !jitter.equals("NONE")).map(jitter -> ", " + jitter.toLowerCase(Locale.ROOT) + " jitter")
                        .orElse("")
                + (maxDuration == null ? "" : ", within " + DurationFormat.text(maxDuration));
    }

    /** {@code 3 attempts in all, the next after 100ms without an answer or at once after a failure, ...}. */
    private static String hedge(Written hedge, boolean blocking) {
        return hedge.value(Attribute.HEDGE_MAX_ATTEMPTS) + " attempts in all, the next after " + text(hedge, Attribute.HEDGE_DELAY)
                + " without an answer or at once after a failure (under failover, on the next delegate), the first value"
                + " winning" + (blocking ? ", each attempt running on the context's executor" : "");
    }

    private static String breaker(BreakerModel breaker) {
        Written written = breaker.written();
        int window = (int) written.value(Attribute.WINDOW);
        Duration windowDuration = (Duration) written.value(Attribute.WINDOW_DURATION);
        Duration slowCall = (Duration) written.value(Attribute.SLOW_CALL);
        double multiplier = (double) written.value(Attribute.OPEN_FOR_MULTIPLIER);
        Duration maxOpenFor = (Duration) written.value(Attribute.MAX_OPEN_FOR);
        Duration maxHalfOpen = (Duration) written.value(Attribute.MAX_HALF_OPEN);
        String over = window > 0 ? " over the last " + window + " calls"
                : windowDuration != null ? " over the calls of the last " + DurationFormat.text(windowDuration) : "";
        return (over.isEmpty()
                ? "opens after " + written.value(Attribute.FAILURE_THRESHOLD) + " consecutive failures"
                : "opens at a failure rate of " + written.value(Attribute.FAILURE_RATE)
                        + (slowCall == null ? "" : " or a rate of " + written.value(Attribute.SLOW_CALL_RATE) + " of calls taking at least "
                                + DurationFormat.text(slowCall))
                        + over)
                + ", open for " + text(written, Attribute.OPEN_FOR)
                + (multiplier == 1.0 ? "" : ", times " + multiplier + " after each re-opening")
                + (maxOpenFor == null ? "" : ", at most " + DurationFormat.text(maxOpenFor))
                + (maxHalfOpen == null ? "" : ", half-open for at most " + DurationFormat.text(maxHalfOpen));
    }

    private static String name(OutcomesModel.Judge judge) {
        return judge.method().getSimpleName().toString();
    }

    private static String text(Written written, Attribute duration) {
        return DurationFormat.text((Duration) written.value(duration));
    }
}
