package dev.baton.cli.pools;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.DeletePoolRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code batonctl pools delete NAME}. */
@Command(name = "delete", aliases = "rm",
        description = "Drain and remove a pool's engines, then the pool.",
        footerHeading = "%nExamples:%n",
        footer = "  batonctl pools delete encoders")
public final class PoolsDeleteCommand extends BatonCommand {

    @Parameters(paramLabel = "NAME", description = "The pool's name.")
    private String name;

    @Override
    protected int run(ServerConnection server, Output output) {
        output.done(server.engines().deletePool(DeletePoolRequest.newBuilder().setName(name).build()),
                    "pool " + name + " deleted");
        return ExitCodes.OK;
    }
}
