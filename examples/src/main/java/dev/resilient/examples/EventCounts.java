package dev.resilient.examples;

import dev.resilient.runtime.ResilienceListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what the fleet parts' clients do, heard from any thread: retries made and refused, hedges started. */
final class EventCounts implements ResilienceListener {
    final AtomicInteger retries = new AtomicInteger();
    final AtomicInteger budgetRefusals = new AtomicInteger();
    final AtomicInteger hedges = new AtomicInteger();

    @Override
    public void onRetry(String method, int attempt, Throwable failure, Duration wait) {
        retries.incrementAndGet();
    }

    @Override
    public void onRetryBudgetExhausted(String method, String budget) {
        budgetRefusals.incrementAndGet();
    }

    @Override
    public void onHedge(String method, int attempt) {
        hedges.incrementAndGet();
    }
}
