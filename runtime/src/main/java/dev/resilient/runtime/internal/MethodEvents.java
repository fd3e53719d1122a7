package dev.resilient.runtime.internal;

import dev.resilient.runtime.ResilienceContext;

/**
 * Tells the listener how each attempt of one generated method ended. On a context without a
 * listener every wrapper shares one inactive instance, so the generated code's calls cost a field
 * read and allocate nothing.
 */
public final class MethodEvents {
    private static final MethodEvents INACTIVE = new MethodEvents(null, null);

    private final String method;
    private final Listeners listener;

    private MethodEvents(String method, Listeners listener) {
        this.method = method;
        this.listener = listener;
    }

    /** The events of {@code method} ({@code "Interface.method"}) in {@code context}. */
    public static MethodEvents of(ResilienceContext context, String method) {
        Listeners listener = ContextCore.of(context).listener();
        return listener.active() ? new MethodEvents(java.util.Objects.requireNonNull(method, "method"), listener) : INACTIVE;
    }

    /** Attempt {@code attempt} returned normally. */
    public void succeeded(int attempt) {
        if (listener != null) {
            listener.attempt(method, attempt, null);
        }
    }

    /** Attempt {@code attempt} threw {@code failure}. */
    public void failed(int attempt, Throwable failure) {
        if (listener != null) {
            listener.attempt(method, attempt, failure);
        }
    }
}
