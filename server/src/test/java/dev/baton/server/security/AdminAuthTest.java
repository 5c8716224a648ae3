package dev.baton.server.security;

import static dev.baton.server.security.AdminClients.jobs;
import static dev.baton.server.security.AdminClients.open;
import static dev.baton.server.security.AdminClients.sleepJob;
import static dev.baton.server.security.AdminClients.systemWeb;
import static dev.baton.server.security.AdminClients.templates;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.baton.proto.v1.DeleteTemplateRequest;
import dev.baton.proto.v1.GetStatusRequest;
import dev.baton.proto.v1.JobServiceGrpc;
import dev.baton.proto.v1.ListJobsRequest;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;

/**
 * ADMIN_AUTH=required (the default once tokens are configured): every transport — native gRPC,
 * gRPC-Web, REST and SSE — admits a token's role, refuses a missing or unknown token with
 * UNAUTHENTICATED/401 and a role too low with PERMISSION_DENIED/403 naming both roles, even from
 * loopback. One of the tokens comes from a file that holds only its SHA-256.
 */
class AdminAuthTest {

    static final String VIEWER = "viewer-token-0000000001";
    static final String OPERATOR = "operator-token-00000002";
    static final String ADMIN = "admin-token-00000000003";
    static final String FILE_OPERATOR = "ci-token-from-a-file-04";

    private static TestBaton baton;

