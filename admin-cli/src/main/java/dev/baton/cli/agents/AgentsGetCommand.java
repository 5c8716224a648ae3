package dev.baton.cli.agents;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.GetAgentRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code batonctl agents get ID}. */
@Command(name = "get",
        description = "Show one agent.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl agents get agent-1",
                "  batonctl agents get agent-1 -o json"
        })
public final class AgentsGetCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The agent's id.")
    private String id;

    @Override
    protected int run(ServerConnection server, Output output) {
        Agent agent = server.fleet().getAgent(GetAgentRequest.newBuilder().setId(id).build());
        output.item(agent, details -> AgentViews.describe(agent, details, output.now()));
        return ExitCodes.OK;
    }
}
