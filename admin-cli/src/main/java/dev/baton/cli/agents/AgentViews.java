package dev.baton.cli.agents;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

import dev.baton.cli.output.Column;
import dev.baton.cli.output.Details;
import dev.baton.cli.output.Names;
import dev.baton.cli.output.StructText;
import dev.baton.cli.output.Times;
import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.AgentMetrics;

/** How agents look in tables and in {@code agents get}. */
final class AgentViews {

    static List<Column<Agent>> columns(Instant now) {
        return List.of(
                Column.of("ID", Agent::getId),
                Column.of("NAME", Agent::getName),
                Column.of("STATE", a -> Names.of(a.getState())),
                Column.of("FREE/SLOTS", a -> a.getFreeSlots() + "/" + a.getSlots()),
                Column.of("JOBS", a -> String.valueOf(a.getJobIdsCount())),
                Column.of("LAST SEEN", a -> Times.age(a.getLastSeenAt(), now)),
                Column.wide("DRAIN", a -> a.getDrain() ? "yes" : "no"),
                Column.wide("VERSION", Agent::getVersion),
                Column.wide("ENGINE", Agent::getEngineId),
                Column.wide("LABELS", a -> Names.labels(a.getLabelsMap())));
    }

    static void describe(Agent agent, Details details, Instant now) {
        details.add("ID", agent.getId())
               .add("Name", agent.getName())
               .always("State", Names.of(agent.getState()))
               .add("Version", agent.getVersion())
               .always("Slots", agent.getFreeSlots() + " free of " + agent.getSlots())
               .add("Labels", Names.labels(agent.getLabelsMap()))
               .add("Capabilities", agent.hasCapabilities() && agent.getCapabilities().getFieldsCount() > 0
                                    ? StructText.of(agent.getCapabilities()) : "")
               .always("Drain", agent.getDrain() ? "yes" : "no")
               .add("Drain deadline", Times.instantWithAge(agent.getDrainDeadline(), now))
               .add("Jobs", String.join(",", agent.getJobIdsList()))
               .add("Engine", agent.getEngineId())
               .add("Session", agent.getSessionId())
               .add("Connected", Times.instantWithAge(agent.getConnectedAt(), now))
               .add("Last seen", Times.instantWithAge(agent.getLastSeenAt(), now))
               .add("Disconnected", Times.instantWithAge(agent.getDisconnectedAt(), now));
        // Agents that send no metrics still get an empty message from the server; show only what was reported.
        AgentMetrics metrics = agent.getMetrics();
        details.add("CPU", metrics.getCpuPercent() > 0 ? String.format("%.1f%%", metrics.getCpuPercent()) : "")
               .add("Memory", metrics.getMemoryBytes() > 0 ? (metrics.getMemoryBytes() >> 20) + " MiB" : "")
               .add("Metrics", metrics.getCustomMap().isEmpty() ? "" : new TreeMap<>(metrics.getCustomMap()).toString());
    }

    private AgentViews() {}
}
