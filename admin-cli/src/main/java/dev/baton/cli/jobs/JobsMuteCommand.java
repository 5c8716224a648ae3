package dev.baton.cli.jobs;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.MuteJobRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code batonctl jobs mute ID}. */
@Command(name = "mute",
        description = "Mute a running job's audio; returns once its agent acknowledged.",
        footerHeading = "%nExamples:%n",
        footer = "  batonctl jobs mute 01JD3ZQ6")
public final class JobsMuteCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The job's id.")
    private String id;

    @Override
    protected int run(ServerConnection server, Output output) {
        Job job = server.jobs().muteJob(MuteJobRequest.newBuilder().setId(id).build());
        output.done(job, "job " + job.getId() + " muted");
        return ExitCodes.OK;
    }
}
