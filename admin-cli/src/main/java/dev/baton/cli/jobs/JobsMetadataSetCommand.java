package dev.baton.cli.jobs;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.input.InvalidInputException;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.StreamMetadata;
import dev.baton.proto.v1.UpdateJobMetadataRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code batonctl jobs metadata set ID --title ...}. */
@Command(name = "set",
        description = {
                "Merge fields into a job's stream metadata; fields not given keep their values.",
                "Muting is not set here: use 'batonctl jobs mute' (it waits for the agent)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl jobs metadata set 01JD3ZQ6 --title 'Evening news' --viewers 1200",
                "  batonctl jobs metadata set 01JD3ZQ6 --platform youtube --public-url https://youtu.be/x"
        })
public final class JobsMetadataSetCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The job's id.")
    private String id;

    @Option(names = "--title", paramLabel = "TEXT", description = "Title of the stream.")
    private String title;

    @Option(names = "--description", paramLabel = "TEXT", description = "Description of the stream.")
    private String description;

    @Option(names = "--viewers", paramLabel = "N", description = "Current viewer count (>= 0).")
    private Long viewers;

    @Option(names = "--public-url", paramLabel = "URL", description = "Public URL of the stream.")
    private String publicUrl;

    @Option(names = "--admin-url", paramLabel = "URL", description = "Admin URL of the stream.")
    private String adminUrl;

    @Option(names = "--stream-id", paramLabel = "ID", description = "The platform's id of the stream.")
    private String streamId;

    @Option(names = "--platform", paramLabel = "NAME", description = "The platform, e.g. youtube, twitch.")
    private String platform;

    @Override
    protected void validate() {
        if (metadata().getAllFields().isEmpty()) {
            throw new InvalidInputException("nothing to set: give at least one of --title, --description, "
                                            + "--viewers, --public-url, --admin-url, --stream-id, --platform");
        }
    }

    @Override
    protected int run(ServerConnection server, Output output) {
        StreamMetadata merged = server.jobs().updateJobMetadata(
                UpdateJobMetadataRequest.newBuilder().setId(id).setMetadata(metadata()).build());
        output.item(merged, details -> MetadataView.describe(merged, details));
        return ExitCodes.OK;
    }

    private StreamMetadata metadata() {
        StreamMetadata.Builder metadata = StreamMetadata.newBuilder();
        if (title != null) {
            metadata.setTitle(title);
        }
        if (description != null) {
            metadata.setDescription(description);
        }
        if (viewers != null) {
            metadata.setViewers(viewers);
        }
        if (publicUrl != null) {
            metadata.setPublicUrl(publicUrl);
        }
        if (adminUrl != null) {
            metadata.setAdminUrl(adminUrl);
        }
        if (streamId != null) {
            metadata.setStreamId(streamId);
        }
        if (platform != null) {
            metadata.setPlatform(platform);
        }
        return metadata.build();
    }
}
