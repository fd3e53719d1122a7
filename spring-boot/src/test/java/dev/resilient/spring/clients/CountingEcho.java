package dev.resilient.spring.clients;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** Fails the next {@link #failNext} calls, counts every call and every close. */
public class CountingEcho implements Echo {
    public final AtomicInteger calls = new AtomicInteger();
    public final AtomicInteger failNext = new AtomicInteger();
    public final AtomicInteger closes = new AtomicInteger();

    @Override
    public String echo(String text) throws IOException {
        calls.incrementAndGet();
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IOException("failing on purpose");
        }
        return text;
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }
}
