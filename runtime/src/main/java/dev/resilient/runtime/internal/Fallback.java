package dev.resilient.runtime.internal;

import dev.resilient.runtime.ResilienceContext;
import java.util.Objects;

/** Decides whether a failed call falls back, and says so to the listener. */
public final class Fallback {
    private final String method;
    private final Failures applyOn;
    private final Failures skipOn;
    private final Listeners listener;

    private Fallback(String method, Failures applyOn, Failures skipOn, Listeners listener) {
        this.method = method;
        this.applyOn = applyOn;
        this.skipOn = skipOn;
        this.listener = listener;
    }

    /**
     * @param applyOn failures that fall back, subclasses included
     * @param skipOn failures that reach the caller instead; wins over {@code applyOn}
     */
    public static Fallback create(ResilienceContext context, String method, Class<?>[] applyOn, Class<?>[] skipOn) {
        return new Fallback(Objects.requireNonNull(method, "method"), Failures.of("applyOn", applyOn),
                Failures.of("skipOn", skipOn), ContextCore.of(context).listener());
    }

    /** Whether the call that failed with {@code failure} falls back. */
    public boolean applies(Throwable failure) {
        boolean applies = !skipOn.matches(failure) && applyOn.matches(failure);
        if (applies) {
            listener.fallback(method, failure);
        }
        return applies;
    }

    @Override
    public String toString() {
        return "Fallback[" + method + " applyOn=" + applyOn + ", skipOn=" + skipOn + "]";
    }
}
