package dev.baton.server.watch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the watch stream is bounded: the ring buffer that serves resumes, the queue each watcher may
 * fall behind by before it is cut off, and how often an idle stream gets a bookmark. Immutable.
 */
public final class WatchSettings {

    /** 10,000 buffered events, 10,000 queued events per watcher, a bookmark every 5 s. */
    public static final WatchSettings DEFAULT = builder().build();

    private final int bufferSize;
    private final int watcherQueueCapacity;
    private final Duration bookmarkInterval;

    private WatchSettings(Builder b) {
        bufferSize = b.bufferSize;
        watcherQueueCapacity = b.watcherQueueCapacity;
        bookmarkInterval = b.bookmarkInterval;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Recent events kept for resumes; an older fromRevision gets RESET and a snapshot. */
    public int bufferSize() { return bufferSize; }

    /** Live events a watcher may have queued, unsent, before it is cut off with RESOURCE_EXHAUSTED. */
    public int watcherQueueCapacity() { return watcherQueueCapacity; }

    /** A stream with nothing sent for this long gets a BOOKMARK with the current revision. */
    public Duration bookmarkInterval() { return bookmarkInterval; }

    public Builder toBuilder() {
        return builder().bufferSize(bufferSize).watcherQueueCapacity(watcherQueueCapacity)
                        .bookmarkInterval(bookmarkInterval);
    }

    @Override
    public String toString() {
        return "WatchSettings{bufferSize=" + bufferSize + ", watcherQueueCapacity=" + watcherQueueCapacity
               + ", bookmarkInterval=" + bookmarkInterval + '}';
    }

    /** Builder of {@link WatchSettings}; every value is checked where it is set. */
    public static final class Builder {
        private int bufferSize = 10_000;
        private int watcherQueueCapacity = 10_000;
        private Duration bookmarkInterval = Duration.ofSeconds(5);

        private Builder() {}

        public Builder bufferSize(int bufferSize) {
            if (bufferSize < 1) {
                throw new IllegalArgumentException("bufferSize: " + bufferSize + " (expected: > 0)");
            }
            this.bufferSize = bufferSize;
            return this;
        }

        public Builder watcherQueueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("watcherQueueCapacity: " + capacity + " (expected: > 0)");
            }
            this.watcherQueueCapacity = capacity;
            return this;
        }

        public Builder bookmarkInterval(Duration interval) {
            requireNonNull(interval, "bookmarkInterval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("bookmarkInterval: " + interval + " (expected: > 0)");
            }
            this.bookmarkInterval = interval;
            return this;
        }

        public WatchSettings build() {
            return new WatchSettings(this);
        }
    }
}
