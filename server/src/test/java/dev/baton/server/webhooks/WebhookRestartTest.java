package dev.baton.server.webhooks;

import static dev.baton.server.webhooks.WebhookFixtures.SECRET;
import static dev.baton.server.webhooks.WebhookFixtures.awaitAttempts;
import static dev.baton.server.webhooks.WebhookFixtures.awaitNewest;
import static dev.baton.server.webhooks.WebhookFixtures.create;
import static dev.baton.server.webhooks.WebhookFixtures.expectedSignature;
import static dev.baton.server.webhooks.WebhookFixtures.submit;
import static dev.baton.server.webhooks.WebhookFixtures.webhooks;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.baton.proto.v1.GetWebhookRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.Webhook;
import dev.baton.proto.v1.WebhookDelivery;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import dev.baton.server.testing.WebhookReceiver;
import dev.baton.server.time.VirtualTimeSource;

/** Deliveries are stored before they are attempted: a Baton restarted on the same data dir resumes them. */
class WebhookRestartTest {

    private final WebhookReceiver receiver = WebhookReceiver.start();
    private TestBaton baton;

    @AfterEach
    void stop() {
        if (baton != null) {
            baton.close();
        }
        receiver.close();
    }

    @Test
    void aRestartInTheMiddleOfRetriesStillDelivers() throws Exception {
        Path dataDir = Files.createTempDirectory("baton-webhook-restart");
        VirtualTimeSource time = new VirtualTimeSource();
        baton = TestBaton.start(dataDir, WebhookFixtures::settings, time);
        receiver.answer(500, 500);
        Webhook webhook = create(baton, receiver.url("/restart"), Job.Status.RUNNING);
        SimulatedAgent agent = baton.agent("a", 1);
        String jobId = submit(baton);
        agent.acceptAndRun();
        awaitAttempts(baton, webhook.getId(), 1);
        baton.advance(Duration.ofSeconds(10));
        WebhookDelivery beforeRestart = awaitAttempts(baton, webhook.getId(), 2);
        assertThat(beforeRestart.getState()).isEqualTo(WebhookDelivery.State.PENDING);

        agent.close();
        baton.close();
        baton = TestBaton.start(dataDir, WebhookFixtures::settings, time);

        Webhook restored = webhooks(baton).getWebhook(GetWebhookRequest.newBuilder().setId(webhook.getId()).build());
        assertThat(restored.getUrl()).isEqualTo(webhook.getUrl());
        assertThat(restored.getConsecutiveFailures()).isEqualTo(2);
        assertThat(restored.getPendingDeliveries()).isEqualTo(1);
        assertThat(receiver.requests()).hasSize(2);

        baton.advance(Duration.ofSeconds(20)); // the stored next attempt (10 s ± 20 % after the second)
        List<WebhookReceiver.Request> requests = receiver.awaitRequests(3);
        WebhookDelivery delivered = awaitNewest(baton, webhook.getId(), "is delivered",
                                                d -> d.getState() == WebhookDelivery.State.DELIVERED);
        assertThat(delivered.getId()).isEqualTo(beforeRestart.getId());
        assertThat(delivered.getAttempts()).isEqualTo(3);
        assertThat(requests.get(2).bodyText()).isEqualTo(requests.get(0).bodyText());
        assertThat(requests.get(2).json().get("job").get("id").asText()).isEqualTo(jobId);
        // The secret survived the restart too: the signature still verifies with it.
        assertThat(requests.get(2).header("Baton-Signature")).isEqualTo(
                expectedSignature(SECRET, requests.get(2).header("Baton-Timestamp"), requests.get(2).body()));
    }
}
