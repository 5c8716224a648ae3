package dev.baton.cli.engines;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.ListEnginesRequest;
import dev.baton.proto.v1.ListEnginesResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code batonctl engines list}. */
@Command(name = "list", aliases = "ls",
        description = "List engines by pool, then id (checked against Docker by the server).",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl engines list",
                "  batonctl engines list --pool encoders -o wide"
        })
public final class EnginesListCommand extends BatonCommand {

    @Option(names = "--pool", paramLabel = "NAME", description = "Only engines of this pool.")
    private String pool;

    @Override
    protected int run(ServerConnection server, Output output) {
        ListEnginesRequest.Builder request = ListEnginesRequest.newBuilder();
        if (pool != null) {
            request.setPool(pool);
        }
        ListEnginesResponse response = server.engines().listEngines(request.build());
        output.list(response, response.getEnginesList(), EngineViews.columns(output.now()), "No engines found.");
        return ExitCodes.OK;
    }
}
