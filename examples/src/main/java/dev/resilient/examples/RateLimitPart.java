package dev.resilient.examples;

import dev.resilient.runtime.RateLimitedException;
import dev.resilient.runtime.ResilienceContext;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The rate limit (issue #14): a fleet of threads offers the server four times the rate that a
 * {@code @RateLimit} lets through; the server counts the requests it receives each second, and the
 * calls beyond the limit are refused before any request is sent.
 */
final class RateLimitPart {
    static final int THREADS = 8;
    static final int CALLS_EACH = 75;
    /** Between one call of a thread and its next: 8 threads offer about 200 calls a second. */
    static final Duration PACE = Duration.ofMillis(40);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    /**
     * @param run the fleet's calls
     * @param perSecond the requests the server received in each whole second of the run, from its start
     * @param serverRequests all the requests the server received
     */
    record Result(Fleet.Run run, List<Integer> perSecond, int serverRequests) {
        /** The requests a second the limit lets through: {@code permits} per {@code per}. */
        static int limitPerSecond() {
            return FleetClients.RATE_PERMITS * 1_000 / FleetClients.RATE_PER_MILLIS;
        }
    }

    private RateLimitPart() {}

    static Result run(PrintStream out, FlakyServer server) throws InterruptedException {
        out.printf("%nRate limit: %d client threads each call every %d ms (about %d calls a second in all) for about %d s;%n",
                THREADS, PACE.toMillis(), THREADS * 1_000 / PACE.toMillis(), CALLS_EACH * PACE.toMillis() / 1_000);
        out.printf("@RateLimit(permits = %d, per = \"%dms\") lets %d requests a second through, and refuses the rest at once"
                + " with RateLimitedException.%n", FleetClients.RATE_PERMITS, FleetClients.RATE_PER_MILLIS, Result.limitPerSecond());
        FleetClients.Forecasts client = new ResilientFleetClients_RateLimited(
                new HttpWeatherService(server.uri(), REQUEST_TIMEOUT)::forecast, ResilienceContext.builder().build());
        int before = server.requests();
        long began = System.nanoTime();
        Fleet.Run run = Fleet.run(THREADS, CALLS_EACH, PACE, client);
        Result result = new Result(run, perSecond(server.arrivals(), began), server.requests() - before);

        out.printf("%n  requests the server saw, second by second: %s (the limit: %d a second, after a first burst of %d)%n",
                result.perSecond().stream().map(String::valueOf).collect(Collectors.joining(", ")), Result.limitPerSecond(),
                FleetClients.RATE_PERMITS);
        out.printf(Locale.ROOT, "  %d calls in %.1f s: %d answered, %d refused with RateLimitedException; the server saw %d requests"
                        + " (%.1f a second).%n",
                run.calls().size(), run.seconds(), run.answered(), run.failedWith(RateLimitedException.class),
                result.serverRequests(), result.serverRequests() / run.seconds());
        return result;
    }

    /** The arrivals in each whole second from {@code began}; a last, partial second is left out. */
    private static List<Integer> perSecond(List<Long> arrivals, long began) {
        long end = System.nanoTime();
        int seconds = (int) ((end - began) / 1_000_000_000L);
        int[] counts = new int[seconds];
        for (long arrival : arrivals) {
            long second = (arrival - began) / 1_000_000_000L;
            if (arrival >= began && second < seconds) {
                counts[(int) second]++;
            }
        }
        List<Integer> list = new ArrayList<>();
        for (int count : counts) {
            list.add(count);
        }
        return list;
    }
}
