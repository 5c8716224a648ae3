package dev.baton.server.webhooks;

import static dev.baton.server.webhooks.WebhookFixtures.SECRET;
import static dev.baton.server.webhooks.WebhookFixtures.webhooks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;

import dev.baton.proto.v1.CreateWebhookRequest;
import dev.baton.proto.v1.DeleteWebhookRequest;
import dev.baton.proto.v1.GetWebhookRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.ListWebhooksRequest;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.Webhook;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.TestBaton;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The webhook admin API over REST and gRPC: what it accepts, what it refuses and why, what it never shows. */
class WebhookApiTest {

    private static TestBaton baton;
    private static Rest rest;

    @BeforeAll
    static void start() {
        baton = TestBaton.start(WebhookFixtures::settings);
        rest = new Rest(baton.baseUrl());
    }

    @AfterAll
    static void stop() {
        baton.close();
    }

    @BeforeEach
    void deleteAll() {
        webhooks(baton).listWebhooks(ListWebhooksRequest.getDefaultInstance()).getWebhooksList().forEach(w -> webhooks(baton)
                .deleteWebhook(DeleteWebhookRequest.newBuilder().setId(w.getId()).build()));
    }

    private static String body(String url, String statuses) {
        return "{\"url\": \"" + url + "\", \"statuses\": " + statuses + ", \"secret\": \"" + SECRET + "\"}";
    }

