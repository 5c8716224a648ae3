package dev.baton.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;

import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.proto.v1.MuteJobRequest;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.StopJobRequest;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.UnavailablePolicy;
import dev.baton.proto.v1.UnmuteJobRequest;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Stop/kill, mute, waiting, fail-fast and restart policies over loopback, in virtual time. */
class JobLifecycleTest {

    private TestBaton baton;
    private Rest rest;

    @BeforeEach
    void start() {
        baton = TestBaton.start(b -> b.stopGrace(Duration.ofSeconds(10)).killAfter(Duration.ofSeconds(5))
                                      .commandTimeout(Duration.ofSeconds(5)).waitTimeout(Duration.ofMinutes(10))
                                      .restartBackoffBase(Duration.ofSeconds(1)));
        rest = new Rest(baton.baseUrl());
    }

    @AfterEach
    void stop() {
        baton.close();
    }

    private String submit(SubmitJobRequest.Builder request) {
        return baton.jobs().submitJob(request.setInlineConfig(Struct.getDefaultInstance()).build()).getJob().getId();
    }

    private static Status.Code codeOf(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        return Status.Code.OK;
    }

    @Test
    void submittedJobsGetVersion7IdsStampedWithTheServersClockInSubmitOrder() {
        long submittedAt = baton.time().now().toEpochMilli();
        String first = submit(SubmitJobRequest.newBuilder());
        baton.advance(Duration.ofMillis(5));
        String second = submit(SubmitJobRequest.newBuilder());

        UUID id = UUID.fromString(first);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(submittedAt);
        assertThat(second).isGreaterThan(first);
        assertThat(rest.get("/v1/jobs/" + first).body()).contains(first);
    }

    @Test
    void stopSendsStopThenKillAfterGraceAndFailsAnAgentThatNeverAnswers() {
        SimulatedAgent a = baton.agent("a", 1);
        String jobId = submit(SubmitJobRequest.newBuilder());
        a.acceptAndRun();
        baton.awaitStatus(jobId, Job.Status.RUNNING);

        Job stopping = baton.jobs().stopJob(StopJobRequest.newBuilder().setId(jobId).build());
        assertThat(stopping.getStatus()).isEqualTo(Job.Status.STOPPING);
        ServerMessage stop = a.next(ServerMessage.MsgCase.STOP);
        assertThat(stop.getStop().getGrace().getSeconds()).isEqualTo(10);

        baton.advanceKeepingAlive(Duration.ofSeconds(14), a);
        assertThat(a.poll(0)).isNull();
        baton.advanceKeepingAlive(Duration.ofSeconds(2), a);
        assertThat(a.next(ServerMessage.MsgCase.KILL).getKill().getJobId()).isEqualTo(jobId);

        baton.advanceKeepingAlive(Duration.ofSeconds(6), a);
        Job failed = baton.awaitStatus(jobId, Job.Status.FAILED);
        assertThat(failed.getFailureReason()).contains("did not confirm the stop");
    }

    @Test
    void stopConfirmedByTheAgentEndsStopped() {
        SimulatedAgent a = baton.agent("a", 1);
        String jobId = submit(SubmitJobRequest.newBuilder().setRestartPolicy("always"));
        Assign assign = a.acceptAndRun();
        baton.awaitStatus(jobId, Job.Status.RUNNING);
        Rest.Response response = rest.post("/v1/jobs/" + jobId + "/stop", "");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("status").asText()).isEqualTo("STOPPING");
        a.next(ServerMessage.MsgCase.STOP);
        a.update(jobId, assign.getAttempt(), Job.Status.STOPPED);
        // ALWAYS restarts only after stops nobody asked for.
        Job stopped = baton.awaitStatus(jobId, Job.Status.STOPPED);
        assertThat(stopped.getStopRequested()).isTrue();

