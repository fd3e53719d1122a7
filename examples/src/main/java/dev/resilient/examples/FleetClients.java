package dev.resilient.examples;

import dev.resilient.annotations.Hedge;
import dev.resilient.annotations.RateLimit;
import dev.resilient.annotations.RetryBudget;
import dev.resilient.annotations.Retryable;
import java.io.IOException;

/**
 * The clients that the fleet parts of the demo call from many threads at once: one forecast
 * each, under the one policy the part is about, and no breaker, which would stop the load the
 * part is there to show. An annotation on an interface applies to the method it inherits, so
 * each is a line, and {@code http::forecast} of an {@link HttpWeatherService} is the delegate of
 * every one.
 */
final class FleetClients {
    /** Attempts per call of {@link Retrying} and {@link Budgeted}. */
    static final int MAX_ATTEMPTS = 3;
    /** {@link Budgeted}'s retries per call started. */
    static final double BUDGET_RATIO = 0.2;
    /** {@link Budgeted}'s reserve: retries per second of its window, whatever the calls. */
    static final int BUDGET_PER_SECOND = 1;
    /** {@link Budgeted}'s window, in seconds. */
    static final int BUDGET_WINDOW_SECONDS = 10;
    /** {@link RateLimited}'s tokens, refilled every {@link #RATE_PER_MILLIS}. */
    static final int RATE_PERMITS = 5;
    static final int RATE_PER_MILLIS = 100;

    /** {@link Hedged}'s wait for the first answer before it sends a second request. */
    static final int HEDGE_DELAY_MILLIS = 50;
    static final int HEDGE_ATTEMPTS = 2;

    private FleetClients() {}

    /** What every fleet client is: one forecast. */
    interface Forecasts {
        Forecast forecast(String city) throws IOException;
    }

    /** Retries every transport failure and 5xx, with no budget: a fleet multiplies a down server's load by three. */
    @Retryable(maxAttempts = MAX_ATTEMPTS, delay = "10ms", retryOn = IOException.class, abortOn = HttpStatusException.ClientError.class)
    interface Retrying extends Forecasts {}

    /** {@link Retrying}, its retries drawn on a budget shared by every thread of the fleet. */
    @RetryBudget(ratio = BUDGET_RATIO, minPerSecond = BUDGET_PER_SECOND, window = BUDGET_WINDOW_SECONDS + "s")
    interface Budgeted extends Retrying {}

    /** At most {@link #RATE_PERMITS} requests per {@link #RATE_PER_MILLIS} ms, for every thread together; the others are refused. */
    @RateLimit(permits = RATE_PERMITS, per = RATE_PER_MILLIS + "ms")
    interface RateLimited extends Forecasts {}

    /** Sends a second request when the first has not answered within 50 ms; the first answer wins, the other is interrupted. */
    interface Hedged extends Forecasts {
        @Override
        @Hedge(delay = HEDGE_DELAY_MILLIS + "ms", maxAttempts = HEDGE_ATTEMPTS)
        Forecast forecast(String city) throws IOException;
    }
}
