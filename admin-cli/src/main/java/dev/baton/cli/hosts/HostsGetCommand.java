package dev.baton.cli.hosts;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.GetHostRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code batonctl hosts get NAME}. */
@Command(name = "get",
        description = "Show one Docker host: its endpoint, labels, limit, state and health.",
        footerHeading = "%nExamples:%n",
        footer = "  batonctl hosts get local")
public final class HostsGetCommand extends BatonCommand {

    @Parameters(paramLabel = "NAME", description = "The host's name.")
    private String name;

    @Override
    protected int run(ServerConnection server, Output output) {
        DockerHost host = server.engines().getHost(GetHostRequest.newBuilder().setName(name).build());
        output.item(host, details -> HostViews.describe(host, details, output.now()));
        return ExitCodes.OK;
    }
}
