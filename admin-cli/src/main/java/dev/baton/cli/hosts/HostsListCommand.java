package dev.baton.cli.hosts;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.ListHostsRequest;
import dev.baton.proto.v1.ListHostsResponse;
import picocli.CommandLine.Command;

/** {@code batonctl hosts list}. */
@Command(name = "list", aliases = "ls",
        description = "List Docker hosts with their state, health and engines.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl hosts list",
                "  batonctl hosts list -o wide"
        })
public final class HostsListCommand extends BatonCommand {

    @Override
    protected int run(ServerConnection server, Output output) {
        ListHostsResponse response = server.engines().listHosts(ListHostsRequest.getDefaultInstance());
        output.list(response, response.getHostsList(), HostViews.columns(output.now()), "No hosts found.");
        return ExitCodes.OK;
    }
}
