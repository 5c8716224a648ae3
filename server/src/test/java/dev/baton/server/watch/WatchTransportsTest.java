package dev.baton.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.SerializationFormat;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;

import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.proto.v1.StopJobRequest;
import dev.baton.proto.v1.StreamMetadata;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.proto.v1.WatchRequest;
import dev.baton.proto.v1.WatchServiceGrpc;
import dev.baton.server.testing.TestBaton;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

/**
 * Every transport carries the same event: an event is encoded once and its bytes are shared by all
 * streams, so a gRPC stream's raw message bytes, gRPC-Web (protobuf and JSON) and SSE must all
 * describe the same WatchEvent, with the full job in it.
 */
class WatchTransportsTest {

    private static TestBaton baton;

    @BeforeAll
    static void start() {
        baton = TestBaton.start();
    }

    @AfterAll
    static void stop() {
        baton.close();
    }

    @Test
    void everyTransportReceivesTheSameEncodedEvent() {
        Job job = submit("one event, four transports");
        WatchRequest request = WatchRequest.newBuilder().addIds(job.getId()).build();
        RawGrpcWatch first = new RawGrpcWatch(request);
        RawGrpcWatch second = new RawGrpcWatch(request);
        try (WatchClient web = WatchClient.open(stub(GrpcSerializationFormats.PROTO_WEB), request);
             WatchClient webJson = WatchClient.open(stub(GrpcSerializationFormats.JSON_WEB), request);
             SseClient sse = SseClient.get(baton.baseUrl() + "/v1/watch?ids=" + job.getId(), null)) {
            first.untilSnapshotEnd();
            second.untilSnapshotEnd();
            web.untilSnapshotEnd();
            webJson.untilSnapshotEnd();
            while (sse.nextChange().watchEvent().getType() != WatchEvent.Type.SNAPSHOT_END) {
                // the snapshot; the live event is what all four must agree on
            }

            baton.jobs().stopJob(StopJobRequest.newBuilder().setId(job.getId()).build());

            byte[] wire = first.nextChange();
            assertThat(second.nextChange()).as("two gRPC streams get the same bytes").isEqualTo(wire);
            WatchEvent event = parse(wire);
            assertThat(event.getType()).isEqualTo(WatchEvent.Type.UPDATED);
            assertThat(event.getJob().getId()).isEqualTo(job.getId());
            assertThat(event.getJob().getMetadata().getTitle()).isEqualTo("one event, four transports");
            assertThat(event.toByteArray()).as("the shared bytes are the event's protobuf encoding").isEqualTo(wire);

            assertThat(web.nextChange()).as("gRPC-Web").isEqualTo(event);
            assertThat(webJson.nextChange()).as("gRPC-Web JSON").isEqualTo(event);
            SseClient.Event sent = sse.nextChange();
            assertThat(sent.watchEvent()).as("SSE").isEqualTo(event);
            assertThat(sent.id()).isEqualTo(Long.toString(event.getRevision()));
        } finally {
            first.cancel();
            second.cancel();
        }
    }

    @Test
    void frameEncodesEachFormOnceAsProtobufAndProtobufJson() throws Exception {
        Job job = submit("json both ways");
        WatchFrame frame = WatchFrame.of(WatchEvent.newBuilder().setType(WatchEvent.Type.UPDATED).setJob(job)
                                                   .setRevision(7).build());
        String expected = JsonFormat.printer().omittingInsignificantWhitespace()
                                    .alwaysPrintFieldsWithNoPresence().print(frame.event());
        assertThat(frame.json()).isEqualTo(expected);
        assertThat(frame.jsonUtf8()).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
        assertThat(frame.protobuf()).isEqualTo(frame.event().toByteArray());
        assertThat(frame.protobuf()).as("encoded once, then shared").isSameAs(frame.protobuf());
        assertThat(frame.json()).isSameAs(frame.json());
    }

    private static WatchServiceGrpc.WatchServiceStub stub(SerializationFormat format) {
        return GrpcClients.builder(baton.baseUrl()).serializationFormat(format)
                          .build(WatchServiceGrpc.WatchServiceStub.class);
    }

    private static Job submit(String title) {
        return baton.jobs().submitJob(SubmitJobRequest.newBuilder()
                .setInlineConfig(Struct.newBuilder().putFields("command", Value.newBuilder().setStringValue("run").build()))
                .setRequirements(JobRequirements.newBuilder().putLabels("suite", "transports"))
                .setMetadata(StreamMetadata.newBuilder().setTitle(title))
                .build()).getJob();
    }

    private static WatchEvent parse(byte[] bytes) {
        try {
            return WatchEvent.parseFrom(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A gRPC watch that keeps each message's raw bytes, as they came off the wire. */
    private static final class RawGrpcWatch {

        private static final MethodDescriptor<WatchRequest, byte[]> RAW = WatchServiceGrpc.getWatchMethod().toBuilder(
                WatchServiceGrpc.getWatchMethod().getRequestMarshaller(), new MethodDescriptor.Marshaller<byte[]>() {
                    @Override
                    public InputStream stream(byte[] value) {
                        return new ByteArrayInputStream(value);
                    }

                    @Override
                    public byte[] parse(InputStream stream) {
                        try {
                            return stream.readAllBytes();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }).build();

        private final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
        private final ClientCall<WatchRequest, byte[]> call;

        RawGrpcWatch(WatchRequest request) {
            call = baton.channel().newCall(RAW, CallOptions.DEFAULT);
            ClientCalls.asyncServerStreamingCall(call, request, new StreamObserver<>() {
                @Override
                public void onNext(byte[] message) {
                    messages.add(message);
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {}
            });
        }

        void untilSnapshotEnd() {
            while (parse(nextChange()).getType() != WatchEvent.Type.SNAPSHOT_END) {
                // snapshot events
            }
        }

        /** The next message that is not a BOOKMARK; fails after 20 s. */
        byte[] nextChange() {
            while (true) {
                byte[] message;
                try {
                    message = messages.poll(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
                if (message == null) {
                    throw new AssertionError("no watch message within 20 s");
                }
                if (parse(message).getType() != WatchEvent.Type.BOOKMARK) {
                    return message;
                }
            }
        }

        void cancel() {
            call.cancel("test done", null);
        }
    }
}
