package dev.baton.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.protobuf.Struct;

import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.AssignAck;
import dev.baton.proto.v1.CommandAck;
import dev.baton.proto.v1.GetJobRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobUpdate;
import dev.baton.proto.v1.ListJobsRequest;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A corpus of bad requests over REST, gRPC and the agent stream: every one gets a 4xx (or a
 * non-INTERNAL status) whose message names the problem, the server stays up, and nothing changes.
 */
class BadInputTest {

    private static TestBaton baton;
    private static Rest rest;
    private static String jobId;

    @BeforeAll
    static void start() {
        baton = TestBaton.start();
        rest = new Rest(baton.baseUrl());
        // The job waits for a label no agent has, so the chaos agent below never holds it.
        jobId = rest.post("/v1/jobs", "{\"inlineConfig\": {\"a\": 1}, \"idempotencyKey\": \"corpus\", "
                                      + "\"requirements\": {\"labels\": {\"never\": \"matches\"}}}")
                    .json().get("id").asText();
        rest.post("/v1/templates", "{\"id\": \"t1\", \"config\": {}}");
    }

    @AfterAll
    static void stop() {
        baton.close();
    }

    private static String snapshot() {
        return rest.get("/v1/jobs?pageSize=1000").body() + rest.get("/v1/templates").body()
               + rest.get("/v1/agents").body();
    }

