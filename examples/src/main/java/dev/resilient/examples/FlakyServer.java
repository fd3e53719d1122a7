package dev.resilient.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An embedded weather service on 127.0.0.1 and a free port that misbehaves on purpose: it fails a
 * share of requests with 503, answers a share slowly, and can go down for a stretch, answering
 * every request with 503 until it comes back. Its choices come from a seeded random, so a run can
 * be repeated.
 */
public final class FlakyServer implements AutoCloseable {
    static {
        // The JDK's server writes an answer's headers and body apart; with Nagle's algorithm on, the
        // body then waits for the client's delayed ACK, about 40 ms: every answer would be slow. Read
        // once, when the first server of the JVM starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final Map<String, Double> TEMPERATURES = Map.of("Oslo", -3.5, "Lisbon", 17.0, "Nairobi", 24.5, "Lima", 19.0);

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "flaky-server");
        thread.setDaemon(true);
        return thread;
    });
    private final Random random;
    private final double failureShare;
    private final double slowShare;
    private final Duration slowness;
    private final AtomicInteger requests = new AtomicInteger();
    /** When each forecast request arrived, by {@link System#nanoTime()}, in order. */
    private final List<Long> arrivals = new ArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int slowEvery;
    private volatile long downUntilNanos = System.nanoTime();

    /**
     * @param failureShare share of requests answered 503, from 0 to 1
     * @param slowShare share of requests answered after {@code slowness}
     * @param seed seeds the random that picks which requests
     */
    public FlakyServer(double failureShare, double slowShare, Duration slowness, long seed) throws IOException {
        this.failureShare = failureShare;
        this.slowShare = slowShare;
        this.slowness = slowness;
        this.random = new Random(seed);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/forecast", this::forecast);
        server.createContext("/health", exchange -> answer(exchange, 200, "{\"status\":\"up\"}"));
        server.start();
    }

    /** Where it listens, as in {@code http://127.0.0.1:49152}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers every forecast request with 503 and {@code Retry-After: 1} for {@code outage}, starting now. */
    public void goDownFor(Duration outage) {
        downUntilNanos = System.nanoTime() + outage.toNanos();
    }

    /** Answers the next {@code count} forecast requests with 503, whatever the random says. */
    public void failNext(int count) {
        failNext.set(count);
    }

    /** Answers every {@code nth} forecast request (the nth, the 2nth...) after the slowness, whatever the random says. */
    public void slowEvery(int nth) {
        slowEvery = nth;
    }

    /** Forecast requests received so far. */
    public int requests() {
        return requests.get();
    }

    /** When each forecast request so far arrived, by {@link System#nanoTime()}, in order. */
    public List<Long> arrivals() {
        synchronized (arrivals) {
            return List.copyOf(arrivals);
        }
    }

    private void forecast(HttpExchange exchange) throws IOException {
        int number;
        synchronized (arrivals) {
            arrivals.add(System.nanoTime());
            number = requests.incrementAndGet();
        }
        String city = exchange.getRequestURI().getQuery() == null ? "" : exchange.getRequestURI().getQuery().replaceFirst("^city=", "");
        boolean fail;
        boolean slow;
        synchronized (random) {
            fail = random.nextDouble() < failureShare;
            slow = random.nextDouble() < slowShare;
        }
        int nth = slowEvery;
        slow |= nth > 0 && number % nth == 0;
        if (System.nanoTime() - downUntilNanos < 0) {
            // Down: it says when to come back, as servers do with Retry-After (whole seconds).
            exchange.getResponseHeaders().set("Retry-After", "1");
            answer(exchange, 503, "{\"error\":\"unavailable\"}");
            return;
        }
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(exchange, 503, "{\"error\":\"unavailable\"}");
            return;
        }
        Double temperature = TEMPERATURES.get(city);
        if (temperature == null) {
            answer(exchange, 404, "{\"error\":\"unknown city\"}");
            return;
        }
        if (fail) {
            answer(exchange, 503, "{\"error\":\"overloaded\"}");
            return;
        }
        if (slow) {
            try {
                Thread.sleep(slowness.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        String summary = temperature < 0 ? "snow" : temperature < 18 ? "clouds" : "sun";
        answer(exchange, 200, String.format(Locale.ROOT,
                "{\"city\":\"%s\",\"temperature\":%.1f,\"summary\":\"%s\"}", city, temperature, summary));
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        } catch (IOException clientGone) {
            // The client timed out and closed the connection; nothing to answer.
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