        Rest.Response again = rest.post("/v1/jobs/" + jobId + "/stop", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("message").asText()).contains("already STOPPED");
    }

    @Test
    void stoppingAWaitingJobCancelsIt() {
        String jobId = submit(SubmitJobRequest.newBuilder());
        Job canceled = baton.jobs().stopJob(StopJobRequest.newBuilder().setId(jobId).build());
        assertThat(canceled.getStatus()).isEqualTo(Job.Status.CANCELED);
        SimulatedAgent a = baton.agent("a", 1);
        assertThat(a.poll(0)).isNull();
    }

    @Test
    void muteChangesIsMutedOnlyWhenTheAgentAcks() throws Exception {
        SimulatedAgent a = baton.agent("a", 1);
        String jobId = submit(SubmitJobRequest.newBuilder());
        a.acceptAndRun();
        baton.awaitStatus(jobId, Job.Status.RUNNING);

        var pending = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> rest.post("/v1/jobs/" + jobId + "/mute", ""));
        ServerMessage mute = a.next(ServerMessage.MsgCase.MUTE);
        assertThat(baton.job(jobId).getMetadata().getIsMuted()).isFalse();
        a.commandAck(mute.getMute().getCorrelationId(), true, "");
        Rest.Response muted = pending.get();
        assertThat(muted.status()).isEqualTo(200);
        assertThat(muted.json().at("/metadata/isMuted").asBoolean()).isTrue();
        assertThat(rest.get("/v1/jobs/" + jobId + "/metadata").json().get("isMuted").asBoolean()).isTrue();

        var unmute = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> codeOf(() -> baton.jobs().unmuteJob(UnmuteJobRequest.newBuilder().setId(jobId).build())));
        a.next(ServerMessage.MsgCase.UNMUTE);
        baton.advanceKeepingAlive(Duration.ofSeconds(6), a);
        assertThat(unmute.get()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(baton.job(jobId).getMetadata().getIsMuted()).isTrue();

        var refused = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> rest.post("/v1/jobs/" + jobId + "/unmute", ""));
        a.commandAck(a.next(ServerMessage.MsgCase.UNMUTE).getUnmute().getCorrelationId(), false, "no audio track");
        assertThat(refused.get().status()).isEqualTo(409);
        assertThat(refused.get().json().get("message").asText()).contains("no audio track");
    }

    @Test
    void muteOfAJobWithoutALiveAgentIsAConflict() {
        String jobId = submit(SubmitJobRequest.newBuilder());
        assertThat(codeOf(() -> baton.jobs().muteJob(MuteJobRequest.newBuilder().setId(jobId).build())))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(rest.post("/v1/jobs/" + jobId + "/mute", "").status()).isEqualTo(409);
        assertThat(rest.post("/v1/jobs/nope/mute", "").status()).isEqualTo(404);
    }

    @Test
    void aWaitingJobShowsWhyAndFailsAfterTheWaitTimeout() {
        String jobId = submit(SubmitJobRequest.newBuilder()
                .setWaitTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(30)));
        Job waiting = baton.awaitJob(jobId, "has a reason", j -> j.getStatusReason().contains("no agent"));
        assertThat(waiting.getStatusReason()).isEqualTo("no agent is connected");
        baton.advance(Duration.ofSeconds(29));
        assertThat(baton.job(jobId).getStatus()).isEqualTo(Job.Status.PENDING);
        baton.advance(Duration.ofSeconds(2));
        Job failed = baton.awaitStatus(jobId, Job.Status.FAILED);
        assertThat(failed.getFailureReason()).isEqualTo("waited 30s without being placed: no agent is connected");
    }

    @Test
    void failFastRefusesAtSubmitNamingWhatIsMissingAndStoresNothing() {
        baton.agent("cpu", 1, Map.of("gpu", "false"));
        StatusRuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> baton.jobs().submitJob(SubmitJobRequest.newBuilder().setInlineConfig(Struct.getDefaultInstance())
                        .setOnUnavailable(UnavailablePolicy.UNAVAILABLE_POLICY_FAIL_FAST)
                        .setRequirements(JobRequirements.newBuilder().putLabels("gpu", "true")).build()));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(refused.getStatus().getDescription()).contains("gpu=true").contains("1 agent connected, 0 match");
        assertThat(rest.get("/v1/jobs").json().get("jobs")).isEmpty();

        Rest.Response viaRest = rest.post("/v1/jobs", """
                {"inlineConfig": {}, "onUnavailable": "UNAVAILABLE_POLICY_FAIL_FAST",
                 "requirements": {"labels": {"gpu": "true"}}}""");
        assertThat(viaRest.status()).isEqualTo(409);
    }

    @Test
    void configurationRulesOutAnUnknownPoolAndTooManySlotsAtOnce() {
        Rest.Response pool = rest.post("/v1/jobs", "{\"inlineConfig\": {}, \"requirements\": {\"pool\": \"nope\"}}");
        assertThat(pool.status()).isEqualTo(409);
        assertThat(pool.json().get("message").asText()).contains("pool \"nope\" does not exist");
        Rest.Response slots = rest.post("/v1/jobs", "{\"inlineConfig\": {}, \"requirements\": {\"slots\": 100000}}");
        assertThat(slots.status()).isEqualTo(409);
        assertThat(slots.json().get("message").asText()).contains("MAX_SLOTS_PER_AGENT");
    }

    @Test
    void idempotentReplayAndConflict() {
        String body = "{\"inlineConfig\": {\"a\": 1}, \"idempotencyKey\": \"k-1\"}";
        Rest.Response first = rest.post("/v1/jobs", body);
        Rest.Response replay = rest.post("/v1/jobs", body);
        Rest.Response conflict = rest.post("/v1/jobs", "{\"inlineConfig\": {\"a\": 2}, \"idempotencyKey\": \"k-1\"}");
        assertThat(first.status()).isEqualTo(201);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().get("message").asText()).contains("k-1");
        var grpcReplay = baton.jobs().submitJob(SubmitJobRequest.newBuilder().setIdempotencyKey("k-1")
                .setInlineConfig(Struct.newBuilder().putFields("a", com.google.protobuf.Value.newBuilder()
                        .setNumberValue(1).build())).build());
        assertThat(grpcReplay.getReplayed()).isTrue();
        assertThat(grpcReplay.getJob().getId()).isEqualTo(first.json().get("id").asText());
        assertThat(rest.get("/v1/jobs").json().get("jobs")).hasSize(1);
    }

    @Test
    void idempotencyKeysExpireAfterTheRetention() {
        try (TestBaton shortMemory = TestBaton.start(b -> b.idempotencyRetention(Duration.ofMinutes(30)))) {
            Rest client = new Rest(shortMemory.baseUrl());
            String body = "{\"inlineConfig\": {\"a\": 1}, \"idempotencyKey\": \"daily\"}";
            String first = client.post("/v1/jobs", body).json().get("id").asText();
            shortMemory.advance(Duration.ofMinutes(29));
            assertThat(client.post("/v1/jobs", body).json().get("id").asText()).isEqualTo(first);
            shortMemory.advance(Duration.ofMinutes(2));
            Rest.Response fresh = client.post("/v1/jobs", "{\"inlineConfig\": {\"a\": 2}, \"idempotencyKey\": \"daily\"}");
            assertThat(fresh.status()).isEqualTo(201);
            assertThat(fresh.json().get("id").asText()).isNotEqualTo(first);
        }
    }

    @Test
    void onFailureRestartsWithBackoffUpToMaxAttemptsThenFails() {
        SimulatedAgent a = baton.agent("a", 1);
        String jobId = submit(SubmitJobRequest.newBuilder().setRestartPolicy("onFailure").setMaxAttempts(3));
        for (int attempt = 1; attempt <= 3; attempt++) {
            Assign assign = a.acceptAndRun();
            assertThat(assign.getAttempt()).isEqualTo(attempt);
            a.fail(jobId, attempt, "exit 3", 3);
            if (attempt < 3) {
                Job restarting = baton.awaitJob(jobId, "restarting", j -> j.getStatus() == Job.Status.PENDING);
                assertThat(restarting.getStatusReason()).contains("restart " + attempt + " of 2");
                assertThat(a.poll(0)).isNull();
                baton.advanceKeepingAlive(Duration.ofSeconds(attempt == 1 ? 2 : 3), a);
            }
        }
        Job failed = baton.awaitStatus(jobId, Job.Status.FAILED);
        assertThat(failed.getExitCode()).isEqualTo(3);
        assertThat(failed.getAttemptsList()).hasSize(3);
    }

    @Test
    void neverFailsAtOnceWithTheAgentsReason() {
        SimulatedAgent a = baton.agent("a", 1);
        String jobId = submit(SubmitJobRequest.newBuilder().setRestartPolicy("never"));
        a.acceptAndRun();
        a.fail(jobId, 1, "segfault", 139);
        Job failed = baton.awaitStatus(jobId, Job.Status.FAILED);
        assertThat(failed.getFailureReason()).isEqualTo("segfault");
        assertThat(failed.getExitCode()).isEqualTo(139);
    }

    @Test
    void alwaysRestartsAfterACleanExitNobodyAskedFor() {
        SimulatedAgent a = baton.agent("a", 1);
        String jobId = submit(SubmitJobRequest.newBuilder().setRestartPolicy("ALWAYS"));
        a.acceptAndRun();
        a.update(jobId, 1, Job.Status.STOPPED);
        baton.awaitJob(jobId, "restarting", j -> j.getStatus() == Job.Status.PENDING);
        baton.advanceKeepingAlive(Duration.ofSeconds(2), a);
        assertThat(a.nextAssign().getAttempt()).isEqualTo(2);
    }

    @Test
    void lostAgentWithOnFailureRestartsElsewhere() {
        SimulatedAgent a = baton.agent("a", 1);
        String jobId = submit(SubmitJobRequest.newBuilder().setRestartPolicy("onFailure"));
        a.acceptAndRun();
        baton.awaitStatus(jobId, Job.Status.RUNNING);
        a.close();
        baton.awaitStatus(jobId, Job.Status.UNKNOWN);
        SimulatedAgent b = baton.agent("b", 1);
        baton.advanceKeepingAlive(Duration.ofSeconds(64), b);
        Assign next = b.nextAssign();
        assertThat(next.getJobId()).isEqualTo(jobId);
        assertThat(next.getAttempt()).isEqualTo(2);
    }

    @Test
    void metadataMergesValidatesAndNamesTheField() {
        String jobId = submit(SubmitJobRequest.newBuilder());
        Rest.Response put = rest.put("/v1/jobs/" + jobId + "/metadata",
                                     "{\"title\": \"My Live Stream\", \"viewers\": 1234, \"platform\": \"youtube\"}");
        assertThat(put.status()).isEqualTo(200);
        Rest.Response merge = rest.put("/v1/jobs/" + jobId + "/metadata",
                                       "{\"description\": \"d\", \"publicUrl\": \"https://youtube.com/watch?v=abc\"}");
        assertThat(merge.json().get("title").asText()).isEqualTo("My Live Stream");
        assertThat(merge.json().get("viewers").asLong()).isEqualTo(1234);
        assertThat(merge.json().get("publicUrl").asText()).isEqualTo("https://youtube.com/watch?v=abc");

        Rest.Response negative = rest.put("/v1/jobs/" + jobId + "/metadata", "{\"viewers\": -1}");
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.json().get("message").asText()).contains("metadata.viewers: -1");
        Rest.Response badUrl = rest.put("/v1/jobs/" + jobId + "/metadata", "{\"adminUrl\": \"not a url\"}");
        assertThat(badUrl.status()).isEqualTo(400);
        assertThat(badUrl.json().get("message").asText()).contains("metadata.adminUrl");
        Rest.Response muted = rest.put("/v1/jobs/" + jobId + "/metadata", "{\"isMuted\": true}");
        assertThat(muted.status()).isEqualTo(400);
        assertThat(rest.get("/v1/jobs/" + jobId + "/metadata").json().get("viewers").asLong()).isEqualTo(1234);
    }

    @Test
    void jobsFromATemplateKeepTheirResolvedConfigAcrossTemplateChanges() {
        Rest.Response created = rest.post("/v1/templates",
                "{\"id\": \"stream-template-1\", \"config\": {\"streamUrl\": \"rtmp://a\"}}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().get("version").asInt()).isEqualTo(1);
        Rest.Response job = rest.post("/v1/jobs", "{\"templateId\": \"stream-template-1\"}");
        assertThat(job.status()).isEqualTo(201);
        String jobId = job.json().get("id").asText();

        Rest.Response updated = rest.put("/v1/templates/stream-template-1", "{\"config\": {\"streamUrl\": \"rtmp://b\"}}");
        assertThat(updated.json().get("version").asInt()).isEqualTo(2);
        assertThat(rest.delete("/v1/templates/stream-template-1").status()).isEqualTo(200);

        Job kept = baton.job(jobId);
        assertThat(kept.getTemplateVersion()).isEqualTo(1);
        assertThat(kept.getConfig().getFieldsOrThrow("streamUrl").getStringValue()).isEqualTo("rtmp://a");
        assertThat(rest.get("/v1/templates/stream-template-1").status()).isEqualTo(404);
        assertThat(rest.post("/v1/jobs", "{\"templateId\": \"stream-template-1\"}").status()).isEqualTo(404);
    }

    @Test
    void listJobsFiltersAndPaginatesInCreationOrder() {
        String a = submit(SubmitJobRequest.newBuilder().putLabels("team", "video"));
        String b = submit(SubmitJobRequest.newBuilder().putLabels("team", "audio"));
        String c = submit(SubmitJobRequest.newBuilder().putLabels("team", "video"));
        Rest.Response page1 = rest.get("/v1/jobs?pageSize=2");
        assertThat(page1.json().get("jobs").findValuesAsText("id")).containsExactly(a, b);
        Rest.Response page2 = rest.get("/v1/jobs?pageSize=2&pageToken=" + page1.json().get("nextPageToken").asText());
        assertThat(page2.json().get("jobs").findValuesAsText("id")).containsExactly(c);
        Rest.Response video = rest.get("/v1/jobs?labelSelector=team%3Dvideo");
        assertThat(video.json().get("jobs").findValuesAsText("id")).containsExactly(a, c);
        Rest.Response pending = rest.get("/v1/jobs?status=PENDING&status=RUNNING");
        assertThat(pending.json().get("jobs")).hasSize(3);
        assertThat(rest.get("/v1/jobs?pageToken=garbage").status()).isEqualTo(400);
    }

    @Test
    void rejectedSubmitsStoreNothing() {
        assertThat(rest.post("/v1/jobs", "{\"inlineConfig\": {}, \"priority\": 5000}").status()).isEqualTo(400);
        assertThat(rest.post("/v1/jobs", "{\"inlineConfig\": {}, \"labels\": {\"bad key!\": \"x\"}}").status())
                .isEqualTo(400);
        assertThat(rest.post("/v1/jobs", "{\"inlineConfig\": {\"big\": \"" + "x".repeat(70_000) + "\"}}").status())
                .isEqualTo(400);
        assertThatThrownBy(() -> baton.jobs().submitJob(SubmitJobRequest.getDefaultInstance()))
                .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("exactly one of");
        assertThat(rest.get("/v1/jobs").json().get("jobs")).isEmpty();
    }
}
