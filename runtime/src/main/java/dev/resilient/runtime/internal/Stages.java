package dev.resilient.runtime.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

/**
 * How the policies touch a delegate's {@link CompletionStage}, whatever its class: the JDK's
 * minimal, completed and failed stages refuse {@code isDone()}, {@code join()} and
 * {@code cancel()}; other libraries' stages may refuse {@code toCompletableFuture()}. So a stage
 * is only ever observed through {@code handle}, which also hands over a failure without building
 * a {@link CompletionException} around it (that would call the failure's {@code toString()},
 * which may throw), and cancelled only where it lets itself be.
 */
final class Stages {
    private Stages() {}

    /** The failure itself, out of the wrappers that stages put around it. */
    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * Whether {@code stage} is a plain {@code CompletableFuture} that has completed, so that its
     * outcome can be read at once without allocating a callback. Subclasses are not trusted with
     * that (the JDK's minimal stages are one).
     */
    static boolean answered(CompletionStage<?> stage) {
        return stage.getClass() == CompletableFuture.class && ((CompletableFuture<?>) stage).isDone();
    }

    /** The value of an {@linkplain #answered answered} stage that did not fail, or {@code null}. */
    static <T> T valueOf(CompletableFuture<T> answered) {
        return answered.isCompletedExceptionally() ? null : answered.getNow(null);
    }

    /** The failure of an {@linkplain #answered answered} stage, unwrapped, or {@code null}. */
    static Throwable failureOf(CompletableFuture<?> answered) {
        if (!answered.isCompletedExceptionally()) {
            return null;
        }
        Throwable[] failure = new Throwable[1];
        answered.handle((value, thrown) -> failure[0] = thrown); // runs now: it has completed
        return unwrap(failure[0]);
    }

    /**
     * Calls {@code outcome} with the stage's value or unwrapped failure once it completes (at once
     * when it has). A stage that refuses even that is taken to have failed with what it threw.
     */
    static <T> void observe(CompletionStage<? extends T> stage, BiFunction<T, Throwable, Void> outcome) {
        try {
            stage.handle((T value, Throwable failure) -> outcome.apply(value, failure == null ? null : unwrap(failure)));
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable refused) {
            outcome.apply(null, refused);
        }
    }

    /** Cancels {@code stage} where it lets itself be cancelled; a stage that refuses is left to complete. */
    static void cancel(CompletionStage<?> stage) {
        try {
            if (stage instanceof Future<?> future) {
                future.cancel(true);
            } else {
                stage.toCompletableFuture().cancel(true); // where that is the stage's own future, it cancels it
            }
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable refused) {
            // The JDK's minimal stages and stages of other libraries may refuse: they complete in their own time.
        }
    }

    /**
     * Completes the call's future. Completing it runs what the caller chained to it, and the JDK
     * lets an exception escape from there when a failure cannot describe itself; the future is
     * complete by then, and that exception is not the policies' business.
     */
    static <T> void complete(CompletableFuture<T> result, T value, Throwable failure) {
        try {
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(failure);
            }
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable fromDependents) {
            // Thrown by a stage the caller chained; the result itself is complete.
        }
    }
}