    static Stream<Arguments> restCorpus() {
        String huge = "x".repeat(5 * 1024 * 1024);
        return Stream.of(
                Arguments.of("POST", "/v1/jobs", "{", 400, "malformed JSON"),
                Arguments.of("POST", "/v1/jobs", "not json at all", 400, "malformed JSON"),
                Arguments.of("POST", "/v1/jobs", "[]", 400, "expected a JSON object"),
                Arguments.of("POST", "/v1/jobs", "\"string\"", 400, "expected a JSON object"),
                Arguments.of("POST", "/v1/jobs", "{}", 400, "exactly one of"),
                Arguments.of("POST", "/v1/jobs", "{\"inlineConfig\": {}, \"priority\": \"high\"}", 400, "priority"),
                Arguments.of("POST", "/v1/jobs", "{\"inlineConfig\": {}, \"priority\": -1}", 400, "priority: -1"),
                Arguments.of("POST", "/v1/jobs", "{\"inlineConfig\": {}, \"priority\": 1e20}", 400, "priority"),
                Arguments.of("POST", "/v1/jobs", "{\"inlineConfig\": {}, \"onUnavailable\": \"SOMETIMES\"}", 400,
                             "onUnavailable"),
                Arguments.of("POST", "/v1/jobs", "{\"inlineConfig\": {}, \"restartPolicy\": 7}", 400, "restartPolicy"),
                Arguments.of("POST", "/v1/jobs", "{\"inlineConfig\": {}, \"unknownThing\": 1}", 400, "unknownThing"),
                Arguments.of("POST", "/v1/jobs", "{\"inlineConfig\": \"{}\"}", 400, "inlineConfig"),
                Arguments.of("POST", "/v1/jobs", "{\"inlineConfig\": {}, \"requirements\": {\"slots\": -2}}", 400,
                             "requirements.slots"),
                Arguments.of("POST", "/v1/jobs", "{\"inlineConfig\": {}, \"labels\": {\"a\\u0000b\": \"x\"}}", 400,
                             "label key"),
                Arguments.of("POST", "/v1/jobs", "{\"inlineConfig\": {}, \"labels\": {\"k\": \"line\\nbreak\"}}", 400,
                             "control characters"),
                Arguments.of("POST", "/v1/jobs", "{\"inlineConfig\": {}, \"waitTimeout\": \"-5s\"}", 400,
                             "waitTimeout"),
                Arguments.of("POST", "/v1/jobs", "{\"inlineConfig\": {}, \"waitTimeout\": \"soon\"}", 400,
                             "waitTimeout"),
                Arguments.of("POST", "/v1/jobs", "{\"inlineConfig\": {}, \"idempotencyKey\": \"" + "k".repeat(300)
                                                 + "\"}", 400, "idempotencyKey"),
                Arguments.of("POST", "/v1/jobs", "{\"inlineConfig\": {\"s\": \"" + "y".repeat(100_000) + "\"}}",
                             400, "inlineConfig"),
                Arguments.of("POST", "/v1/jobs", "{\"inlineConfig\": {\"s\": \"" + huge + "\"}}", 413, null),
                Arguments.of("POST", "/v1/jobs", "{\"templateId\": \"../../etc/passwd\"}", 404, "../../etc/passwd"),
                Arguments.of("POST", "/v1/jobs", "{\"inlineConfig\": {}, \"idempotencyKey\": \"corpus\"}", 409,
                             "corpus"),
                Arguments.of("GET", "/v1/jobs/%2e%2e%2f%2e%2e%2fetc", null, 400, null),
                Arguments.of("GET", "/v1/jobs/" + "z".repeat(5000), null, 414, null),
                Arguments.of("GET", "/v1/jobs/" + "z".repeat(500), null, 404, "not found"),
                Arguments.of("GET", "/v1/jobs?pageSize=-1", null, 400, "pageSize"),
                Arguments.of("GET", "/v1/jobs?pageToken=%00%01", null, 400, null),
                Arguments.of("GET", "/v1/jobs?pageToken=bm90LWEtdG9rZW4", null, 400, "pageToken"),
                Arguments.of("GET", "/v1/jobs?labelSelector=novalue", null, 400, "labelSelector"),
                Arguments.of("GET", "/v1/agents?pageSize=abc", null, 400, null),
                Arguments.of("PUT", "/v1/jobs/{job}/metadata", "{\"viewers\": \"many\"}", 400, "viewers"),
                Arguments.of("PUT", "/v1/jobs/{job}/metadata", "{\"viewers\": -5}", 400, "viewers"),
                Arguments.of("PUT", "/v1/jobs/{job}/metadata", "{\"publicUrl\": \"javascript:alert(1)\"}", 400,
                             "publicUrl"),
                Arguments.of("PUT", "/v1/jobs/{job}/metadata", "{\"title\": \"" + "t".repeat(5000) + "\"}", 400,
                             "metadata.title"),
                Arguments.of("PUT", "/v1/jobs/nope/metadata", "{\"title\": \"x\"}", 404, "nope"),
                Arguments.of("POST", "/v1/jobs/{job}/mute", "", 409, "mute"),
                Arguments.of("POST", "/v1/agents/ghost/drain", "{\"drain\": true}", 404, "ghost"),
                Arguments.of("POST", "/v1/agents/ghost/drain", "{\"drain\": \"yes\"}", 400, "drain"),
                Arguments.of("POST", "/v1/templates", "{\"id\": \"t1\", \"config\": {}}", 409, "already exists"),
                Arguments.of("POST", "/v1/templates", "{\"id\": \"bad id/with slash\"}", 400, "template.id"),
                Arguments.of("PUT", "/v1/templates/t1", "{\"id\": \"other\"}", 400, "does not match"),
                Arguments.of("DELETE", "/v1/templates/none", null, 404, "none"),
                Arguments.of("POST", "/v1/jobs", "{\"inlineConfig\": {}, \"metadata\": {\"isMuted\": true}}", 400,
                             "isMuted"));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @MethodSource("restCorpus")
    void restBadInputGetsA4xxNamingTheProblemAndChangesNothing(String method, String path, String body, int status,
                                                              String mentions) {
        String before = snapshot();
        String resolved = path.replace("{job}", jobId);
        Rest.Response response = switch (method) {
            case "GET" -> rest.get(resolved);
            case "PUT" -> rest.put(resolved, body);
            case "DELETE" -> rest.delete(resolved);
            default -> rest.post(resolved, body);
        };
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        if (mentions != null) {
            assertThat(response.json().get("message").asText()).contains(mentions);
        }
        assertThat(snapshot()).isEqualTo(before);
        assertThat(rest.get("/healthz").status()).isEqualTo(200);
    }

    @Test
    void grpcBadInputGetsTheRightCodes() {
        String before = snapshot();
        assertThat(code(() -> baton.jobs().getJob(GetJobRequest.newBuilder().setId("\u0000\u202e").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> baton.jobs().listJobs(ListJobsRequest.newBuilder().addStatusValue(99).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> baton.jobs().submitJob(SubmitJobRequest.newBuilder().setInlineConfig(
                Struct.getDefaultInstance()).setOnUnavailableValue(42).setPriority(-3).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> baton.jobs().submitJob(SubmitJobRequest.newBuilder().setTemplateId("t1")
                .setInlineConfig(Struct.getDefaultInstance()).build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void agentStreamNonsenseIsRefusedPerMessageAndNothingElseChanges() {
        SimulatedAgent agent = baton.agent("chaos", 2, Map.of());
        String before = rest.get("/v1/jobs?pageSize=1000").body();
        List<AgentMessage> nonsense = List.of(
                AgentMessage.newBuilder().setAssignAck(AssignAck.newBuilder().setJobId(jobId).setAttempt(7)
                                                               .setAccepted(true)).build(),
                AgentMessage.newBuilder().setJobUpdate(JobUpdate.newBuilder().setJobId(jobId).setAttempt(1)
                                                               .setStatus(Job.Status.RUNNING)).build(),
                AgentMessage.newBuilder().setJobUpdate(JobUpdate.newBuilder().setJobId("nope").setStatusValue(99))
                            .build(),
                AgentMessage.newBuilder().setCommandAck(CommandAck.newBuilder().setCorrelationId("never-sent")
                                                                 .setSuccess(true)).build());
        for (AgentMessage message : nonsense) {
            agent.send(message);
        }
        agent.heartbeat();
        baton.sync();
        assertThat(agent.isClosed()).isFalse();
        assertThat(rest.get("/v1/jobs?pageSize=1000").body()).isEqualTo(before);
        agent.send(AgentMessage.getDefaultInstance());
        assertThat(agent.awaitClosed().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    }

    private static Status.Code code(Runnable call) {
        try {
            call.run();
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getDescription()).isNotBlank();
            return e.getStatus().getCode();
        }
    }
}
