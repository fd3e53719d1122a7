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
        java.util.Objects.requireNonNull(method, "method");
        return listener.active() ? new MethodEvents(method, listener) : INACTIVE;
    }

    /** The attempt returned normally. */
    public void succeeded(Permit permit) {
        if (listener != null) {
            listener.attempt(method, 1, null);
        }
        permit.succeeded();
    }

    /**
     * The attempt returned a value that the method's {@code failOnResult} judged, as the loop
     * called it: the breaker records a failure where it said {@code failed}.
     */
    public void judged(boolean failed, Permit permit) {
        if (listener != null) {
            listener.attempt(method, 1, null);
        }
        Outcomes.record(failed, permit);
    }

    /**
     * The attempt returned, and the method's {@code failOnResult} threw {@code broken} judging its
     * value: the listener hears that the delegate answered, and the breaker counts the attempt as
     * it would the delegate's own failure; the caller gets {@code broken}.
     */
    public void judgeBroke(Permit permit, Throwable broken) {
        if (listener != null) {
            listener.attempt(method, 1, null);
        }
        Outcomes.broke(broken, permit);
    }

    /** The attempt threw {@code failure}. */
    public void failed(Permit permit, Throwable failure) {
        if (listener != null) {
            listener.attempt(method, 1, failure);
        }
        permit.failed(failure);
    }
}
