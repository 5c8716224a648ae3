package dev.baton.server.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.ListJobsRequest;
import dev.baton.proto.v1.RunningJob;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.server.store.PostgresStore;
import dev.baton.server.store.Stores;
import dev.baton.server.testing.Eventually;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import dev.baton.server.testing.TestPostgres;
import dev.baton.server.time.VirtualTimeSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Several servers on one PostgreSQL: one leads, the others refuse with its address, and take over. */
class LeadershipTest {

    private final PostgresStore.Endpoint database = TestPostgres.freshDatabase();

    private TestBaton server() {
        return server(b -> { });
    }

    private TestBaton server(java.util.function.Consumer<dev.baton.server.config.BatonConfig.Builder> more) {
        try {
            return TestBaton.start(Files.createTempDirectory("baton-ha"),
                                   b -> more.accept(b.storeUrl(database.url()).storeUser(database.user())
                                                     .storePassword(database.password())
                                                     .leaderCheckInterval(Duration.ofMillis(100))),
                                   new VirtualTimeSource(), Stores::open);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static SubmitJobRequest job() {
        return SubmitJobRequest.newBuilder().setInlineConfig(com.google.protobuf.Struct.getDefaultInstance()).build();
    }

    @Test
    void oneServerLeadsAndTheStandbyRefusesEveryCallWithTheLeadersAddress() {
        try (TestBaton leader = server()) {
            Eventually.await("first server leads", () -> leader.server().serving());
            try (TestBaton standby = server()) {
                Eventually.await("standby sees the leader", () -> !standby.server().leadership().leaderAddress().isEmpty());
                String jobId = leader.jobs().submitJob(job()).getJob().getId();

                assertThat(standby.server().serving()).isFalse();
                StatusRuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(
                        StatusRuntimeException.class, () -> standby.jobs().listJobs(ListJobsRequest.getDefaultInstance()));
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(refused.getStatus().getDescription())
                        .isEqualTo("this server is a standby; the leader is at 127.0.0.1:" + leader.port() + " (retry there)");
                assertThat(refused.getTrailers().get(StandbyGate.LEADER_KEY)).isEqualTo("127.0.0.1:" + leader.port());
                SimulatedAgent agent = SimulatedAgent.open(standby.channel(), "a1");
                agent.send(dev.baton.proto.v1.AgentMessage.newBuilder()
                        .setHello(SimulatedAgent.hello(TestBaton.TOKEN, "a1", 1, Map.of())).build());
                assertThat(agent.awaitClosed().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                Rest.Response rest = new Rest(standby.baseUrl()).post("/v1/jobs", "{\"inlineConfig\": {}}");
                assertThat(rest.status()).isEqualTo(503);
                assertThat(rest.body()).contains("the leader is at 127.0.0.1:" + leader.port());
                assertThat(new Rest(standby.baseUrl()).get("/healthz").body())
                        .contains("standby; leader at 127.0.0.1:" + leader.port());
                assertThat(leader.job(jobId).getStatus()).isEqualTo(Job.Status.PENDING);
            }
        }
    }

    @Test
    void withAdminAuthRequiredAStandbyRefusesBeforeAuthAndTheLeaderAuthenticates() {
        java.util.function.Consumer<dev.baton.server.config.BatonConfig.Builder> auth = b -> b.adminTokens(
                java.util.List.of(dev.baton.server.security.AdminToken.of("ops", dev.baton.server.security.Role.ADMIN,
                                                                          "ops-token")));
        try (TestBaton leader = server(auth)) {
            Eventually.await("first server leads", () -> leader.server().serving());
            try (TestBaton standby = server(auth)) {
                Eventually.await("standby sees the leader", () -> !standby.server().leadership().leaderAddress().isEmpty());
                String hint = "127.0.0.1:" + leader.port();

                StatusRuntimeException anonymousAtStandby = org.junit.jupiter.api.Assertions.assertThrows(
                        StatusRuntimeException.class, () -> standby.jobs().listJobs(ListJobsRequest.getDefaultInstance()));
                assertThat(anonymousAtStandby.getStatus().getCode()).as("the hint, whoever asks")
                                                                    .isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(anonymousAtStandby.getTrailers().get(StandbyGate.LEADER_KEY)).isEqualTo(hint);
                Rest anonymous = new Rest(standby.baseUrl());
                assertThat(anonymous.get("/v1/watch").status()).isEqualTo(503);
                Rest.Response follow = anonymous.get("/v1/jobs/j1/logs/follow");
                assertThat(follow.status()).isEqualTo(503);
                assertThat(follow.body()).contains("the leader is at " + hint);

                StatusRuntimeException anonymousAtLeader = org.junit.jupiter.api.Assertions.assertThrows(
                        StatusRuntimeException.class, () -> leader.jobs().listJobs(ListJobsRequest.getDefaultInstance()));
                assertThat(anonymousAtLeader.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                io.grpc.Metadata headers = new io.grpc.Metadata();
                headers.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                            "Bearer ops-token");
                assertThat(leader.jobs().withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers))
                                 .listJobs(ListJobsRequest.getDefaultInstance()).getJobsList()).isEmpty();
                assertThat(new Rest(leader.baseUrl()).withToken("ops-token").post("/v1/jobs", "{\"inlineConfig\": {}}")
                                                     .status()).isEqualTo(201);
            }
        }
    }

    @Test
    void whenTheLeaderStopsTheStandbyTakesOverWithEveryJobAndAgentsResume() {
        TestBaton first = server();
        Eventually.await("first server leads", () -> first.server().serving());
        SimulatedAgent agent = first.agent("a1", 1);
        String running = first.jobs().submitJob(job()).getJob().getId();
        var assign = agent.acceptAndRun();
        first.awaitStatus(running, Job.Status.RUNNING);
        String queued = first.jobs().submitJob(job()).getJob().getId();
        try (TestBaton second = server()) {
            Eventually.await("second is standby", () -> !second.server().leadership().leaderAddress().isEmpty());
            first.close();

            Eventually.await("standby takes over", () -> second.server().serving());
            assertThat(second.job(queued).getStatus()).isEqualTo(Job.Status.PENDING);
            Job waiting = second.job(running);
            assertThat(waiting.getStatus()).as("waits for its agent, not lost").isEqualTo(Job.Status.UNKNOWN);
            SimulatedAgent back = second.agent("a1", 1, Map.of(), RunningJob.newBuilder().setJobId(running)
                    .setAttempt(assign.getAttempt()).setStatus(Job.Status.RUNNING).build());
            assertThat(back.welcome().getRejectedJobIdsList()).isEmpty();
            second.awaitStatus(running, Job.Status.RUNNING);
        }
    }

    @Test
    void aLeaderWhoseLockSessionDiesStopsActingAtOnceAndAStandbyTakesOver() throws Exception {
        try (TestBaton first = server(); TestBaton second = server()) {
            TestBaton leader = Eventually.await("a leader", () -> first.server().serving() ? first
                    : second.server().serving() ? second : null, s -> s != null);
            TestBaton standby = leader == first ? second : first;
            CountDownLatch deposed = new CountDownLatch(1);
            leader.server().onDeposed(deposed::countDown);
            SimulatedAgent agent = leader.agent("a1", 1);

            int pid = ((AdvisoryLockElection) leader.server().leadership()).lockSessionPid();
            try (Connection admin = database.connect();
                 PreparedStatement kill = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
                kill.setInt(1, pid);
                kill.execute();
            }

            assertThat(deposed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(leader.server().serving()).isFalse();
            assertThat(agent.awaitClosed().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThatThrownBy(() -> leader.jobs().submitJob(job())).isInstanceOf(StatusRuntimeException.class)
                    .hasMessageContaining("UNAVAILABLE");
            Eventually.await("the standby takes over", () -> standby.server().serving());
            assertThat(standby.jobs().submitJob(job()).getJob().getId()).isNotEmpty();
        }
    }
}
