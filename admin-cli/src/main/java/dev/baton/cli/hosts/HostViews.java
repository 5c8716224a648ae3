package dev.baton.cli.hosts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.baton.cli.output.Column;
import dev.baton.cli.output.Details;
import dev.baton.cli.output.Names;
import dev.baton.cli.output.Times;
import dev.baton.proto.v1.DockerHost;

/** How Docker hosts look in tables and in {@code hosts get}. */
final class HostViews {

    static List<Column<DockerHost>> columns(Instant now) {
        return List.of(
                Column.of("NAME", DockerHost::getName),
                Column.of("STATE", h -> Names.of(h.getState())),
                Column.of("REACHABLE", h -> reachable(h)),
                Column.of("ENGINES", h -> h.getStatus().getEngines() + (h.getMaxEngines() > 0
                                                                         ? "/" + h.getMaxEngines() : "")),
                Column.of("VERSION", h -> h.getStatus().getEngineVersion()),
                Column.of("LABELS", h -> labels(h.getLabelsMap())),
                Column.wide("ENDPOINT", DockerHost::getEndpoint),
                Column.wide("SINCE", h -> Times.age(h.getStatus().getSince(), now)),
                Column.wide("ERROR", h -> h.getStatus().getLastError()));
    }

    static void describe(DockerHost host, Details details, Instant now) {
        details.add("Name", host.getName())
               .add("Endpoint", host.getEndpoint())
               .add("TLS certificates", host.getTlsCertDir())
               .always("State", Names.of(host.getState()))
               .always("Reachable", reachable(host))
               .add("Since", Times.instantWithAge(host.getStatus().getSince(), now))
               .add("Docker version", host.getStatus().getEngineVersion())
               .add("Last error", host.getStatus().getLastError())
               .always("Engines", host.getStatus().getEngines() + (host.getMaxEngines() > 0
                                                                   ? " (limit " + host.getMaxEngines() + ")" : ""))
               .add("Labels", labels(host.getLabelsMap()))
               .add("Created", Times.instantWithAge(host.getCreatedAt(), now));
    }

    private static String reachable(DockerHost h) {
        if (h.getStatus().getReachable()) {
            return "yes";
        }
        return h.getStatus().getLost() ? "no (engines lost)" : "no";
    }

    private static String labels(Map<String, String> labels) {
        return new TreeMap<>(labels).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                                    .collect(Collectors.joining(","));
    }

    private HostViews() {}
}
