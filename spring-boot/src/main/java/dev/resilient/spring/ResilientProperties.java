package dev.resilient.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's own settings. The override keys ({@code resilient.breaker.*},
 * {@code resilient.retry.*}, {@code resilient.ratelimit.*}, {@code resilient.budget.*}, {@code resilient.hedge.*}) are not
 * bound here: they are read as written, see the README.
 */
@ConfigurationProperties("resilient")
public class ResilientProperties {
    /**
     * Whether every bean that implements an interface with a generated wrapper is wrapped:
     * injection points of the interface type then receive the wrapper.
     */
    private boolean wrap = true;

    /**
     * Whether a resilient.* setting that no wrapper reads fails start-up. When false, it is
     * logged as a warning.
     */
    private boolean strict = true;

    private final Health health = new Health();

    public boolean isWrap() {
        return wrap;
    }

    public void setWrap(boolean wrap) {
        this.wrap = wrap;
    }

    public boolean isStrict() {
        return strict;
    }

    public void setStrict(boolean strict) {
        this.strict = strict;
    }

    public Health getHealth() {
        return health;
    }

    /** The "resilient" health contributor. */
    public static class Health {
        /**
         * The status the health contributor reports while a breaker is OPEN: CIRCUIT_OPEN (the
         * remote is down, not this application; HTTP 200) or DOWN (HTTP 503).
         */
        private OpenStatus openStatus = OpenStatus.CIRCUIT_OPEN;

        public OpenStatus getOpenStatus() {
            return openStatus;
        }

        public void setOpenStatus(OpenStatus openStatus) {
            this.openStatus = openStatus;
        }
    }

    /** What an OPEN breaker makes the health contributor report. */
    public enum OpenStatus {
        /** A status of its own, ordered between OUT_OF_SERVICE and UP. */
        CIRCUIT_OPEN,
        /** Boot's DOWN: the application reports itself unhealthy. */
        DOWN
    }
}
