package dev.baton.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Duration;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;

import dev.baton.proto.v1.FleetServiceGrpc;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobAttempt;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.proto.v1.JobServiceGrpc;
import dev.baton.proto.v1.ListJobsResponse;
import dev.baton.proto.v1.SubmitJobRequest;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

/**
 * JSON calls that arrive before the generated marshaller is built go through protobuf's JSON format:
 * a client must not be able to tell which of the two answered.
 */
class JsonMarshallerTest {

    private static final Timestamp AT = Timestamp.newBuilder().setSeconds(1_764_000_000L).setNanos(123_000_000).build();

    private static Job richJob() {
        Struct config = Struct.newBuilder()
                .putFields("command", Value.newBuilder().setListValue(ListValue.newBuilder()
                        .addValues(Value.newBuilder().setStringValue("sleep"))
                        .addValues(Value.newBuilder().setNumberValue(30))).build())
                .putFields("nested", Value.newBuilder().setStructValue(Struct.newBuilder()
                        .putFields("on", Value.newBuilder().setBoolValue(true).build())
                        .putFields("none", Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build())).build())
                .build();
        return Job.newBuilder().setId("job-1").setTemplateVersion(9_007_199_254_740_993L).setConfig(config)
                  .setStatus(Job.Status.FAILED).setStatusReason("exit 3 \"quoted\" ünïcode").setAttempt(2)
                  .setMaxAttempts(3).setRequirements(JobRequirements.newBuilder().putLabels("zone", "a").setSlots(2))
                  .putLabels("team", "media").setCreatedAt(AT).setEndedAt(AT).setExitCode(0)
                  .addAttempts(JobAttempt.newBuilder().setAttempt(1).setAgentId("agent-7")
                                         .setStatus(Job.Status.FAILED).setAssignedAt(AT).setExitCode(3))
                  .setWaitTimeout(Duration.newBuilder().setSeconds(90))
                  .putProgress("frames", 12.5).setStopRequested(true).build();
    }

    private static JsonMarshaller registered(java.util.concurrent.Executor builder) {
        JsonMarshaller json = new JsonMarshaller(builder);
        json.of(JobServiceGrpc.getServiceDescriptor());
        json.of(FleetServiceGrpc.getServiceDescriptor());
        return json;
    }

    private static String write(JsonMarshaller json, Message message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.serializeMessage(ProtoUtils.marshaller(message), message, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static <T extends Message> T read(JsonMarshaller json, T prototype, String text) throws IOException {
        MethodDescriptor.Marshaller<T> marshaller = ProtoUtils.marshaller(prototype);
        return json.deserializeMessage(marshaller, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void beforeItIsBuiltTheSameJsonComesOutAndGoesIn() throws IOException {
        List<Message> messages = List.of(richJob(), Job.getDefaultInstance(), ListJobsResponse.newBuilder()
                .addJobs(richJob()).addJobs(Job.getDefaultInstance()).setNextPageToken("42").build());
        String submit = "{\"inlineConfig\":{\"command\":[\"sleep\",1]},\"idempotencyKey\":\"k\","
                        + "\"requirements\":{\"labels\":{\"zone\":\"a\"}},\"notAField\":7}";

        List<Runnable> heldBack = new java.util.ArrayList<>();
        JsonMarshaller json = registered(heldBack::add);
        List<String> early = messages.stream().map(m -> unchecked(() -> write(json, m))).toList();
        SubmitJobRequest earlyRequest = read(json, SubmitJobRequest.getDefaultInstance(), submit);
        assertThat(heldBack).as("a few JSON calls (a readiness probe) build nothing").isEmpty();
        for (int i = 0; i < JsonMarshaller.BUILD_AFTER; i++) {
            write(json, Job.getDefaultInstance());
        }
        assertThat(json.ready()).isFalse();
        assertThat(heldBack).as("JSON in real use starts building, once").hasSize(1);

        heldBack.get(0).run();
        assertThat(json.ready()).isTrue();
        List<String> built = messages.stream().map(m -> unchecked(() -> write(json, m))).toList();
        SubmitJobRequest builtRequest = read(json, SubmitJobRequest.getDefaultInstance(), submit);

        assertThat(early).isEqualTo(built);
        assertThat(early.get(0)).contains("\"status\":\"FAILED\"", "\"templateVersion\":\"9007199254740993\"",
                                          "\"waitTimeout\":\"90s\"");
        assertThat(early.get(1)).contains("\"attempt\":0", "\"labels\":{}");
        assertThat(earlyRequest).isEqualTo(builtRequest);
        assertThat(earlyRequest.getIdempotencyKey()).isEqualTo("k");
        assertThat(earlyRequest.getRequirements().getLabelsMap()).containsEntry("zone", "a");
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private static <T> T unchecked(IoCall<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
