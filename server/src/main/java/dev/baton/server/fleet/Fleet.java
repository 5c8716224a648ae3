package dev.baton.server.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.Endpoint;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.server.error.BatonException;
import dev.baton.server.time.TimeSource;
import dev.baton.server.watch.WatchHub;

/**
 * The registry of agents, online and offline. Owned by the control loop. Publishes an agent event
 * whenever what an operator sees of the agent changes (heartbeats alone publish nothing).
 */
public final class Fleet {

    private final Map<String, AgentRecord> agents = new TreeMap<>();
    private final Map<String, AgentView> lastPublished = new HashMap<>();
    private final FreeAgentIndex freeAgents = new FreeAgentIndex();
    /** Agents by the state they were last published with, kept as each event goes out (no scans). */
    private final Map<Agent.State, Integer> publishedStates = new java.util.EnumMap<>(Agent.State.class);
    private final TimeSource time;
    private final WatchHub hub;
    private long topologyVersion;
    private Function<String, Job.Status> jobStatus = id -> Job.Status.STATUS_UNSPECIFIED;
    private Function<String, List<Endpoint>> engineEndpoints = id -> List.of();

    public Fleet(TimeSource time, WatchHub hub) {
        this.time = time;
        this.hub = hub;
    }

    /** Lets the fleet see its agents' job statuses (the state rule needs them). */
    public void jobStatusLookup(Function<String, Job.Status> lookup) {
        this.jobStatus = lookup;
    }

    /** Lets the fleet show the endpoints of the engine an agent runs in (engine id → endpoints, on the loop). */
    public void engineEndpoints(Function<String, List<Endpoint>> lookup) {
        this.engineEndpoints = lookup;
    }

    /** Where the agent serves clients: its engine's ports first, then what it advertised under other names. */
    public List<Endpoint> endpointsOf(AgentRecord agent) {
        List<Endpoint> result = new ArrayList<>(agent.engineId.isEmpty() ? List.of()
                                                                         : engineEndpoints.apply(agent.engineId));
        for (Endpoint advertised : agent.advertisedEndpoints) {
            if (result.stream().noneMatch(e -> e.getName().equals(advertised.getName()))) {
                result.add(advertised);
            }
        }
        return result;
    }

    /** The endpoints serving {@code job}: its agent's, while that agent holds it; none otherwise. */
    public List<Endpoint> endpointsServing(Job job) {
        AgentRecord agent = job.getAgentId().isEmpty() ? null : agents.get(job.getAgentId());
        return agent == null || !agent.jobIds.contains(job.getId()) ? List.of() : endpointsOf(agent);
    }

    /**
     * Called when {@code agent} joins, leaves or is (un)drained: waiting reasons may be stale then,
     * and the agent's free slots changed.
     */
    public void topologyChanged(AgentRecord agent) {
        topologyVersion++;
        agent.capacityChanged();
    }

    /** Online, undrained agents with a free slot, least loaded first. */
    public FreeAgentIndex freeAgents() {
        return freeAgents;
    }

    public long topologyVersion() {
        return topologyVersion;
    }

    public AgentRecord get(String id) {
        return agents.get(id);
    }

    public AgentRecord require(String id) {
        AgentRecord agent = agents.get(id);
        if (agent == null) {
            throw BatonException.notFound("agent", id);
        }
        return agent;
    }

    /** The record for {@code id}, created (offline) if new. */
    public AgentRecord getOrCreate(String id) {
        return agents.computeIfAbsent(id, newId -> {
            AgentRecord agent = new AgentRecord(newId);
            agent.freeAgents = freeAgents;
            return agent;
        });
    }

    public Collection<AgentRecord> all() {
        return agents.values();
    }

    /** Agents with a live session. */
    public List<AgentRecord> online() {
        List<AgentRecord> result = new ArrayList<>();
        for (AgentRecord agent : agents.values()) {
            if (agent.online()) {
                result.add(agent);
            }
        }
        return result;
    }

    public Agent.State stateOf(AgentRecord agent) {
        List<Job.Status> statuses = new ArrayList<>(agent.jobIds.size());
        for (String jobId : agent.jobIds) {
            statuses.add(jobStatus.apply(jobId));
        }
        return AgentStateRule.stateOf(agent.online(), agent.drain(), statuses);
    }

    /** The operator's view of {@code agent}. */
    public Agent toProto(AgentRecord agent) {
        return toProto(agent, viewOf(agent));
    }

    private Agent toProto(AgentRecord agent, AgentView view) {
        Agent.Builder b = view.toProto().setMetrics(agent.metrics);
        long lastSeen = agent.lastSeenMillis;
        if (lastSeen != 0) {
            b.setLastSeenAt(Timestamps.fromMillis(lastSeen));
            b.setHeartbeatAge(Durations.fromMillis(Math.max(0, time.millis() - lastSeen)));
        }
        return b.build();
    }

    private AgentView viewOf(AgentRecord agent) {
        boolean online = agent.online();
        return new AgentView(agent.id, agent.name, agent.version, stateOf(agent), agent.slots, agent.freeSlots(),
                             agent.labels, agent.capabilities, agent.drain(), List.copyOf(agent.jobIds),
                             agent.engineId, endpointsOf(agent), agent.drainDeadline, agent.connectedAt,
                             online ? agent.session.id() : null, online ? null : agent.disconnectedAt);
    }

    /** Forgets agents that have been OFFLINE without jobs since before {@code cutoff}. */
    public int forgetOfflineSince(Instant cutoff) {
        int forgotten = 0;
        for (java.util.Iterator<AgentRecord> it = agents.values().iterator(); it.hasNext(); ) {
            AgentRecord agent = it.next();
            if (!agent.online() && agent.jobIds.isEmpty() && agent.disconnectedAt != null
                && agent.disconnectedAt.isBefore(cutoff)) {
                agent.capacityChanged();
                it.remove();
                countState(lastPublished.remove(agent.id), -1);
                hub.agentChanged(WatchEvent.Type.REMOVED, toProto(agent));
                forgotten++;
            }
        }
        return forgotten;
    }

    /** Publishes the agent if what operators see of it changed since the last event. */
    public void publish(AgentRecord agent) {
        AgentView view = viewOf(agent);
        AgentView previous = lastPublished.put(agent.id, view);
        if (view.equals(previous)) {
            return;
        }
        countState(previous, -1);
        countState(view, 1);
        hub.agentChanged(previous == null ? WatchEvent.Type.ADDED : WatchEvent.Type.UPDATED, toProto(agent, view));
    }

    private void countState(AgentView published, int delta) {
        if (published != null) {
            publishedStates.merge(published.state(), delta, Integer::sum);
        }
    }

    /** How many agents are in each state, as last published (every agent is published when it changes). */
    public Map<Agent.State, Integer> stateCounts() {
        return publishedStates;
    }
}
