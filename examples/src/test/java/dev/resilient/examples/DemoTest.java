package dev.resilient.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The demo, run as the README runs it (in real time, about ten seconds). */
class DemoTest {
    @Test
    void showsRetriesTheBreakerOpeningRejectingClosingAgainAndFailover() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Demo.Summary summary;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            summary = Demo.run(out);
        }
        String timeline = buffer.toString(StandardCharsets.UTF_8);

        assertEquals(50, summary.outage().calls());
        assertEquals(summary.outage().calls(), summary.outage().answered() + summary.outage().failed() + summary.outage().rejected());
        assertTrue(summary.outage().retries() > 0, timeline);
        assertTrue(summary.outage().rejected() > 0, timeline);
        assertTrue(summary.outage().transitions().contains("CLOSED -> OPEN"), timeline);
        assertTrue(summary.outage().transitions().contains("HALF_OPEN -> CLOSED"), timeline);
        assertTrue(timeline.contains("retrying in"), timeline);
        assertTrue(timeline.contains("rejected at once: circuit breaker 'weather' is OPEN"), timeline);
        // Not asserted: the unknown city's 404, which a breaker opened a call early (real-time
        // timeouts on a loaded machine) would replace; WeatherServiceTest checks client errors.
        assertTrue(summary.failover().backupRequests() > 0, timeline);
        assertTrue(timeline.contains("attempt 1 goes to backup #1"), timeline);
        assertTrue(summary.failover().primaryRequests() < summary.failover().calls(), "the primary's open breaker spared it: " + timeline);
    }
}
