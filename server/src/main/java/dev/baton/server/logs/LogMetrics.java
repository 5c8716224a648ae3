package dev.baton.server.logs;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Log lines by outcome and the bytes of output held in memory. */
final class LogMetrics {

    final AtomicLong retainedBytes = new AtomicLong();
    private final Counter stored;
    private final Counter rateLimited;
    private final Counter duplicate;
    private final Counter refused;

    LogMetrics(MeterRegistry registry) {
        stored = lines(registry, "stored");
        rateLimited = lines(registry, "rate_limited");
        duplicate = lines(registry, "duplicate");
        refused = lines(registry, "refused");
        Gauge.builder("baton.log.retained.bytes", retainedBytes, AtomicLong::get)
             .description("bytes of job output held in memory (tails of live attempts)").register(registry);
    }

    private static Counter lines(MeterRegistry registry, String outcome) {
        return Counter.builder("baton.log.lines").tag("outcome", outcome)
                      .description("log lines received from agents, by what became of them").register(registry);
    }

    void stored(long n) { stored.increment(n); }
    void rateLimited(long n) { rateLimited.increment(n); }
    void duplicate(long n) { duplicate.increment(n); }
    void refused(long n) { refused.increment(n); }
}
