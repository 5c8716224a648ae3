package dev.baton.server.fleet;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.DrainAgentRequest;
import dev.baton.proto.v1.ListAgentsRequest;
import dev.baton.proto.v1.ListAgentsResponse;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.error.BatonException;
import dev.baton.server.jobs.JobLifecycle;
import dev.baton.server.jobs.JobScheduler;
import dev.baton.server.jobs.Validation;

/** What operators do with agents: list, get, drain and undrain. Runs on the control loop. */
public final class FleetOperations {

    private final ControlLoop loop;
    private final Fleet fleet;
    private final JobLifecycle lifecycle;
    private final JobScheduler scheduler;

    public FleetOperations(ControlLoop loop, Fleet fleet, JobLifecycle lifecycle, JobScheduler scheduler) {
        this.loop = loop;
        this.fleet = fleet;
        this.lifecycle = lifecycle;
        this.scheduler = scheduler;
    }

    public Agent get(String id) {
        return fleet.toProto(fleet.require(id));
    }

    /** Agents by id, filtered by state and labels, paginated. */
    public ListAgentsResponse list(ListAgentsRequest request) {
        int size = Validation.pageSize(request.getPageSize());
        String after = Validation.decodePageToken(request.getPageToken());
        Set<Agent.State> states = EnumSet.noneOf(Agent.State.class);
        for (Agent.State state : request.getStateList()) {
            if (state == Agent.State.UNRECOGNIZED || state == Agent.State.STATE_UNSPECIFIED) {
                throw BatonException.invalidArgument("state: not an agent state (expected: e.g. IDLE, RUNNING)");
            }
            states.add(state);
        }
        Map<String, String> selector = Validation.labelSelector(request.getLabelSelector());
        ListAgentsResponse.Builder response = ListAgentsResponse.newBuilder();
        String lastId = null;
        for (AgentRecord agent : fleet.all()) {
            if (after != null && agent.id().compareTo(after) <= 0) {
                continue;
            }
            Agent proto = fleet.toProto(agent);
            if (!states.isEmpty() && !states.contains(proto.getState())) {
                continue;
            }
            if (!selector.entrySet().stream().allMatch(e -> e.getValue().equals(agent.labels().get(e.getKey())))) {
                continue;
            }
            if (response.getAgentsCount() == size) {
                response.setNextPageToken(Validation.encodePageToken(lastId));
                break;
            }
            response.addAgents(proto);
            lastId = agent.id();
        }
        return response.build();
    }

    /** Drains (no new jobs; optional deadline stops the rest) or undrains an agent; the agent is told. */
    public Agent drain(DrainAgentRequest request) {
        AgentRecord agent = fleet.require(request.getId());
        if (agent.drainTimer != null) {
            agent.drainTimer.cancel();
            agent.drainTimer = null;
        }
        agent.drain = request.getDrain();
        agent.drainDeadline = null;
        fleet.topologyChanged(agent);
        dev.baton.proto.v1.Drain.Builder message = dev.baton.proto.v1.Drain.newBuilder().setDrain(request.getDrain());
        if (request.getDrain() && request.hasDeadline()) {
            Duration deadline = Duration.ofMillis(Durations.toMillis(request.getDeadline()));
            if (deadline.isNegative()) {
                throw BatonException.invalidArgument("deadline: %s (expected: >= 0s)",
                                                     Durations.toString(request.getDeadline()));
            }
            agent.drainDeadline = loop.time().now().plus(deadline);
            message.setDeadline(Timestamps.fromMillis(agent.drainDeadline.toEpochMilli()));
            agent.drainTimer = loop.schedule(deadline, () -> {
                agent.drainTimer = null;
                if (agent.drain) {
                    lifecycle.drainDeadlineReached(agent);
                }
            });
        }
        if (agent.online()) {
            agent.session.send(ServerMessage.newBuilder().setDrain(message).build());
        }
        fleet.publish(agent);
        scheduler.requestPass();
        return fleet.toProto(agent);
    }
}
