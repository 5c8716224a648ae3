package dev.baton.server.security;

import static dev.baton.server.security.AdminClients.jobs;
import static dev.baton.server.security.AdminClients.sleepJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.baton.server.testing.Rest;
import dev.baton.server.testing.TestBaton;

/**
 * ADMIN_AUTH=local (the default without configured tokens): a loopback caller without a token acts
 * as admin, so the seed's token-free REST calls keep working on a developer's machine; a caller
 * that presents a token is held to it, even from loopback.
 */
class LocalModeTest {

    private static final String VIEWER = "viewer-token-0000000001";
    private static TestBaton baton;

    @BeforeAll
    static void start() {
        baton = TestBaton.start(b -> b.adminAuthMode(AuthMode.LOCAL)
                                      .adminTokens(List.of(AdminToken.of("dash", Role.VIEWER, VIEWER))));
    }

    @AfterAll
    static void stop() {
        baton.close();
    }

    @Test
    void loopbackCallerWithoutTokenActsAsAdmin() {
        assertThat(jobs(baton, null).submitJob(sleepJob()).getJob().getId()).isNotEmpty();
        Rest anonymous = new Rest(baton.baseUrl());
        assertThat(anonymous.post("/v1/jobs", "{\"inlineConfig\": {\"command\": [\"true\"]}}").status()).isEqualTo(201);
        assertThat(anonymous.delete("/v1/templates/none").status()).as("admin call reaches the service").isEqualTo(404);
        assertThat(AdminClients.open(baton, "/v1/watch", null).status()).isEqualTo(200);
    }

    @Test
    void aWrongTokenIsRefusedEvenFromLoopback() {
        assertThatThrownBy(() -> jobs(baton, "wrong-token-000000000000").submitJob(sleepJob()))
                .hasMessage("UNAUTHENTICATED: the bearer token is not a known admin token");
        Rest.Response response = new Rest(baton.baseUrl()).withToken("wrong-token-000000000000").get("/v1/jobs");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("www-authenticate")).startsWith("Bearer");
        assertThat(AdminClients.open(baton, "/v1/watch?access_token=wrong-token-0000", null).status()).isEqualTo(401);
    }

    @Test
    void aPresentedTokenKeepsItsRoleFromLoopback() {
        assertThat(new Rest(baton.baseUrl()).withToken(VIEWER).get("/v1/jobs").status()).isEqualTo(200);
        assertThatThrownBy(() -> jobs(baton, VIEWER).submitJob(sleepJob()))
                .hasMessage("PERMISSION_DENIED: SubmitJob needs role operator; token \"dash\" has role viewer");
    }
}
