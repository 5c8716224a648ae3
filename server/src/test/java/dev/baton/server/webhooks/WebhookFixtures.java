package dev.baton.server.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.google.protobuf.Struct;

import dev.baton.proto.v1.CreateWebhookRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.ListWebhookDeliveriesRequest;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.Webhook;
import dev.baton.proto.v1.WebhookDelivery;
import dev.baton.proto.v1.WebhookServiceGrpc;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.testing.Eventually;
import dev.baton.server.testing.TestBaton;

/** What the webhook tests share: settings that keep agents alive in long virtual waits, stubs, HMAC. */
final class WebhookFixtures {

    static final String SECRET = "whsec-test-0123456789abcdef";

    private WebhookFixtures() {}

    /** Agents never time out and retries start at 5 s (±20 %), so advancing 10 s always reaches the next one. */
    static void settings(BatonConfig.Builder b) {
        b.heartbeatTimeout(Duration.ofDays(30)).lostAfter(Duration.ofDays(30));
        b.webhooks().retryBase(Duration.ofSeconds(5)).retryMax(Duration.ofHours(1)).attemptTimeout(Duration.ofSeconds(5));
    }

    static WebhookServiceGrpc.WebhookServiceBlockingStub webhooks(TestBaton baton) {
        return WebhookServiceGrpc.newBlockingStub(baton.channel()).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    static Webhook create(TestBaton baton, String url, Job.Status... statuses) {
        return webhooks(baton).createWebhook(CreateWebhookRequest.newBuilder().setWebhook(
                Webhook.newBuilder().setUrl(url).setSecret(SECRET).addAllStatuses(List.of(statuses))).build());
    }

    static String submit(TestBaton baton) {
        return baton.jobs().submitJob(SubmitJobRequest.newBuilder().setInlineConfig(Struct.getDefaultInstance())
                                                      .build()).getJob().getId();
    }

    static List<WebhookDelivery> deliveries(TestBaton baton, String webhookId) {
        return webhooks(baton).listWebhookDeliveries(ListWebhookDeliveriesRequest.newBuilder().setId(webhookId)
                                                                                 .build()).getDeliveriesList();
    }

    /** Waits until the newest delivery of {@code webhookId} has made {@code attempts} attempts. */
    static WebhookDelivery awaitAttempts(TestBaton baton, String webhookId, int attempts) {
        return awaitNewest(baton, webhookId, "has made " + attempts + " attempts", d -> d.getAttempts() == attempts);
    }

    /** Waits until the newest delivery of {@code webhookId} satisfies {@code condition}. */
    static WebhookDelivery awaitNewest(TestBaton baton, String webhookId, String what,
                                       java.util.function.Predicate<WebhookDelivery> condition) {
        return Eventually.await("newest delivery of " + webhookId + " " + what, () -> deliveries(baton, webhookId),
                                list -> !list.isEmpty() && condition.test(list.get(0))).get(0);
    }

    /** The signature as documented in docs/webhooks.md, computed independently of the server's code. */
    static String expectedSignature(String secret, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] signed = (timestamp + "." + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(signed));
    }
}
