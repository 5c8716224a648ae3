package dev.baton.cli.status;

import java.util.List;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Column;
import dev.baton.cli.output.Names;
import dev.baton.cli.output.Output;
import dev.baton.cli.output.Times;
import dev.baton.proto.v1.ComponentStatus;
import dev.baton.proto.v1.GetStatusRequest;
import dev.baton.proto.v1.ServerStatus;
import picocli.CommandLine.Command;

/** {@code batonctl status}: the server's version, health and counts. */
@Command(name = "status",
        description = "Show the server's version, the health of its components and counts by state.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl status",
                "  batonctl status -o json | jq .jobsByStatus",
                "  batonctl status --server baton.internal:8080 --timeout 2s && echo reachable"
        })
public final class StatusCommand extends BatonCommand {

    private static final List<Column<ComponentStatus>> COMPONENTS = List.of(
            Column.of("NAME", ComponentStatus::getName),
            Column.of("STATUS", ComponentStatus::getStatus),
            Column.of("MESSAGE", ComponentStatus::getMessage));

    @Override
    protected int run(ServerConnection server, Output output) {
        ServerStatus status = server.system().getStatus(GetStatusRequest.getDefaultInstance());
        output.item(status, details -> details
                .always("Server", server.address().toString())
                .always("Version", status.getVersion())
                .add("Started", Times.instantWithAge(status.getStartedAt(), output.now()))
                .always("Revision", String.valueOf(status.getRevision()))
                .always("Agents", orNone(Names.counts(status.getAgentsByStateMap())))
                .always("Jobs", orNone(Names.counts(status.getJobsByStatusMap())))
                .always("Engines", orNone(Names.counts(status.getEnginesByStateMap())))
                .section("Components", COMPONENTS, status.getComponentsList()));
        return ExitCodes.OK;
    }

    private static String orNone(String counts) {
        return counts.isEmpty() ? "none" : counts;
    }
}
