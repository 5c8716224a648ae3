package dev.baton.server.security;

import static dev.baton.server.security.AdminClients.jobs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.baton.proto.v1.ListJobsRequest;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.TestBaton;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The per-token request rate (ADMIN_RATE_LIMIT_RPS / _BURST) over the wire, in virtual time:
 * RESOURCE_EXHAUSTED / 429 with retry-after, each token on its own bucket, anonymous loopback
 * callers on one shared bucket whichever transport they use, and refill as time passes.
 */
class AdminRateLimitTest {

    private static final String VIEWER = "viewer-token-0000000001";
    private TestBaton baton;

    @BeforeEach
    void start() {
        baton = TestBaton.start(b -> b.adminAuthMode(AuthMode.LOCAL).adminRateLimitPerSecond(1).adminRateLimitBurst(2)
                                      .adminTokens(List.of(AdminToken.of("dash", Role.VIEWER, VIEWER))));
    }

    @AfterEach
    void stop() {
        baton.close();
    }

    @Test
    void restAnswers429WithRetryAfterUntilTheBucketRefills() {
        Rest rest = new Rest(baton.baseUrl()).withToken(VIEWER);
        assertThat(rest.get("/v1/jobs").status()).isEqualTo(200);
        assertThat(rest.get("/v1/agents").status()).isEqualTo(200);
        Rest.Response limited = rest.get("/v1/jobs");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("retry-after")).isEqualTo("1");
        assertThat(limited.json().get("code").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(limited.json().get("message").asText()).isEqualTo(
                "rate limit of 1 admin requests/s exceeded for token \"dash\" (ADMIN_RATE_LIMIT_RPS); retry after 1 s");
        assertThat(AdminClients.open(baton, "/v1/watch", VIEWER).status()).as("SSE counts too").isEqualTo(429);

        baton.advance(Duration.ofSeconds(1));
        assertThat(rest.get("/v1/jobs").status()).isEqualTo(200);
        assertThat(rest.get("/v1/jobs").status()).isEqualTo(429);
    }

    @Test
    void anonymousLoopbackCallersShareOneBucketAcrossTransports() {
        Rest anonymous = new Rest(baton.baseUrl());
        assertThat(anonymous.get("/v1/jobs").status()).isEqualTo(200);
        jobs(baton, null).listJobs(ListJobsRequest.getDefaultInstance());
        assertThatThrownBy(() -> jobs(baton, null).listJobs(ListJobsRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getTrailers().get(Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER)))
                            .isEqualTo("1");
                });
        assertThat(anonymous.get("/v1/jobs").status()).isEqualTo(429);
        assertThat(anonymous.withToken(VIEWER).get("/v1/jobs").status()).as("a token has its own bucket").isEqualTo(200);
        assertThat(anonymous.get("/healthz").status()).as("probes are not admin calls").isEqualTo(200);

        baton.advance(Duration.ofSeconds(2));
        assertThat(anonymous.get("/v1/jobs").status()).isEqualTo(200);
        assertThat(anonymous.get("/v1/jobs").status()).isEqualTo(200);
        assertThat(anonymous.get("/v1/jobs").status()).isEqualTo(429);
    }
}
