package dev.baton.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;

import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.StreamMetadata;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.proto.v1.WatchServiceGrpc;
import dev.baton.server.watch.WatchFrame;
import io.grpc.MethodDescriptor;

/** A pre-encoded watch event writes exactly the bytes and JSON of the WatchEvent it stands for. */
class EncodedWatchEventTest {

    private static final WatchEvent EVENT = WatchEvent.newBuilder()
            .setType(WatchEvent.Type.UPDATED).setKind(EntityKind.ENTITY_KIND_JOB).setRevision(1_700_000_000_000_042L)
            .setTime(Timestamps.fromMillis(1_700_000_000_000L))
            .setJob(Job.newBuilder().setId("job-1").setStatus(Job.Status.RUNNING)
                       .setMetadata(StreamMetadata.newBuilder().setTitle("héllo"))
                       .putLabels("team", "watch")
                       .setConfig(Struct.newBuilder().putFields("command", Value.newBuilder().setStringValue("run")
                                                                                     .build())))
            .build();

    @Test
    void writesTheEventsOwnProtobufBytes() throws Exception {
        EncodedWatchEvent encoded = new EncodedWatchEvent(WatchFrame.of(EVENT));
        assertThat(encoded.toByteArray()).isEqualTo(EVENT.toByteArray());
        assertThat(encoded.getSerializedSize()).isEqualTo(EVENT.getSerializedSize());
        assertThat(WatchFrameMarshaller.WATCH_METHOD.parseResponse(WatchFrameMarshaller.WATCH_METHOD
                .streamResponse(encoded))).isEqualTo(EVENT);
        assertThat(encoded.getDescriptorForType()).isEqualTo(WatchEvent.getDescriptor());
        assertThat(encoded.toString()).as("printed through the event's fields").isEqualTo(EVENT.toString());
    }

    @Test
    void grpcJsonFormatsWriteTheFramesSharedJson() throws Exception {
        WatchFrame frame = WatchFrame.of(EVENT);
        PreEncodedJsonMarshaller json = new PreEncodedJsonMarshaller(
                GrpcJsonMarshaller.of(WatchServiceGrpc.getServiceDescriptor()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.serializeMessage(WatchFrameMarshaller.WATCH_METHOD.getResponseMarshaller(), new EncodedWatchEvent(frame),
                              out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(frame.json());

        WatchEvent.Builder parsed = WatchEvent.newBuilder();
        JsonFormat.parser().merge(frame.json(), parsed);
        assertThat(parsed.build()).isEqualTo(EVENT);
    }

    @Test
    void methodKeepsTheGeneratedNameAndSchema() {
        assertThat(WatchFrameMarshaller.WATCH_METHOD.getFullMethodName())
                .isEqualTo(WatchServiceGrpc.getWatchMethod().getFullMethodName());
        assertThat(WatchFrameMarshaller.WATCH_METHOD.getSchemaDescriptor())
                .isSameAs(WatchServiceGrpc.getWatchMethod().getSchemaDescriptor());
        assertThat(WatchFrameMarshaller.WATCH_METHOD.getType()).isEqualTo(MethodDescriptor.MethodType.SERVER_STREAMING);
    }
}
