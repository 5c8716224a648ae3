package dev.baton.agent;

import static java.util.Objects.requireNonNull;

import dev.baton.agent.internal.SystemMetrics;
import dev.baton.proto.v1.AgentMetrics;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Metrics attached to heartbeats. Collected on a job-pool thread between heartbeats, so a slow
 * collector never delays one: each heartbeat carries the latest finished collection.
 */
@FunctionalInterface
public interface HeartbeatMetrics {

    /** The metrics to attach now. */
    AgentMetrics collect();

    /** No metrics: heartbeats carry none. */
    static HeartbeatMetrics none() {
        return AgentMetrics::getDefaultInstance;
    }

    /** Host CPU use (percent of one core) and this process's resident memory. */
    static HeartbeatMetrics system() {
        return new SystemMetrics();
    }

    /** These metrics plus the custom gauges {@code custom} returns at each collection. */
    default HeartbeatMetrics withCustom(Supplier<Map<String, Double>> custom) {
        requireNonNull(custom, "custom");
        return () -> collect().toBuilder().putAllCustom(custom.get()).build();
    }
}
