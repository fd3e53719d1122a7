package dev.resilient.examples;

import dev.resilient.examples.FleetClients.Forecasts;
import dev.resilient.runtime.ResilienceContext;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * The hedged read (issue #14): one caller reads forecasts from a server that answers one request
 * in ten slowly, first with the plain client, then through {@code @Hedge}, which sends a second
 * request when the first is late; the latencies the caller saw are compared.
 */
final class HedgePart {
    static final int CALLS = 100;
    static final int SLOW_EVERY = 10;
    static final Duration SLOWNESS = Duration.ofMillis(500);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    /**
     * One side of the comparison.
     *
     * @param serverRequests the requests the server received
     * @param hedges the second attempts the hedge started, as its listener heard them (one may be
     *     interrupted before its request reaches the server)
     */
    record Side(Fleet.Run run, int serverRequests, int hedges) {
        /** Calls that took the server's slowness or longer. */
        int slowCalls() {
            return (int) run.calls().stream().filter(call -> call.nanos() >= SLOWNESS.toNanos()).count();
        }
    }

    /** Both sides, the same calls to the same server. */
    record Result(Side without, Side with) {}

    private HedgePart() {}

    static Result run(PrintStream out, FlakyServer server) throws InterruptedException {
        out.printf("%nHedged read: %d calls one after another; the server answers every %dth request after %d ms, the others"
                + " at once.%n@Hedge(delay = \"%dms\", maxAttempts = %d) sends a second request when the first has not answered"
                + " within %d ms;%nthe first answer wins and the other request is interrupted.%n",
                CALLS, SLOW_EVERY, SLOWNESS.toMillis(), FleetClients.HEDGE_DELAY_MILLIS, FleetClients.HEDGE_ATTEMPTS,
                FleetClients.HEDGE_DELAY_MILLIS);
        server.slowEvery(SLOW_EVERY);
        HttpWeatherService http = new HttpWeatherService(server.uri(), REQUEST_TIMEOUT);
        Side without = side(server, http::forecast, new EventCounts());
        EventCounts hedges = new EventCounts();
        Side with = side(server, new ResilientFleetClients_Hedged(http::forecast, ResilienceContext.builder().listener(hedges).build()), hedges);

        out.printf("%n                          without a hedge   with @Hedge%n");
        out.printf(Locale.ROOT, "  p50 latency             %12.1f ms %11.1f ms%n", millis(without, 50), millis(with, 50));
        out.printf(Locale.ROOT, "  p99 latency             %12.1f ms %11.1f ms%n", millis(without, 99), millis(with, 99));
        out.printf("  calls of %d ms or more  %15d %14d%n", SLOWNESS.toMillis(), without.slowCalls(), with.slowCalls());
        out.printf("  requests the server saw %15d %14d%n", without.serverRequests(), with.serverRequests());
        out.printf("  second attempts started %15d %14d%n", without.hedges(), with.hedges());
        return new Result(without, with);
    }

    private static double millis(Side side, double percent) {
        return side.run().percentile(percent).toNanos() / 1e6;
    }

    private static Side side(FlakyServer server, Forecasts client, EventCounts hedges) throws InterruptedException {
        int before = server.requests();
        Fleet.Run run = Fleet.run(1, CALLS, Duration.ZERO, client);
        return new Side(run, server.requests() - before, hedges.hedges.get());
    }
}
