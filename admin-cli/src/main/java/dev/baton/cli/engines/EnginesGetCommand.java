package dev.baton.cli.engines;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.GetEngineRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code batonctl engines get ID}. */
@Command(name = "get",
        description = "Show one engine.",
        footerHeading = "%nExamples:%n",
        footer = "  batonctl engines get encoders-7f3a")
public final class EnginesGetCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The engine's id.")
    private String id;

    @Override
    protected int run(ServerConnection server, Output output) {
        Engine engine = server.engines().getEngine(GetEngineRequest.newBuilder().setId(id).build());
        output.item(engine, details -> EngineViews.describe(engine, details, output.now()));
        return ExitCodes.OK;
    }
}
