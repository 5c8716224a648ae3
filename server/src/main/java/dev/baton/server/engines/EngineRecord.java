package dev.baton.server.engines;

import java.time.Instant;
import java.util.List;

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
    String reason = "";
    TimeSource.Timer startupTimer;

    EngineRecord(String id, String pool, String containerName, Instant createdAt, String configHash, String image) {
        this.id = id;
        this.pool = pool;
        this.containerName = containerName;
        this.createdAt = createdAt;
        this.configHash = configHash;
        this.image = image;
    }

    String id() { return id; }
    String pool() { return pool; }
    String containerName() { return containerName; }
    Instant createdAt() { return createdAt; }
    String configHash() { return configHash; }
    String image() { return image; }

    boolean hasJobs() {
        return !jobIds.isEmpty();
    }

    Engine.State state() {
        if (removing) {
            return Engine.State.STOPPING;
        }
        if (retiring || agentDrained) {
            return Engine.State.DRAINING;
        }
        if (!agentOnline) {
            return Engine.State.STARTING;
        }
        return hasJobs() ? Engine.State.USED : Engine.State.FREE;
    }

    void cancelStartupTimer() {
        if (startupTimer != null) {
            startupTimer.cancel();
            startupTimer = null;
        }
    }
}
