package dev.baton.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;

import dev.baton.proto.v1.GetJobRequest;
import dev.baton.proto.v1.GetStatusRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.ServerStatus;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.SubmitJobResponse;
import dev.baton.proto.v1.SystemServiceGrpc;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.TestBaton;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;

/** One real server on an ephemeral port: gRPC and REST answer the same API on the same port. */
class ServerFoundationTest {

    private static TestBaton baton;
    private static Rest rest;

    @BeforeAll
    static void start() {
        baton = TestBaton.start();
        rest = new Rest(baton.baseUrl());
    }

    @AfterAll
    static void stop() {
        baton.close();
    }

    @Test
    void unaryRpcAnswersOverGrpcAndTheSameJobOverTheSeedRestPath() {
        SubmitJobResponse submitted = baton.jobs().submitJob(SubmitJobRequest.newBuilder()
                .setInlineConfig(Struct.newBuilder().putFields("streamUrl", Value.newBuilder()
                        .setStringValue("rtmp://example.com/live").build())).build());
        Job job = submitted.getJob();
        assertThat(job.getStatus()).isEqualTo(Job.Status.PENDING);
        assertThat(submitted.getReplayed()).isFalse();

        Rest.Response response = rest.get("/v1/jobs/" + job.getId());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("id").asText()).isEqualTo(job.getId());
        assertThat(response.json().get("status").asText()).isEqualTo("PENDING");
        assertThat(response.json().at("/config/streamUrl").asText()).isEqualTo("rtmp://example.com/live");

        Rest.Response list = rest.get("/v1/jobs");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("jobs").findValuesAsText("id")).contains(job.getId());
    }

    @Test
    void seedRestSubmitReturnsTheJobAt201AndItsIdAtTopLevel() {
        Rest.Response created = rest.post("/v1/jobs", """
                {"inlineConfig": {"streamUrl": "rtmp://example.com/live", "outputPath": "/tmp/o.mp4"},
                 "idempotencyKey": "seed-key-1", "restartPolicy": "onFailure"}""");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.json().get("restartPolicy").asText()).isEqualTo("RESTART_POLICY_ON_FAILURE");

        Job viaGrpc = baton.jobs().getJob(GetJobRequest.newBuilder().setId(id).build());
        assertThat(viaGrpc.getIdempotencyKey()).isEqualTo("seed-key-1");
    }

    @Test
    void restBodiesAreJsonWhateverContentTypeTheClientSends() {
        Rest.Response curlStyle = rest.postAs("/v1/jobs", "{\"inlineConfig\": {}}", "application/x-www-form-urlencoded");
        assertThat(curlStyle.status()).isEqualTo(201);
        String id = curlStyle.json().get("id").asText();
        Rest.Response bareStop = rest.postAs("/v1/jobs/" + id + "/stop", "", null);
        assertThat(bareStop.status()).isEqualTo(200);
        assertThat(bareStop.json().get("status").asText()).isEqualTo("CANCELED");
    }

    @Test
    void healthzMetricsAndDocsAnswer() {
        Rest.Response health = rest.get("/healthz");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
        assertThat(health.json().get("components").findValuesAsText("name")).contains("store", "control-loop");

        Rest.Response metrics = rest.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("baton_agent_sessions_opened_total")
                                  .contains("baton_control_queue ")
                                  .contains("baton_store_queue ")
                                  .contains("jvm_memory_used_bytes{")
                                  .contains("jvm_threads_live_threads")
                                  .contains("jvm_gc_max_data_size_bytes");

        Rest.Response docs = rest.get("/docs/");
        assertThat(docs.status()).isEqualTo(200);
        Rest.Response spec = rest.get("/docs/specification.json");
        assertThat(spec.body()).contains("baton.v1.JobService").contains("SubmitJob");
    }

    @Test
    void standardGrpcHealthAndSystemStatusAnswer() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(baton.channel())
                                               .check(HealthCheckRequest.getDefaultInstance());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        ServerStatus status = SystemServiceGrpc.newBlockingStub(baton.channel())
                                               .getStatus(GetStatusRequest.getDefaultInstance());
        assertThat(status.getComponentsList()).extracting(c -> c.getName()).contains("store");
        assertThat(rest.get("/v1/status").json().get("version").asText()).isNotEmpty();
    }

    @Test
    void malformedJsonGets400NamingTheProblem() {
        Rest.Response malformed = rest.post("/v1/jobs", "{\"inlineConfig\": {bad");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("message").asText()).contains("malformed JSON").contains("column");

        Rest.Response wrongType = rest.post("/v1/jobs", "{\"inlineConfig\": {}, \"priority\": \"high\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("message").asText()).startsWith("priority:").contains("integer");

        Rest.Response unknownField = rest.post("/v1/jobs", "{\"inlineConfig\": {}, \"colour\": \"red\"}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("message").asText()).contains("colour").contains("unknown field");

        Rest.Response nestedType = rest.post("/v1/jobs", "{\"inlineConfig\": {}, \"requirements\": {\"slots\": [1]}}");
        assertThat(nestedType.json().get("message").asText()).startsWith("requirements.slots:");
    }

    @Test
    void unknownRouteIs404AndUnknownIdIs404WithTheIdNamed() {
        assertThat(rest.get("/no/such/route").status()).isEqualTo(404);
        Rest.Response missing = rest.get("/v1/jobs/does-not-exist");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("message").asText()).contains("does-not-exist");
        assertThatThrownBy(() -> baton.jobs().getJob(GetJobRequest.newBuilder().setId("does-not-exist").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }
}
