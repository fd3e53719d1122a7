package dev.resilient.examples;

import dev.resilient.examples.FleetClients.Forecasts;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A fleet of client threads calling one client at once: every thread makes its calls one after
 * another, all start together, and each call's latency and failure are recorded.
 */
final class Fleet {

    /**
     * One call.
     *
     * @param nanos how long it took
     * @param failure what it threw, or {@code null} when it was answered
     */
    record Call(long nanos, Throwable failure) {}

    /** What a run did: every call, in no particular order, and how long the run took. */
    record Run(List<Call> calls, double seconds) {
        int answered() {
            return failedWith(null);
        }

        /** Calls that threw a {@code type}; {@code null}: calls that were answered. */
        int failedWith(Class<? extends Throwable> type) {
            return (int) calls.stream()
                    .filter(call -> type == null ? call.failure() == null : type.isInstance(call.failure()))
                    .count();
        }

        /** The latency that {@code percent} % of the calls took at most (nearest rank). */
        Duration percentile(double percent) {
            long[] sorted = calls.stream().mapToLong(Call::nanos).sorted().toArray();
            int rank = (int) Math.ceil(percent / 100 * sorted.length);
            return Duration.ofNanos(sorted[Math.max(rank, 1) - 1]);
        }
    }

    private Fleet() {}

    /**
     * Runs {@code threads} threads that each make {@code callsEach} calls of {@code client}, with
     * {@code pace} between one call's end and the next one's start, and waits for all of them.
     */
    static Run run(int threads, int callsEach, Duration pace, Forecasts client) throws InterruptedException {
        List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        Thread[] fleet = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int first = t;
            fleet[t] = new Thread(() -> {
                try {
                    start.await();
                    for (int call = 0; call < callsEach; call++) {
                        calls.add(call(client, Demo.CITIES.get((first + call) % Demo.CITIES.size())));
                        Thread.sleep(pace.toMillis());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "fleet-" + t);
            fleet[t].start();
        }
        long began = System.nanoTime();
        start.countDown();
        for (Thread thread : fleet) {
            thread.join();
        }
        return new Run(List.copyOf(calls), (System.nanoTime() - began) / 1e9);
    }

    private static Call call(Forecasts client, String city) {
        long began = System.nanoTime();
        Throwable failure = null;
        try {
            client.forecast(city);
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
        return new Call(System.nanoTime() - began, failure);
    }
}
