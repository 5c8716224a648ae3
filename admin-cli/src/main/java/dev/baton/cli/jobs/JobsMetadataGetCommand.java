package dev.baton.cli.jobs;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.GetJobMetadataRequest;
import dev.baton.proto.v1.StreamMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code batonctl jobs metadata get ID}. */
@Command(name = "get",
        description = "Show a job's stream metadata.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl jobs metadata get 01JD3ZQ6",
                "  batonctl jobs metadata get 01JD3ZQ6 -o json | jq .viewers"
        })
public final class JobsMetadataGetCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The job's id.")
    private String id;

    @Override
    protected int run(ServerConnection server, Output output) {
        StreamMetadata metadata = server.jobs().getJobMetadata(GetJobMetadataRequest.newBuilder().setId(id).build());
        if (!output.json() && metadata.getAllFields().isEmpty()) {
            output.note("Job " + id + " has no metadata.");
            return ExitCodes.OK;
        }
        output.item(metadata, details -> MetadataView.describe(metadata, details));
        return ExitCodes.OK;
    }
}
