package dev.baton.cli.jobs;

import dev.baton.cli.output.Details;
import dev.baton.proto.v1.StreamMetadata;

/** How stream metadata looks for people; only the fields that are set are shown. */
final class MetadataView {

    static void describe(StreamMetadata metadata, Details details) {
        details.add("Title", metadata.hasTitle() ? metadata.getTitle() : "")
               .add("Description", metadata.hasDescription() ? metadata.getDescription() : "")
               .add("Viewers", metadata.hasViewers() ? String.valueOf(metadata.getViewers()) : "")
               .add("Public URL", metadata.hasPublicUrl() ? metadata.getPublicUrl() : "")
               .add("Admin URL", metadata.hasAdminUrl() ? metadata.getAdminUrl() : "")
               .add("Muted", metadata.hasIsMuted() ? (metadata.getIsMuted() ? "yes" : "no") : "")
               .add("Stream id", metadata.hasStreamId() ? metadata.getStreamId() : "")
               .add("Platform", metadata.hasPlatform() ? metadata.getPlatform() : "");
    }

    private MetadataView() {}
}
