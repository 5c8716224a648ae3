package dev.baton.cli.agents;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Names;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.DrainAgentRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code batonctl agents undrain ID}. */
@Command(name = "undrain",
        description = "Put a drained agent back in service.",
        footerHeading = "%nExamples:%n",
        footer = "  batonctl agents undrain agent-1")
public final class AgentsUndrainCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The agent's id.")
    private String id;

    @Override
    protected int run(ServerConnection server, Output output) {
        Agent agent = server.fleet().drainAgent(DrainAgentRequest.newBuilder().setId(id).setDrain(false).build());
        output.done(agent, "agent " + agent.getId() + " back in service (state " + Names.of(agent.getState()) + ')');
        return ExitCodes.OK;
    }
}
