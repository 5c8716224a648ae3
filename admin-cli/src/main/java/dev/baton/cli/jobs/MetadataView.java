package dev.baton.cli.jobs;

import java.util.StringJoiner;

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

    /** One line for {@code jobs get}: {@code title="Evening news" viewers=1200 muted=yes}; "" when empty. */
    static String summary(StreamMetadata metadata) {
        StringJoiner text = new StringJoiner(" ");
        if (metadata.hasTitle()) {
            text.add("title=\"" + metadata.getTitle() + '"');
        }
        if (metadata.hasViewers()) {
            text.add("viewers=" + metadata.getViewers());
        }
        if (metadata.hasIsMuted()) {
            text.add("muted=" + (metadata.getIsMuted() ? "yes" : "no"));
        }
        if (metadata.hasPlatform()) {
            text.add("platform=" + metadata.getPlatform());
        }
        if (metadata.hasStreamId()) {
            text.add("streamId=" + metadata.getStreamId());
        }
        if (metadata.hasPublicUrl()) {
            text.add("publicUrl=" + metadata.getPublicUrl());
        }
        if (metadata.hasAdminUrl()) {
            text.add("adminUrl=" + metadata.getAdminUrl());
        }
        if (metadata.hasDescription()) {
            text.add("description=\"" + metadata.getDescription() + '"');
        }
        return text.toString();
    }

    private MetadataView() {}
}
