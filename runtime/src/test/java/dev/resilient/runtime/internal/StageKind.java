package dev.resilient.runtime.internal;

import dev.resilient.runtime.ManualTime;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The kinds of {@link CompletionStage} a delegate may return, for the stage matrix: every
 * asynchronous behaviour is tried with each. A kind either answers before the stage is returned
 * ({@link #isDone()}) or one millisecond of {@link ManualTime} later; the pending kinds can also
 * never answer.
 */
public enum StageKind {
    /** A {@code CompletableFuture} completed after it is returned. */
    FUTURE(false),
    /** {@code completedFuture(...)} / {@code failedFuture(...)}. */
    DONE_FUTURE(true),
    /** {@code minimalCompletionStage()} of a future completed later: refuses {@code isDone}, {@code cancel}, {@code join}. */
    MINIMAL(false),
    /** {@code completedStage(...)} / {@code failedStage(...)}. */
    DONE_MINIMAL(true),
    /** Another library's stage: no {@code Future} at all, and it refuses {@code toCompletableFuture()}. */
    FOREIGN(false),
    /** Another library's stage that has already answered. */
    DONE_FOREIGN(true);

    /** An outcome that never comes. */
    public static final Object NEVER = new Object() {
        @Override
        public String toString() {
            return "NEVER";
        }
    };

    private final boolean done;

    StageKind(boolean done) {
        this.done = done;
    }

    public boolean isDone() {
        return done;
    }

    /**
     * A stage of this kind with {@code outcome} (a {@link Throwable} fails it; {@link #NEVER}
     * never completes it, pending kinds only), completed now or 1 ms of {@code time} from now.
     */
    @SuppressWarnings("unchecked")
    public <T> CompletionStage<T> answer(ManualTime time, Object outcome) {
        CompletableFuture<T> source = new CompletableFuture<>();
        Runnable complete = () -> {
            if (outcome instanceof Throwable failure) {
                source.completeExceptionally(failure);
            } else if (outcome != NEVER) {
                source.complete((T) outcome);
            }
        };
        if (done) {
            if (outcome == NEVER) {
                throw new IllegalArgumentException(this + " has answered before it is returned");
            }
            complete.run();
            return switch (this) {
                case DONE_FUTURE -> source;
                case DONE_MINIMAL -> outcome instanceof Throwable failure
                        ? CompletableFuture.failedStage(failure)
                        : CompletableFuture.completedStage((T) outcome);
                default -> foreign(source);
            };
        }
        time.schedule(complete, Duration.ofMillis(1));
        return switch (this) {
            case FUTURE -> source;
            case MINIMAL -> source.minimalCompletionStage();
            default -> foreign(source);
        };
    }

    /** A stage that only has the methods of {@code CompletionStage}, and refuses {@code toCompletableFuture()}. */
    @SuppressWarnings("unchecked")
    private static <T> CompletionStage<T> foreign(CompletableFuture<T> source) {
        CompletionStage<T> minimal = source.minimalCompletionStage();
        return (CompletionStage<T>) Proxy.newProxyInstance(StageKind.class.getClassLoader(), new Class<?>[] {CompletionStage.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "toCompletableFuture" -> throw new UnsupportedOperationException("a foreign stage");
                        case "toString" -> {
                            return "ForeignStage[" + source + "]";
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        default -> {
                            try {
                                return method.invoke(minimal, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
    }
}
