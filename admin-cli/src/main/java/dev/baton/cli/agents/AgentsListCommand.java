package dev.baton.cli.agents;

import java.util.List;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.PageOptions;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.ListAgentsRequest;
import dev.baton.proto.v1.ListAgentsResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code batonctl agents list}. */
@Command(name = "list", aliases = "ls",
        description = "List agents, sorted by id.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl agents list",
                "  batonctl agents list --state idle --state running -l gpu=true",
                "  batonctl agents list -o json | jq -r '.agents[].id'"
        })
public final class AgentsListCommand extends BatonCommand {

    @Option(names = "--state", paramLabel = "STATE",
            description = "Only agents in this state (repeatable): OFFLINE, IDLE, RESERVED, STARTING, RUNNING, "
                          + "STOPPING, ERROR, DRAINING.")
    private List<Agent.State> states;

    @Option(names = {"-l", "--selector"}, paramLabel = "LABELS",
            description = "Only agents whose labels match, e.g. gpu=true,zone=a.")
    private String selector;

    @Mixin
    private PageOptions page;

    @Override
    protected int run(ServerConnection server, Output output) {
        ListAgentsRequest.Builder request = ListAgentsRequest.newBuilder()
                                                             .setPageSize(page.limit())
                                                             .setPageToken(page.pageToken());
        if (states != null) {
            request.addAllState(states);
        }
        if (selector != null) {
            request.setLabelSelector(selector);
        }
        ListAgentsResponse response = server.fleet().listAgents(request.build());
        output.list(response, response.getAgentsList(), AgentViews.columns(output.now()), "No agents found.");
        if (!output.json() && !response.getNextPageToken().isEmpty()) {
            output.note("More agents: --page-token " + response.getNextPageToken());
        }
        return ExitCodes.OK;
    }
}
