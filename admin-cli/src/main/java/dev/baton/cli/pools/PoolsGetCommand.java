package dev.baton.cli.pools;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.GetPoolRequest;
import dev.baton.proto.v1.Pool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code batonctl pools get NAME}. */
@Command(name = "get",
        description = "Show one pool: its spec and live counts.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl pools get encoders",
                "  batonctl pools get encoders -o json > pool.json"
        })
public final class PoolsGetCommand extends BatonCommand {

    @Parameters(paramLabel = "NAME", description = "The pool's name.")
    private String name;

    @Override
    protected int run(ServerConnection server, Output output) {
        Pool pool = server.engines().getPool(GetPoolRequest.newBuilder().setName(name).build());
        output.item(pool, details -> PoolViews.describe(pool, details, output.now()));
        return ExitCodes.OK;
    }
}