    @Test
    void restCreatesGetsListsUpdatesAndDeletesWithoutEverShowingTheSecret() {
        Rest.Response created = rest.post("/v1/webhooks", "{\"id\": \"ops\", \"url\": \"http://localhost:9/hook\","
                + " \"statuses\": [\"FAILED\", \"STOPPED\"], \"labelSelector\": \"team=video\", \"secret\": \"" + SECRET + "\"}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().get("id").asText()).isEqualTo("ops");
        assertThat(created.json().get("state").asText()).isEqualTo("ACTIVE");
        assertThat(created.json().get("enabled").asBoolean()).isTrue();
        assertThat(created.json().get("statuses").toString()).isEqualTo("[\"FAILED\",\"STOPPED\"]");

        Rest.Response updated = rest.put("/v1/webhooks/ops", "{\"url\": \"http://[::1]:9/hook\", \"statuses\": [\"RUNNING\"],"
                                                             + " \"enabled\": false}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("state").asText()).isEqualTo("PAUSED");
        assertThat(updated.json().get("labelSelector").asText()).isEmpty();

        Rest.Response got = rest.get("/v1/webhooks/ops");
        Rest.Response listed = rest.get("/v1/webhooks");
        assertThat(got.json().get("url").asText()).isEqualTo("http://[::1]:9/hook");
        assertThat(listed.json().get("webhooks")).hasSize(1);
        for (Rest.Response response : new Rest.Response[] {created, updated, got, listed}) {
            assertThat(response.body()).doesNotContain(SECRET);
        }
        Webhook overGrpc = webhooks(baton).getWebhook(GetWebhookRequest.newBuilder().setId("ops").build());
        assertThat(overGrpc.getSecret()).isEmpty();
        assertThat(overGrpc.toString()).doesNotContain(SECRET);

        assertThat(rest.get("/v1/webhooks/ops/deliveries").json().get("deliveries")).isEmpty();
        assertThat(rest.delete("/v1/webhooks/ops").status()).isEqualTo(200);
        assertThat(rest.get("/v1/webhooks/ops").status()).isEqualTo(404);
    }

    @Test
    void aUrlOutsideTheAllowListIsRefusedNamingTheUrlAndTheSetting() {
        Rest.Response response = rest.post("/v1/webhooks", body("https://example.com/hook", "[\"FAILED\"]"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(response.json().get("message").asText()).isEqualTo(
                "webhook.url: \"https://example.com/hook\" is not allowed: host \"example.com\" is not in "
                + "WEBHOOK_ALLOWED_HOSTS (127.0.0.1, ::1, localhost)");

        assertThatThrownBy(() -> webhooks(baton).createWebhook(CreateWebhookRequest.newBuilder().setWebhook(
                Webhook.newBuilder().setUrl("http://10.0.0.8/hook").setSecret(SECRET).addStatuses(Job.Status.FAILED))
                .build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("\"http://10.0.0.8/hook\"", "WEBHOOK_ALLOWED_HOSTS");
                });
        assertThat(rest.get("/v1/webhooks").json().get("webhooks")).isEmpty();
    }

    @Test
    void badInputIsRefusedWithAMessageNamingTheFieldAndTheValue() {
        assertRefused(rest.post("/v1/webhooks", body("ftp://127.0.0.1/hook", "[\"FAILED\"]")), 400,
                      "webhook.url: \"ftp://127.0.0.1/hook\" is not an http or https URL");
        assertRefused(rest.post("/v1/webhooks", body("http://127.0.0.1:80 80/x", "[\"FAILED\"]")), 400,
                      "is not a valid URL");
        assertRefused(rest.post("/v1/webhooks", body("http://user:pw@127.0.0.1/hook", "[\"FAILED\"]")), 400,
                      "carries credentials");
        assertRefused(rest.post("/v1/webhooks", body("http://127.0.0.1/hook", "[\"EXPLODED\"]")), 400,
                      "EXPLODED");
        assertRefused(rest.post("/v1/webhooks", body("http://127.0.0.1/hook", "[]")), 400,
                      "webhook.statuses: empty (expected: at least one of CREATED, PENDING, ASSIGNED");
        assertRefused(rest.post("/v1/webhooks", "{\"url\": \"http://127.0.0.1/h\", \"statuses\": [\"FAILED\"],"
                                                + " \"secret\": \"short\"}"), 400,
                      "webhook.secret: 5 characters (expected: 16 to 256");
        assertRefused(rest.post("/v1/webhooks", "{\"url\": \"http://127.0.0.1/h\", \"statuses\": [\"FAILED\"],"
                                                + " \"secret\": \"" + SECRET + "\", \"labelSelector\": \"team\"}"), 400,
                      "webhook.labelSelector: \"team\" is not key=value");
        assertThatThrownBy(() -> webhooks(baton).createWebhook(CreateWebhookRequest.newBuilder().setWebhook(
                Webhook.newBuilder().setUrl("http://127.0.0.1/h").setSecret(SECRET).addStatusesValue(99)).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getDescription())
                        .startsWith("webhook.statuses: 99 is not a job status (expected: one of CREATED"));
        assertThat(rest.get("/v1/webhooks").json().get("webhooks")).isEmpty();

        rest.post("/v1/webhooks", "{\"id\": \"dup\", \"url\": \"http://127.0.0.1/h\", \"statuses\": [\"FAILED\"],"
                                  + " \"secret\": \"" + SECRET + "\"}");
        assertRefused(rest.post("/v1/webhooks", "{\"id\": \"dup\", \"url\": \"http://127.0.0.1/h\", \"statuses\":"
                                                + " [\"FAILED\"], \"secret\": \"" + SECRET + "\"}"), 409,
                      "webhook \"dup\" already exists");
    }

    @Test
    void anUnknownIdIsNotFoundForEveryAction() {
        String message = "webhook \"nope\" not found";
        assertRefused(rest.get("/v1/webhooks/nope"), 404, message);
        assertRefused(rest.put("/v1/webhooks/nope", body("http://127.0.0.1/h", "[\"FAILED\"]")), 404, message);
        assertRefused(rest.delete("/v1/webhooks/nope"), 404, message);
        assertRefused(rest.get("/v1/webhooks/nope/deliveries"), 404, message);
        assertRefused(rest.post("/v1/webhooks/nope/test", "{}"), 404, message);
    }

    @Test
    void aJobCallbackUrlOutsideTheAllowListIsRefusedAtSubmission() {
        assertThatThrownBy(() -> baton.jobs().submitJob(SubmitJobRequest.newBuilder()
                .setInlineConfig(Struct.getDefaultInstance()).setCallbackUrl("http://192.168.1.5/done").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo(
                            "callbackUrl: \"http://192.168.1.5/done\" is not allowed: host \"192.168.1.5\" is not in "
                            + "WEBHOOK_ALLOWED_HOSTS (127.0.0.1, ::1, localhost)");
                });
        Rest.Response accepted = rest.post("/v1/jobs", "{\"inlineConfig\": {}, \"callbackUrl\": \"http://localhost:9/done\"}");
        assertThat(accepted.status()).isEqualTo(201);
        assertThat(accepted.json().get("callbackUrl").asText()).isEqualTo("http://localhost:9/done");
    }

    private static void assertRefused(Rest.Response response, int status, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().get("message").asText()).contains(messagePart);
    }
}
