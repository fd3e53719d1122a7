package dev.resilient.spring.clients;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** Every call fails; counts them per overload. */
public class FailingStore implements Store {
    public final AtomicInteger byKey = new AtomicInteger();
    public final AtomicInteger byVersion = new AtomicInteger();

    @Override
    public String get(String key) throws IOException {
        byKey.incrementAndGet();
        throw new IOException("down");
    }

    @Override
    public String get(String key, int version) throws IOException {
        byVersion.incrementAndGet();
        throw new IOException("down");
    }
}
