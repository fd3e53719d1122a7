package dev.resilient.benchmarks;

import dev.resilient.annotations.Breaker;
import dev.resilient.annotations.Hedge;
import dev.resilient.annotations.RateLimit;
import dev.resilient.annotations.RetryBudget;
import dev.resilient.annotations.Retryable;
import dev.resilient.annotations.Timeout;
import java.util.concurrent.CompletableFuture;

/** The interfaces the benchmarks call through, each with the policies one subject needs. */
final class Subjects {
    private Subjects() {}

    /** The same trivial service, declared once per policy combination. */
    interface Service {
        String call(String input) throws Exception;
    }

    interface RetryAndBreaker {
        @Retryable(maxAttempts = 2, delay = "0")
        @Breaker(failureThreshold = 1_000_000)
        String call(String input) throws Exception;
    }

    /** {@code RetryAndBreaker} whose values are judged: a value starting with "503" would be retried and counted as a failure. */
    interface JudgedRetryAndBreaker {
        @Retryable(maxAttempts = 2, delay = "0", retryOnResult = "unavailable")
        @Breaker(failureThreshold = 1_000_000, failOnResult = "unavailable")
        String call(String input) throws Exception;

        default boolean unavailable(String response) {
            return response.startsWith("503");
        }
    }

    /** {@code RetryAndBreaker} whose retries draw on a retry budget. */
    @RetryBudget
    interface BudgetedRetryAndBreaker {
        @Retryable(maxAttempts = 2, delay = "0")
        @Breaker(failureThreshold = 1_000_000)
        String call(String input) throws Exception;
    }

    interface BreakerOnly {
        @Breaker(failureThreshold = 1_000_000)
        String call(String input) throws Exception;
    }

    interface RetryOnly {
        @Retryable(maxAttempts = 2, delay = "0")
        String call(String input) throws Exception;
    }

    interface RateBreaker {
        @Breaker(window = 100, failureRate = 0.5)
        String call(String input) throws Exception;
    }

    interface TimeBreaker {
        @Breaker(windowDuration = "10s", failureRate = 0.5)
        String call(String input) throws Exception;
    }

    interface SlowCallBreaker {
        @Breaker(windowDuration = "10s", failureRate = 0.5, slowCall = "1s", slowCallRate = 0.5)
        String call(String input) throws Exception;
    }

    /** A token every nanosecond: a benchmark never runs out, so it measures taking an available token. */
    interface RateLimited {
        @RateLimit(permits = 1_000_000_000, per = "1s")
        String call(String input) throws Exception;
    }

    interface AsyncRetryAndBreaker {
        @Retryable(maxAttempts = 2, delay = "0")
        @Breaker(failureThreshold = 1_000_000)
        CompletableFuture<String> call(String input);
    }

    /** A hedge that never fires: the delegate answers long before the delay; what one call costs is the race around it. */
    interface Hedged {
        @Hedge(delay = "1s")
        String call(String input) throws Exception;
    }

    /** {@link Hedged} for an asynchronous method. */
    interface AsyncHedged {
        @Hedge(delay = "1s")
        CompletableFuture<String> call(String input);
    }

    /** One attempt on the context's executor, as a synchronous hedge's: the hand-off the race adds to. */
    interface TimedOut {
        @Timeout("1s")
        String call(String input) throws Exception;
    }
}
