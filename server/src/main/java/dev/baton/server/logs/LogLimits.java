package dev.baton.server.logs;

import java.time.Duration;

import dev.baton.server.config.ConfigException;

/**
 * The bounds on job logs, validated once at start-up: what one attempt keeps, how long a line may be,
 * how fast one agent may send, how often tails are flushed to the store and how long they are kept.
 */
public record LogLimits(int tailBytes, int maxLineBytes, int agentBytesPerSecond, Duration flushInterval,
                        Duration retention) {

    /** Bookkeeping charged per line on top of its text, so a flood of empty lines is bounded too. */
    public static final int LINE_OVERHEAD_BYTES = 32;

    public static Builder builder() {
        return new Builder();
    }

    public static LogLimits defaults() {
        return builder().build();
    }

    /** A burst of up to four seconds' worth of the agent rate passes at once. */
    public long agentBurstBytes() {
        return 4L * agentBytesPerSecond;
    }

    /** Builder with the documented defaults (docs/logs.md). */
    public static final class Builder {
        private int tailBytes = 256 * 1024;
        /** Null: 8 KiB, or a quarter of the tail when the tail is smaller than 32 KiB. */
        private Integer maxLineBytes;
        private int agentBytesPerSecond = 256 * 1024;
        private Duration flushInterval = Duration.ofSeconds(5);
        private Duration retention = Duration.ofDays(7);

        private Builder() {}

        public Builder tailBytes(int v) { tailBytes = v; return this; }
        public Builder maxLineBytes(int v) { maxLineBytes = v; return this; }
        public Builder agentBytesPerSecond(int v) { agentBytesPerSecond = v; return this; }
        public Builder flushInterval(Duration v) { flushInterval = v; return this; }
        public Builder retention(Duration v) { retention = v; return this; }

        /** Throws {@link ConfigException} naming the setting of the first bad value. */
        public LogLimits build() {
            check(tailBytes >= 1024, "LOG_TAIL_KIB", tailBytes / 1024, "an integer >= 1");
            int maxLineBytes = this.maxLineBytes != null ? this.maxLineBytes : Math.min(8 * 1024, tailBytes / 4);
            check(maxLineBytes >= 64 && maxLineBytes <= tailBytes / 4, "LOG_MAX_LINE_BYTES", maxLineBytes,
                  "an integer from 64 to a quarter of the tail (" + tailBytes / 4 + " bytes)");
            check(agentBytesPerSecond >= 1024, "LOG_RATE_KIB_PER_S", agentBytesPerSecond / 1024, "an integer >= 1");
            check(flushInterval != null && !flushInterval.isNegative() && !flushInterval.isZero(), "LOG_FLUSH_INTERVAL_S", flushInterval,
                  "a positive number of seconds");
            check(retention != null && !retention.isNegative() && !retention.isZero(), "LOG_RETENTION_S", retention,
                  "a positive number of seconds");
            return new LogLimits(tailBytes, maxLineBytes, agentBytesPerSecond, flushInterval, retention);
        }

        private static void check(boolean ok, String name, Object value, String expected) {
            if (!ok) {
                throw new ConfigException(name, String.valueOf(value), expected);
            }
        }
    }
}
