package dev.resilient.runtime.internal;

import dev.resilient.runtime.RateLimitedException;
import dev.resilient.runtime.TimeSource;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * A token bucket of {@code permits} tokens, full when created, refilled evenly: one token every
 * {@code per / permits}, rounded up to the nanosecond so that no token comes early. Kept lock-free
 * as one long, the theoretical arrival time of the virtual
 * scheduling algorithm (GCRA): the time at which the bucket would be empty again had every token
 * been taken at its pace. An attempt may start while that time is at most
 * {@code (permits - 1) × interval} ahead of now, and moves it on by one interval. Shared by name
 * in one context, and by every delegate under failover.
 */
final class RateLimiter {
    private static final VarHandle DUE;

    static {
        try {
            DUE = MethodHandles.lookup().findVarHandle(RateLimiter.class, "due", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final String settings;
    private final long maxWaitNanos;
    private final long intervalNanos;
    /** How far ahead of now {@link #due} may be for an attempt to start at once. */
    private final long toleranceNanos;
    private final TimeSource time;
    private final Listeners listener;
    /** The theoretical arrival time, by {@link #time}. */
    private volatile long due;

    /** @param settings {@code @RateLimit}'s, checked with every rule */
    RateLimiter(String name, Settings settings, ContextCore core) {
        int permits = settings.intValue(Attribute.PERMITS);
        this.name = name;
        this.settings = text(settings);
        this.maxWaitNanos = settings.nanos(Attribute.RATE_LIMIT_MAX_WAIT, 0);
        // Rounded up: rounded down, permits intervals would end before per does, and a drained bucket
        // would pass one attempt too many in a per (3 per 1s: the sixth at 999,999,999ns).
        long per = settings.nanos(Attribute.PER, 0);
        this.intervalNanos = per / permits + (per % permits == 0 ? 0 : 1);
        this.toleranceNanos = (permits - 1) * intervalNanos;
        this.time = core.time();
        this.listener = core.listener();
        this.due = time.nanoTime();
    }

    /**
     * Takes a token, waiting up to {@code maxWait} for one through the context's time.
     *
     * @return whether it waited for the token
     * @throws RateLimitedException when none comes in time, saying when the next one comes; or
     *     when the thread is interrupted while waiting (its interrupt flag is then set again, and
     *     the token it waited for is spent)
     */
    boolean acquire() {
        long wait;
        while (true) {
            long now = time.nanoTime();
            long current = due;
            long ahead = Math.max(0, current - now); // an idle bucket refills up to full, no further
            wait = ahead - toleranceNanos;
            if (wait > maxWaitNanos) {
                throw refused(wait);
            }
            // At most Long.MAX_VALUE ahead of now: further, the difference would wrap round into the
            // past, and the bucket look idle and full to the next attempt (2 per 292 years, or
            // waiters reserving tokens that far ahead). A token past the clock is as good as never.
            long next = ahead > Long.MAX_VALUE - intervalNanos ? Long.MAX_VALUE : ahead + intervalNanos;
            if (DUE.compareAndSet(this, current, now + next)) {
                break;
            }
        }
        if (wait > 0) {
            try {
                time.sleep(wait);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new RateLimitedException("rate limit '" + name + "': interrupted while waiting " + Duration.ofNanos(wait)
                        + " for a token", Duration.ofNanos(wait));
            }
            return true;
        }
        return false;
    }

    private RateLimitedException refused(long waitNanos) {
        Duration next = Duration.ofNanos(waitNanos);
        listener.rateLimited(name, next);
        return new RateLimitedException("rate limit '" + name + "' (" + settings + ") has no token: the next comes in "
                + DurationFormat.text(next) + (maxWaitNanos == 0 ? "" : ", later than maxWait"), next);
    }

    /** Whether {@code other} would make a limiter just like this one. */
    boolean sameSettings(Settings other) {
        return settings.equals(text(other));
    }

    /** {@code permits=5, per=1s, maxWait=0}. */
    String settings() {
        return settings;
    }

    /** How long an attempt may wait for a token, as the limit's settings and overrides say. */
    Duration maxWait() {
        return Duration.ofNanos(maxWaitNanos);
    }

    static String text(Settings settings) {
        return "permits=" + settings.intValue(Attribute.PERMITS) + ", per=" + DurationFormat.text((Duration) settings.get(Attribute.PER))
                + ", maxWait=" + DurationFormat.text((Duration) settings.get(Attribute.RATE_LIMIT_MAX_WAIT));
    }

    @Override
    public String toString() {
        return "RateLimiter[" + name + " " + settings + "]";
    }
}
