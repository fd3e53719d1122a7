package dev.resilient.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A successful call through the generated retry loop and breaker allocates nothing. Counted with
 * the JVM's per-thread allocation counter, not timed: speed is measured in benchmarks/.
 */
class HotPathAllocationTest {
    private static final Forecast SUNNY = new Forecast("Lima", 19.0, "sun");
    private static final int CALLS = 1_000_000;

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void successfulCallsThroughRetryAndBreakerAllocateNothing() throws Exception {
        WeatherService direct = new WeatherService() {
            @Override
            public Forecast forecast(String city) {
                return SUNNY;
            }

            @Override
            public boolean healthy() {
                return true;
            }
        };
        WeatherService weather = new ResilientWeatherService(direct);
        for (int i = 0; i < CALLS; i++) {
            weather.forecast("Lima"); // warm up: let the JIT compile the loop
        }

        long before = allocatedBytes();
        int answered = 0;
        for (int i = 0; i < CALLS; i++) {
            answered += weather.forecast("Lima") == SUNNY ? 1 : 0;
        }
        long allocated = allocatedBytes() - before;

        assertEquals(CALLS, answered);
        // A few hundred bytes of slack for the counter's own bookkeeping; one allocation per call
        // would be at least 16 MB.
        assertTrue(allocated < 4_096, allocated + " bytes allocated by " + CALLS + " calls");
    }
}
