package dev.resilient.benchmarks;

import java.util.concurrent.CompletableFuture;

/** The trivial delegates every subject calls. */
final class Delegates {
    private Delegates() {}

    /** Answers at once. */
    static final class Fast implements Subjects.Service, Subjects.RetryAndBreaker, Subjects.BreakerOnly, Subjects.RetryOnly,
            Subjects.RateBreaker {
        @Override
        public String call(String input) {
            return input;
        }
    }

    /** Answers at once with a completed stage. */
    static final class FastAsync implements Subjects.AsyncRetryAndBreaker {
        @Override
        public CompletableFuture<String> call(String input) {
            return CompletableFuture.completedFuture(input);
        }
    }

    /** A failure made once, so that throwing it costs no allocation. */
    static final Exception FAILURE = new Exception("preallocated", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    /** Fails every other call with {@link #FAILURE}: one failed attempt, then a successful one. */
    static final class Flaky implements Subjects.Service, Subjects.RetryAndBreaker {
        private boolean failNext = true;

        @Override
        public String call(String input) throws Exception {
            if (failNext) {
                failNext = false;
                throw FAILURE;
            }
            failNext = true;
            return input;
        }
    }
}
