package dev.baton.server.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.baton.server.time.TimeSource;

/**
 * A token bucket per caller: {@code burst} requests at once, refilled at {@code perSecond}. Time comes
 * from the server's {@link TimeSource}, so tests refill it in virtual time. Buckets are few (one per
 * configured token, plus one shared by anonymous loopback callers), so they are never evicted.
 */
final class RateLimiter {

    private final TimeSource time;
    private final double perSecond;
    private final double burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** {@code perSecond} 0 means no limit. */
    RateLimiter(TimeSource time, int perSecond, int burst) {
        this.time = time;
        this.perSecond = perSecond;
        this.burst = Math.max(burst, 1);
    }

    /** Takes one request from {@code key}'s bucket: 0 when allowed, otherwise whole seconds until one is. */
    long acquire(String key) {
        if (perSecond <= 0) {
            return 0;
        }
        return buckets.computeIfAbsent(key, unused -> new Bucket(burst, time.now())).take(time.now());
    }

    int perSecond() {
        return (int) perSecond;
    }

    private final class Bucket {
        private double available;
        private Instant refilledAt;

        Bucket(double available, Instant now) {
            this.available = available;
            this.refilledAt = now;
        }

        synchronized long take(Instant now) {
            if (now.isAfter(refilledAt)) {
                double seconds = Duration.between(refilledAt, now).toNanos() / 1e9;
                available = Math.min(burst, available + seconds * perSecond);
                refilledAt = now;
            }
            if (available >= 1) {
                available -= 1;
                return 0;
            }
            // Retry-After is in whole seconds: round up so a retry at that time succeeds.
            return Math.max(1, (long) Math.ceil((1 - available) / perSecond));
        }
    }
}
