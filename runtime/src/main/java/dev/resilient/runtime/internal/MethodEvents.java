package dev.resilient.runtime.internal;

/**
 * The one attempt of a generated method with a breaker and no retry: tells the listener how it
 * ended, then the breaker. On a context without a listener every wrapper shares one inactive
 * instance, so the generated code's calls cost a field read and allocate nothing.
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
    static MethodEvents of(ContextCore core, String method) {
        Listeners listener = core.listener();
        return listener.active() ? new MethodEvents(java.util.Objects.requireNonNull(method, "method"), listener) : INACTIVE;
    }

    /** The attempt returned normally. */
    public void succeeded(Permit permit) {
        if (listener != null) {
            listener.attempt(method, 1, null);
        }
        permit.succeeded();
    }

    /** The attempt threw {@code failure}. */
    public void failed(Permit permit, Throwable failure) {
        if (listener != null) {
            listener.attempt(method, 1, failure);
        }
        permit.failed(failure);
    }
}
