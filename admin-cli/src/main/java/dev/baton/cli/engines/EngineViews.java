package dev.baton.cli.engines;

import java.time.Instant;
import java.util.List;

import dev.baton.cli.output.Column;
import dev.baton.cli.output.Details;
import dev.baton.cli.output.Names;
import dev.baton.cli.output.Times;
import dev.baton.proto.v1.Engine;

/** How engines look in tables and in {@code engines get}. */
final class EngineViews {

    static List<Column<Engine>> columns(Instant now) {
        return List.of(
                Column.of("ID", Engine::getId),
                Column.of("POOL", Engine::getPool),
                Column.of("HOST", Engine::getHost),
                Column.of("STATE", e -> Names.of(e.getState())),
                Column.of("AGENT", Engine::getAgentId),
                Column.of("JOBS", e -> String.valueOf(e.getJobIdsCount())),
                Column.of("AGE", e -> Times.age(e.getCreatedAt(), now)),
                Column.wide("ENDPOINTS", e -> Names.endpoints(e.getEndpointsList())),
                Column.wide("CONTAINER", Engine::getContainerName),
                Column.wide("IMAGE", Engine::getImage),
                Column.wide("DOCKER", Engine::getDockerStatus),
                Column.wide("REASON", Engine::getReason));
    }

    static void describe(Engine engine, Details details, Instant now) {
        details.add("ID", engine.getId())
               .add("Pool", engine.getPool())
               .add("Host", engine.getHost())
               .always("State", Names.of(engine.getState()))
               .add("Reason", engine.getReason())
               .add("Agent", engine.getAgentId())
               .add("Jobs", String.join(",", engine.getJobIdsList()))
               .add("Endpoints", Names.endpoints(engine.getEndpointsList()))
               .add("Image", engine.getImage())
               .add("Container", engine.getContainerName().isEmpty() ? engine.getContainerId()
                                 : engine.getContainerName() + " (" + shortId(engine.getContainerId()) + ')')
               .add("Docker status", engine.getDockerStatus())
               .add("Config hash", engine.getConfigHash())
               .add("Created", Times.instantWithAge(engine.getCreatedAt(), now))
               .add("Last used", Times.instantWithAge(engine.getLastUsedAt(), now));
    }

    // Docker's own short form: the first 12 hex digits.
    private static String shortId(String containerId) {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }

    private EngineViews() {}
}
