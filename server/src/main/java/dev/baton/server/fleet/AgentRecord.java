package dev.baton.server.fleet;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.protobuf.Struct;

import dev.baton.proto.v1.AgentMetrics;
import dev.baton.proto.v1.Endpoint;
import dev.baton.server.time.TimeSource;

/**
 * What Baton knows of one agent: reported (soft) state, rebuilt from the agent's Hello after a
 * restart. Owned by the control loop; never touched from another thread.
 */
public final class AgentRecord {

    final String id;
    String name = "";
    String version = "";
    int slots = 1;
    Map<String, String> labels = Map.of();
    Struct capabilities = Struct.getDefaultInstance();
    String engineId = "";
    /** What it advertised in its last Hello (capabilities.endpoints), checked. */
    List<Endpoint> advertisedEndpoints = List.of();
    /** Drained by an operator (DrainAgent); kept across the agent's reconnects. */
    boolean drain;
    /** Drained by the agent itself (Hello.drain, Heartbeat.drain); replaced by each Hello. Read off the loop too. */
    volatile boolean selfDrain;
    Instant drainDeadline;
    TimeSource.Timer drainTimer;
    AgentSession session;
    Instant connectedAt;
    /**
     * Liveness, the two fields that a plain heartbeat changes: besides the loop, the agent's stream
     * writes them directly (see {@link AgentProtocol#heartbeatOffLoop}), so a heartbeat costs no hop.
     * Epoch milliseconds rather than an Instant: a heartbeat then allocates nothing to record itself.
     * 0 until the agent's first Hello (a record made at start-up for the agent of a stored job).
     */
    volatile long lastSeenMillis;
    volatile AgentMetrics metrics = AgentMetrics.getDefaultInstance();
    Instant disconnectedAt;
    /** Jobs the agent holds (including UNKNOWN ones while it is offline), in assignment order. */
    final Set<String> jobIds = new LinkedHashSet<>();
    /** Slots taken by the jobs it holds. */
    int usedSlots;
    /** The index of agents with free slots, told of every change of load (null for a detached record). */
    FreeAgentIndex freeAgents;
    /** The sort key this record is filed under in {@link FreeAgentIndex}, frozen while it is filed. */
    boolean indexed;
    int indexedUsed;
    int indexedSlots;

    AgentRecord(String id) {
        this.id = id;
    }

    public String id() { return id; }
    public int slots() { return slots; }
    public int usedSlots() { return usedSlots; }
    public int freeSlots() { return online() && !drain() ? Math.max(0, slots - usedSlots) : 0; }
    public Map<String, String> labels() { return labels; }
    /** Drained by an operator or by the agent itself: no new jobs. */
    public boolean drain() { return drain || selfDrain; }
    public boolean online() { return session != null && !session.isClosed(); }
    public AgentSession session() { return session; }
    public Set<String> jobIds() { return jobIds; }
    public Instant disconnectedAt() { return disconnectedAt; }
    public String engineId() { return engineId; }

    /** Takes or gives back slots for a job. */
    public void addJob(String jobId, int jobSlots) {
        if (jobIds.add(jobId)) {
            usedSlots += jobSlots;
            capacityChanged();
        }
    }

    public void removeJob(String jobId, int jobSlots) {
        if (jobIds.remove(jobId)) {
            usedSlots = Math.max(0, usedSlots - jobSlots);
            capacityChanged();
        }
    }

    /** Re-files the agent in the free-slot index after its load, session, drain or slots changed. */
    void capacityChanged() {
        if (freeAgents != null) {
            freeAgents.update(this);
        }
    }
}
