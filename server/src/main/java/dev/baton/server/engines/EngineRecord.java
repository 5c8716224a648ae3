package dev.baton.server.engines;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.baton.proto.v1.Engine;
import dev.baton.server.time.TimeSource;

/**
 * What Baton knows of one engine container: its identity (from its labels), what Docker last said,
 * and what its agent reports. Owned by the control loop.
 */
final class EngineRecord {

    private final String id;
    private final String pool;
    private final String containerName;
    private final Instant createdAt;
    private final String configHash;
    private final String image;
    private final String host;

    /** Null while Docker is creating the container. */
    String containerId;
    /** Sequence at which {@link #containerId} became known; listings requested before it skip this engine. */
    long boundAt;
    String dockerStatus = "creating";

    String agentId = "";
    boolean agentOnline;
    boolean agentDrained;
    boolean everConnected;
    List<String> jobIds = List.of();
    Instant lastUsedAt;
    /** When it last became empty (or connected empty); null while it has jobs or never connected. */
    Instant emptySince;

    /** Why it should be replaced, or null. It keeps serving until it is retired. */
    String outdatedReason;
    /** "drift", "idle" or "age" while {@link #outdatedReason} is set. */
    String outdatedKind;
    /** Baton drained it: it takes no new jobs and goes once empty. */
    boolean retiring;
    /** Its container is being stopped and removed. */
    boolean removing;
    /** Its host has not answered for ENGINE_HOST_LOST_AFTER_S: replaced elsewhere, settled when the host returns. */
    boolean lost;
    String reason = "";
    TimeSource.Timer startupTimer;

    /** Host port by port name (from the pool's ports at creation, or from the labels when adopted). */
    Map<String, Integer> ports = Map.of();
    /** Probe state by port name, for the ports that have a health probe. */
    final Map<String, PortHealth> portHealth = new HashMap<>();
    /** When a probe made it UNHEALTHY, or null. */
    Instant unhealthySince;
    String unhealthyReason = "";
    /** Baton drained its agent because it is unhealthy (and undrains it if it recovers). */
    boolean drainedForHealth;
    /** Set once it has been unhealthy for the pool's replace-unhealthy-after time. */
    boolean replaceDue;
    TimeSource.Timer replaceTimer;

    EngineRecord(String id, String pool, String containerName, Instant createdAt, String configHash, String image,
                 String host) {
        this.id = id;
        this.pool = pool;
        this.containerName = containerName;
        this.createdAt = createdAt;
        this.configHash = configHash;
        this.image = image;
        this.host = host;
    }

    String id() { return id; }
    String pool() { return pool; }
    String containerName() { return containerName; }
    Instant createdAt() { return createdAt; }
    String configHash() { return configHash; }
    String image() { return image; }
    /** The Docker host its container runs on. */
    String host() { return host; }

    boolean hasJobs() {
        return !jobIds.isEmpty();
    }

    Engine.State state() {
        if (removing) {
            return Engine.State.STOPPING;
        }
        if (lost) {
            return Engine.State.LOST;
        }
        if (unhealthySince != null) {
            return Engine.State.UNHEALTHY;
        }
        if (retiring || agentDrained) {
            return Engine.State.DRAINING;
        }
        if (!agentOnline) {
            return Engine.State.STARTING;
        }
        return hasJobs() ? Engine.State.USED : Engine.State.FREE;
    }

    /** Stops every timer (startup, replacement, probes): the engine is gone. */
    void cancelTimers() {
        cancelStartupTimer();
        if (replaceTimer != null) {
            replaceTimer.cancel();
            replaceTimer = null;
        }
        portHealth.values().forEach(PortHealth::cancel);
    }

    void cancelStartupTimer() {
        if (startupTimer != null) {
            startupTimer.cancel();
            startupTimer = null;
        }
    }
}
