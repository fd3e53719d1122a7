package dev.resilient.examples;

import dev.resilient.examples.FleetClients.Forecasts;
import dev.resilient.runtime.ResilienceContext;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * The retry budget (issue #14): a fleet of threads calls a server that is down, once with retries
 * alone and once with retries drawn on a {@code @RetryBudget}, and the server counts what it
 * receives. Without a budget it sees {@code maxAttempts} requests per call; with one, the calls
 * plus the retries the budget allows.
 */
final class RetryBudgetPart {
    static final int THREADS = 8;
    static final int CALLS_EACH = 25;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    /**
     * One side of the comparison.
     *
     * @param serverRequests the requests the server received
     * @param retries the retries made, as the client's listener heard them
     * @param refused the retries the budget refused
     */
    record Side(Fleet.Run run, int serverRequests, int retries, int refused) {}

    /** Both sides, the same calls against the same server, down throughout. */
    record Result(Side without, Side with) {
        static int calls() {
            return THREADS * CALLS_EACH;
        }

        /** The most retries {@link FleetClients.Budgeted} allows for {@link #calls()} calls within one window. */
        static int allowedRetries() {
            return (int) Math.floor(FleetClients.BUDGET_RATIO * calls()
                    + FleetClients.BUDGET_PER_SECOND * FleetClients.BUDGET_WINDOW_SECONDS);
        }
    }

    private RetryBudgetPart() {}

    static Result run(PrintStream out, FlakyServer server) throws InterruptedException {
        out.printf("%nRetry budget: %d client threads make %d calls each (%d in all) while the server is down, answering"
                + " every request 503.%n", THREADS, CALLS_EACH, Result.calls());
        out.printf(Locale.ROOT, "Each call may make %d attempts. @RetryBudget(ratio = %.1f, minPerSecond = %d, window = \"%ds\")"
                        + "%nallows %.1f retries per call plus a reserve of %d in its window, one budget for the whole fleet.%n",
                FleetClients.MAX_ATTEMPTS, FleetClients.BUDGET_RATIO, FleetClients.BUDGET_PER_SECOND,
                FleetClients.BUDGET_WINDOW_SECONDS, FleetClients.BUDGET_RATIO,
                FleetClients.BUDGET_PER_SECOND * FleetClients.BUDGET_WINDOW_SECONDS);
        server.goDownFor(Duration.ofMinutes(1));
        HttpWeatherService http = new HttpWeatherService(server.uri(), REQUEST_TIMEOUT);
        Side without = side(server, counts -> new ResilientFleetClients_Retrying(http::forecast, context(counts)));
        Side with = side(server, counts -> new ResilientFleetClients_Budgeted(http::forecast, context(counts)));
        Result result = new Result(without, with);

        out.printf("%n                          without a budget   with @RetryBudget%n");
        out.printf("  requests the server saw %16d %19d%n", without.serverRequests(), with.serverRequests());
        out.printf("  retries made            %16d %19d%n", without.retries(), with.retries());
        out.printf("  retries refused         %16d %19d%n", without.refused(), with.refused());
        out.printf("  calls answered          %16d %19d%n", without.run().answered(), with.run().answered());
        out.printf(Locale.ROOT, "Without a budget: maxAttempts x calls = %d x %d = %d. With it: (1 + ratio) x calls + reserve"
                        + " = %.1f x %d + %d = %d at most.%n",
                FleetClients.MAX_ATTEMPTS, Result.calls(), FleetClients.MAX_ATTEMPTS * Result.calls(),
                1 + FleetClients.BUDGET_RATIO, Result.calls(), FleetClients.BUDGET_PER_SECOND * FleetClients.BUDGET_WINDOW_SECONDS,
                Result.calls() + Result.allowedRetries());
        return result;
    }

    private static ResilienceContext context(EventCounts counts) {
        return ResilienceContext.builder().listener(counts).build();
    }

    private static Side side(FlakyServer server, Function<EventCounts, Forecasts> client) throws InterruptedException {
        EventCounts counts = new EventCounts();
        Forecasts forecasts = client.apply(counts);
        int before = server.requests();
        Fleet.Run run = Fleet.run(THREADS, CALLS_EACH, Duration.ZERO, forecasts);
        return new Side(run, server.requests() - before, counts.retries.get(), counts.budgetRefusals.get());
    }
}
