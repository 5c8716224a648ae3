package dev.baton.cli.pools;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.ListPoolsRequest;
import dev.baton.proto.v1.ListPoolsResponse;
import picocli.CommandLine.Command;

/** {@code batonctl pools list}. */
@Command(name = "list", aliases = "ls",
        description = "List pools with their live engine counts.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl pools list",
                "  batonctl pools list -o json | jq '.pools[] | {name, free: .status.free}'"
        })
public final class PoolsListCommand extends BatonCommand {

    @Override
    protected int run(ServerConnection server, Output output) {
        ListPoolsResponse response = server.engines().listPools(ListPoolsRequest.getDefaultInstance());
        output.list(response, response.getPoolsList(), PoolViews.columns(output.now()), "No pools found.");
        return ExitCodes.OK;
    }
}
