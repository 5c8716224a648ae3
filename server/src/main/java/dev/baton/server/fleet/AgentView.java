package dev.baton.server.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.google.protobuf.Struct;
import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.Endpoint;

/**
 * What an operator sees of an agent apart from its liveness (last seen, heartbeat age, metrics),
 * as plain values: the fleet compares it with the last published one to decide whether an agent
 * event is due, which costs no protobuf building when nothing changed, and builds the proto from
 * it only when something did. Every field of {@link Agent} except liveness comes from here, so a
 * field shown to operators cannot be left out of the comparison.
 */
record AgentView(String id, String name, String version, Agent.State state, int slots, int freeSlots,
                 Map<String, String> labels, Struct capabilities, boolean drain, List<String> jobIds,
                 String engineId, List<Endpoint> endpoints, Instant drainDeadline, Instant connectedAt,
                 String sessionId, Instant disconnectedAt) {

    /** The agent's proto without its liveness fields. */
    Agent.Builder toProto() {
        Agent.Builder b = Agent.newBuilder()
                               .setId(id)
                               .setName(name)
                               .setVersion(version)
                               .setState(state)
                               .setSlots(slots)
                               .setFreeSlots(freeSlots)
                               .setCapabilities(capabilities)
                               .setDrain(drain)
                               .setEngineId(engineId);
        // Empty collections are left out: adding none still gives the proto a map or list of its own,
        // and the watch ring keeps thousands of these.
        if (!labels.isEmpty()) {
            b.putAllLabels(labels);
        }
        if (!jobIds.isEmpty()) {
            b.addAllJobIds(jobIds).setCurrentJobId(jobIds.get(0));
        }
        if (!endpoints.isEmpty()) {
            b.addAllEndpoints(endpoints);
        }
        if (drainDeadline != null) {
            b.setDrainDeadline(Timestamps.fromMillis(drainDeadline.toEpochMilli()));
        }
        if (connectedAt != null) {
            b.setConnectedAt(Timestamps.fromMillis(connectedAt.toEpochMilli()));
        }
        if (sessionId != null) {
            b.setSessionId(sessionId);
        } else if (disconnectedAt != null) {
            b.setDisconnectedAt(Timestamps.fromMillis(disconnectedAt.toEpochMilli()));
        }
        return b;
    }
}
