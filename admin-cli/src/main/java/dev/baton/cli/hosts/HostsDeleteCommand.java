package dev.baton.cli.hosts;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.DeleteHostRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code batonctl hosts delete NAME}. */
@Command(name = "delete", aliases = "rm",
        description = "Remove a Docker host that has no engines left (drain it first).",
        footerHeading = "%nExamples:%n",
        footer = "  batonctl hosts drain gpu-1 && batonctl hosts delete gpu-1")
public final class HostsDeleteCommand extends BatonCommand {

    @Parameters(paramLabel = "NAME", description = "The host's name.")
    private String name;

    @Override
    protected int run(ServerConnection server, Output output) {
        output.done(server.engines().deleteHost(DeleteHostRequest.newBuilder().setName(name).build()),
                    "host " + name + " deleted");
        return ExitCodes.OK;
    }
}
