package dev.resilient.spring.clients;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** An HTTP server on 127.0.0.1 that answers "ok", or 503 to the next {@link #failNext} requests, and counts them. */
public final class CountingServer implements AutoCloseable {
    public final AtomicInteger requests = new AtomicInteger();
    public final AtomicInteger failNext = new AtomicInteger();
    private final HttpServer server;

    public CountingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            boolean fail = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            byte[] body = (fail ? "unavailable" : "ok").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
