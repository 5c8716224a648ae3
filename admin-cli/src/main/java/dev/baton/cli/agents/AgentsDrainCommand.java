package dev.baton.cli.agents;

import java.time.Duration;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.input.DurationConverter;
import dev.baton.cli.output.Names;
import dev.baton.cli.output.Output;
import dev.baton.cli.output.Times;
import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.DrainAgentRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code batonctl agents drain ID}. */
@Command(name = "drain",
        description = "Stop giving an agent new jobs; its running jobs continue (until --deadline, if given).",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl agents drain agent-1",
                "  batonctl agents drain agent-1 --deadline 10m"
        })
public final class AgentsDrainCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The agent's id.")
    private String id;

    @Option(names = "--deadline", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop the jobs still running this long after the drain (default: never).")
    private Duration deadline;

    @Override
    protected int run(ServerConnection server, Output output) {
        DrainAgentRequest.Builder request = DrainAgentRequest.newBuilder().setId(id).setDrain(true);
        if (deadline != null) {
            request.setDeadline(Times.toProto(deadline));
        }
        Agent agent = server.fleet().drainAgent(request.build());
        int jobs = agent.getJobIdsCount();
        output.done(agent, "agent " + agent.getId() + " drained (state " + Names.of(agent.getState())
                           + ", " + jobs + (jobs == 1 ? " job)" : " jobs)"));
        return ExitCodes.OK;
    }
}
