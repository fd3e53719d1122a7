package dev.resilient.benchmarks;

import java.util.concurrent.CompletableFuture;

/** The trivial delegates every subject calls. */
final class Delegates {
    private Delegates() {}

    /** Answers at once. */
    static final class Fast implements Subjects.Service, Subjects.RetryAndBreaker, Subjects.BreakerOnly, Subjects.RetryOnly,
            Subjects.RateBreaker, Subjects.TimeBreaker, Subjects.SlowCallBreaker, Subjects.RateLimited,
            Subjects.JudgedRetryAndBreaker, Subjects.BudgetedRetryAndBreaker, Subjects.Hedged, Subjects.TimedOut {
        @Override
        public String call(String input) {
            return input;
        }
    }

    /** Answers at once with a completed stage. */
    static final class FastAsync implements Subjects.AsyncRetryAndBreaker, Subjects.AsyncHedged {
        @Override
        public CompletableFuture<String> call(String input) {
            return CompletableFuture.completedFuture(input);
        }
    }

    /**
     * Fails every other call with an exception made once, so that throwing it allocates nothing:
     * one failed attempt, then a successful one. Each instance has its own: threads throwing one
     * shared exception object slow each other down (86 ns instead of 18 ns here).
     */
    static final class Flaky implements Subjects.Service, Subjects.RetryAndBreaker {
        private final Exception failure = new Exception("preallocated", null, false, false) {
            private static final long serialVersionUID = 1L;
        };
        private boolean failNext = true;

        @Override
        public String call(String input) throws Exception {
            if (failNext) {
                failNext = false;
                throw failure;
            }
            failNext = true;
            return input;
        }
    }
}