    @BeforeAll
    static void start() throws Exception {
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                              .digest(FILE_OPERATOR.getBytes(StandardCharsets.UTF_8)));
        List<AdminToken> tokens = new ArrayList<>(AdminTokenParser.parseList(
                "viewer:viewer:" + VIEWER + ",operator:operator:" + OPERATOR + ",root:admin:" + ADMIN));
        tokens.addAll(AdminTokenParser.parseLines(List.of("# CI pipeline", "ci:operator:sha256:" + digest)));
        baton = TestBaton.start(b -> b.adminTokens(tokens));
    }

    @AfterAll
    static void stop() {
        baton.close();
    }

    @Test
    void grpcAdmitsEachRoleToWhatItCovers() {
        assertThat(jobs(baton, VIEWER).listJobs(ListJobsRequest.getDefaultInstance())).isNotNull();
        assertThat(jobs(baton, OPERATOR).submitJob(sleepJob()).getJob().getId()).isNotEmpty();
        assertThatThrownBy(() -> templates(baton, ADMIN).deleteTemplate(
                DeleteTemplateRequest.newBuilder().setId("missing").build()))
                .as("past the gate, the call itself answers").hasMessageStartingWith("NOT_FOUND");
    }

    @Test
    void grpcRefusesARoleTooLowNamingNeededAndHeldRoles() {
        assertThatThrownBy(() -> jobs(baton, VIEWER).submitJob(sleepJob()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription())
                            .isEqualTo("SubmitJob needs role operator; token \"viewer\" has role viewer");
                });
        assertThatThrownBy(() -> templates(baton, OPERATOR).deleteTemplate(
                DeleteTemplateRequest.newBuilder().setId("x").build()))
                .hasMessage("PERMISSION_DENIED: DeleteTemplate needs role admin; token \"operator\" has role operator");
    }

    @Test
    void grpcRefusesMissingAndUnknownTokensEvenFromLoopback() {
        assertThatThrownBy(() -> jobs(baton, null).listJobs(ListJobsRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).startsWith("ListJobs needs an admin token with role viewer");
                    assertThat(e.getTrailers().get(Metadata.Key.of("www-authenticate", Metadata.ASCII_STRING_MARSHALLER)))
                            .startsWith("Bearer");
                });
        assertThatThrownBy(() -> jobs(baton, "not-a-token-at-all-xyz").listJobs(ListJobsRequest.getDefaultInstance()))
                .hasMessage("UNAUTHENTICATED: the bearer token is not a known admin token");
    }

    @Test
    void hashedTokenFromAFileActsWithItsRole() {
        assertThat(jobs(baton, FILE_OPERATOR).submitJob(sleepJob()).getJob().getId()).isNotEmpty();
        assertThatThrownBy(() -> templates(baton, FILE_OPERATOR).deleteTemplate(
                DeleteTemplateRequest.newBuilder().setId("x").build()))
                .hasMessageContaining("token \"ci\" has role operator");
    }

    @Test
    void restUsesTheSameRulesWithTheJsonErrorShape() {
        Rest anonymous = new Rest(baton.baseUrl());
        Rest.Response missing = anonymous.get("/v1/jobs");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().get("code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(missing.json().get("status").asInt()).isEqualTo(401);
        assertThat(missing.json().get("message").asText()).startsWith("ListJobs needs an admin token");
        assertThat(missing.header("www-authenticate")).startsWith("Bearer");
        assertThat(anonymous.withAuthorization("Basic dXNlcjpwYXNz").get("/v1/jobs").json().get("message").asText())
                .isEqualTo("authorization: expected 'Bearer <token>'");

        assertThat(anonymous.withToken(VIEWER).get("/v1/jobs").status()).isEqualTo(200);
        Rest.Response denied = anonymous.withToken(VIEWER).post("/v1/jobs", "{\"inlineConfig\": {\"command\": [\"true\"]}}");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().get("code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(denied.json().get("message").asText())
                .isEqualTo("SubmitJob needs role operator; token \"viewer\" has role viewer");
        assertThat(anonymous.withToken(OPERATOR).post("/v1/jobs", "{\"inlineConfig\": {\"command\": [\"true\"]}}")
                            .status()).isEqualTo(201);
        assertThat(anonymous.withToken(OPERATOR).delete("/v1/templates/x").status()).isEqualTo(403);
        assertThat(anonymous.withToken(ADMIN).delete("/v1/templates/x").status()).isEqualTo(404);
    }

    @Test
    void sseWatchNeedsViewerByHeaderOrAccessTokenParameter() {
        AdminClients.Opened missing = open(baton, "/v1/watch", null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.start()).contains("\"code\":\"UNAUTHENTICATED\"");
        assertThat(missing.wwwAuthenticate()).startsWith("Bearer");
        assertThat(open(baton, "/v1/watch?access_token=wrong-token-0000000", null).status()).isEqualTo(401);

        AdminClients.Opened byHeader = open(baton, "/v1/watch", VIEWER);
        assertThat(byHeader.status()).isEqualTo(200);
        assertThat(byHeader.contentType()).startsWith("text/event-stream");
        assertThat(byHeader.start()).startsWith("data:");
        assertThat(open(baton, "/v1/watch?kinds=job&access_token=" + VIEWER, null).status()).isEqualTo(200);
    }

    @Test
    void grpcWebUsesTheSameRules() {
        assertThat(systemWeb(baton, VIEWER).getStatus(GetStatusRequest.getDefaultInstance()).getVersion()).isNotEmpty();
        assertThatThrownBy(() -> systemWeb(baton, null).getStatus(GetStatusRequest.getDefaultInstance()))
                .hasMessageStartingWith("UNAUTHENTICATED: GetStatus needs an admin token with role viewer");
        assertThatThrownBy(() -> AdminClients.grpcWeb(baton, VIEWER, JobServiceGrpc.JobServiceBlockingStub.class)
                                             .submitJob(sleepJob()))
                .hasMessage("PERMISSION_DENIED: SubmitJob needs role operator; token \"viewer\" has role viewer");
    }

    @Test
    void agentsHealthDashboardAndProbesNeedNoAdminToken() {
        try (SimulatedAgent agent = baton.agent("auth-agent", 1)) {
            assertThat(agent.id()).isEqualTo("auth-agent");
        }
        HealthCheckResponse health = HealthGrpc.newBlockingStub(baton.channel()).withDeadlineAfter(20, TimeUnit.SECONDS)
                                               .check(HealthCheckRequest.getDefaultInstance());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        Rest anonymous = new Rest(baton.baseUrl());
        assertThat(anonymous.get("/healthz").status()).isEqualTo(200);
        assertThat(anonymous.get("/metrics").status()).isEqualTo(200);
        assertThat(anonymous.get("/").status()).isEqualTo(200);
        assertThat(anonymous.get("/dashboard/app.js").status()).isEqualTo(200);
        assertThat(anonymous.get("/docs/").status()).isEqualTo(401);
        assertThat(anonymous.withToken(VIEWER).get("/docs/").status()).isEqualTo(200);
    }

    @Test
    void reflectionNeedsViewer() throws Exception {
        assertThat(listServices(null).getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        StatusRuntimeException ok = listServices(VIEWER);
        assertThat(ok).as("reflection answered").isNull();
    }

    /** Lists services by reflection: null when it answered, the failure otherwise. */
    private static StatusRuntimeException listServices(String token) throws Exception {
        CompletableFuture<StatusRuntimeException> result = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc
                .newStub(AdminClients.grpc(baton, token)).withDeadlineAfter(20, TimeUnit.SECONDS)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        result.complete(response.hasListServicesResponse() ? null
                                : Status.INTERNAL.withDescription(response.toString()).asRuntimeException());
                    }

                    @Override
                    public void onError(Throwable t) {
                        result.complete(Status.fromThrowable(t).asRuntimeException());
                    }

                    @Override
                    public void onCompleted() {
                        result.complete(Status.INTERNAL.withDescription("no answer").asRuntimeException());
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        StatusRuntimeException outcome = result.get(20, TimeUnit.SECONDS);
        requests.onCompleted();
        return outcome;
    }
}
