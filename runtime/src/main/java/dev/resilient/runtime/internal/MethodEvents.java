package dev.resilient.runtime.internal;

/**
 * The one attempt of a generated method with a breaker and no retry: tells the listener how it
 * ended, then the breaker. On a context without a listener every wrapper shares one inactive
 * instance, so the generated code's calls cost a field read and allocate nothing.
 */
public final class MethodEvents {
    private static final MethodEvents INACTIVE = new MethodEvents(null, null, Outcomes.none());

    private final String method;
    private final Listeners listener;
    private final Outcomes outcomes;

    private MethodEvents(String method, Listeners listener, Outcomes outcomes) {
        this.method = method;
        this.listener = listener;
        this.outcomes = outcomes;
    }

    /** The events of {@code method} ({@code "Interface.method"}) in {@code context}. */
    static MethodEvents of(ContextCore core, String method, Outcomes outcomes) {
        Listeners listener = core.listener();
        java.util.Objects.requireNonNull(method, "method");
        if (outcomes != Outcomes.none()) {
            return new MethodEvents(method, listener.active() ? listener : null, outcomes);
        }
        return listener.active() ? new MethodEvents(method, listener, outcomes) : INACTIVE;
    }

    /** The attempt returned normally. */
    public void succeeded(Permit permit) {
        if (listener != null) {
            listener.attempt(method, 1, null);
        }
        permit.succeeded();
    }

    /**
     * The attempt returned {@code value}, for a method whose {@code failOnResult} judges it: the
     * breaker records it as that says.
     *
     * @throws RuntimeException what the named method threw
     */
    public void returned(Object value, Permit permit) {
        if (listener != null) {
            listener.attempt(method, 1, null);
        }
        Throwable broken = outcomes.settle(value, permit);
        if (broken != null) {
            throw Rethrow.unchecked(broken);
        }
    }

    /** The attempt threw {@code failure}. */
    public void failed(Permit permit, Throwable failure) {
        if (listener != null) {
            listener.attempt(method, 1, failure);
        }
        permit.failed(failure);
    }
}
