package dev.baton.cli.jobs;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.GetJobRequest;
import dev.baton.proto.v1.Job;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code batonctl jobs get ID}. */
@Command(name = "get",
        description = "Show one job, with its attempts.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl jobs get 01JD3ZQ6",
                "  batonctl jobs get 01JD3ZQ6 -o json | jq -r .status"
        })
public final class JobsGetCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The job's id.")
    private String id;

    @Override
    protected int run(ServerConnection server, Output output) {
        Job job = server.jobs().getJob(GetJobRequest.newBuilder().setId(id).build());
        output.item(job, details -> JobViews.describe(job, details, output.now()));
        return ExitCodes.OK;
    }
}
