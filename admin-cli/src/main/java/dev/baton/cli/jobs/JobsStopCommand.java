package dev.baton.cli.jobs;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Names;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.StopJobRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code batonctl jobs stop ID}. */
@Command(name = "stop",
        description = "Stop a job: a waiting job is canceled, a running one is stopped (killed after the grace).",
        footerHeading = "%nExamples:%n",
        footer = "  batonctl jobs stop 01JD3ZQ6")
public final class JobsStopCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The job's id.")
    private String id;

    @Override
    protected int run(ServerConnection server, Output output) {
        Job job = server.jobs().stopJob(StopJobRequest.newBuilder().setId(id).build());
        output.done(job, "stop requested for job " + job.getId() + " (now " + Names.of(job.getStatus()) + ')');
        return ExitCodes.OK;
    }
}
