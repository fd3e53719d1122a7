package dev.resilient.runtime.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Decides whether a failed call falls back, and says so to the listener. */
final class Fallback {
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
    static Fallback create(ContextCore core, String method, Class<?>[] applyOn, Class<?>[] skipOn) {
        return new Fallback(Objects.requireNonNull(method, "method"), Failures.of("applyOn", applyOn),
                Failures.of("skipOn", skipOn), core.listener());
    }

    /**
     * Whether the call that failed with {@code failure} falls back: never when its caller was
     * interrupted while it waited, which asked the call to stop, as cancelling an asynchronous
     * call's future does.
     */
    boolean applies(Throwable failure) {
        boolean applies = !(failure instanceof Interruptible.CallerInterrupted) && !skipOn.matches(failure) && applyOn.matches(failure);
        if (applies) {
            listener.fallback(method, failure);
        }
        return applies;
    }

    /**
     * What a blocking call that failed with {@code failure} returns: the fallback's answer, or
     * {@code failure} itself, thrown, when the fallback does not apply. What the fallback throws
     * reaches the caller. A fallback that takes an {@link InterruptedException} does not swallow
     * the interrupt: the thread's flag is set again first, as a retry that stops on one sets it.
     */
    <T> T call(MethodPolicies.FallbackCall<T> fallbackCall, Throwable failure) throws Throwable {
        if (fallbackCall == null || !applies(failure)) {
            throw failure;
        }
        Interruptible.keepsInterrupt(failure);
        return fallbackCall.run(failure);
    }

    /**
     * Completes an asynchronous call that failed with {@code failure}: with the fallback's stage,
     * or with {@code failure} when the fallback does not apply.
     *
     * @return the fallback's stage, to be cancelled with the call; {@code null} when there is none
     */
    <T> CompletionStage<? extends T> callAsync(MethodPolicies.FallbackCall<? extends CompletionStage<? extends T>> fallbackCall,
            Throwable failure, CompletableFuture<T> result) {
        if (fallbackCall == null || !applies(failure)) {
            Stages.complete(result, null, failure);
            return null;
        }
        if (result.isDone()) {
            return null; // cancelled while the fallback was told to listeners: it is not called
        }
        CompletionStage<? extends T> stage;
        try {
            stage = Objects.requireNonNull(fallbackCall.run(failure), () -> method + "'s fallback returned null instead of a stage");
        } catch (Throwable thrown) {
            Stages.complete(result, null, thrown);
            return null;
        }
        Stages.observe(stage, (T value, Throwable thrown) -> {
            Stages.complete(result, value, thrown);
            return null;
        });
        return stage;
    }

    @Override
    public String toString() {
        return "Fallback[" + method + " applyOn=" + applyOn + ", skipOn=" + skipOn + "]";
    }
}
