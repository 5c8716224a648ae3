package dev.baton.server.webhooks;

import static dev.baton.server.webhooks.WebhookFixtures.SECRET;
import static dev.baton.server.webhooks.WebhookFixtures.awaitAttempts;
import static dev.baton.server.webhooks.WebhookFixtures.awaitNewest;
import static dev.baton.server.webhooks.WebhookFixtures.create;
import static dev.baton.server.webhooks.WebhookFixtures.deliveries;
import static dev.baton.server.webhooks.WebhookFixtures.expectedSignature;
import static dev.baton.server.webhooks.WebhookFixtures.submit;
import static dev.baton.server.webhooks.WebhookFixtures.webhooks;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.GetWebhookRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.SendTestEventRequest;
import dev.baton.proto.v1.UpdateWebhookRequest;
import dev.baton.proto.v1.Webhook;
import dev.baton.proto.v1.WebhookAttempt;
import dev.baton.proto.v1.WebhookDelivery;
import dev.baton.server.testing.Eventually;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import dev.baton.server.testing.WebhookReceiver;

/** Job events reach a real HTTP receiver on 127.0.0.1: signed, retried in virtual time, in order. */
class WebhookDeliveryTest {

    private TestBaton baton;
    private WebhookReceiver receiver;

    @BeforeEach
    void start() {
        baton = TestBaton.start(b -> {
            WebhookFixtures.settings(b);
            b.webhooks().maxConsecutiveFailures(4).giveUpAfter(Duration.ofMinutes(10));
        });
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void stop() {
        baton.close();
        receiver.close();
    }

    @Test
    void deliversAJobThatStartsRunningWithAValidSignature() throws Exception {
        Webhook webhook = create(baton, receiver.url("/hooks/baton"), Job.Status.RUNNING);
        SimulatedAgent agent = baton.agent("a", 1);
        String jobId = submit(baton);
        agent.acceptAndRun();

        WebhookReceiver.Request request = receiver.awaitRequests(1).get(0);
        assertThat(request.path()).isEqualTo("/hooks/baton");
        assertThat(request.header("content-type")).isEqualTo("application/json");
        String timestamp = request.header("Baton-Timestamp");
        assertThat(Long.parseLong(timestamp)).isEqualTo(baton.time().now().getEpochSecond());
        assertThat(request.header("Baton-Signature")).isEqualTo(expectedSignature(SECRET, timestamp, request.body()));
        assertThat(request.header("Baton-Signature"))
                .isNotEqualTo(expectedSignature("another-secret-0123456789", timestamp, request.body()));

        JsonNode body = request.json();
        assertThat(body.get("eventId").asText()).isEqualTo(request.header("Baton-Event-Id")).startsWith("evt-");
        assertThat(body.get("type").asText()).isEqualTo("job.running");
        assertThat(body.get("revision").asLong()).isPositive();
        assertThat(body.get("time").asText()).isEqualTo(baton.time().now().toString());
        assertThat(body.get("job").get("id").asText()).isEqualTo(jobId);
        assertThat(body.get("job").get("status").asText()).isEqualTo("RUNNING");
        assertThat(body.get("job").get("agentId").asText()).isEqualTo("a");

        WebhookDelivery delivered = awaitNewest(baton, webhook.getId(), "is delivered",
                                                d -> d.getState() == WebhookDelivery.State.DELIVERED);
        assertThat(delivered.getAttempts()).isEqualTo(1);
        assertThat(delivered.getLastStatusCode()).isEqualTo(200);
        assertThat(delivered.getJobId()).isEqualTo(jobId);
        assertThat(delivered.getEventId()).isEqualTo(body.get("eventId").asText());
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheEventThreeTimesAndItIsRecordedDelivered() {
        receiver.answer(500, 503);
        Webhook webhook = create(baton, receiver.url("/flaky"), Job.Status.RUNNING);
        SimulatedAgent agent = baton.agent("a", 1);
        submit(baton);
        agent.acceptAndRun();

        receiver.awaitRequests(1);
        WebhookDelivery first = awaitAttempts(baton, webhook.getId(), 1);
        assertThat(first.getState()).isEqualTo(WebhookDelivery.State.PENDING);
        assertThat(new Rest(baton.baseUrl()).get("/metrics").body())
                .containsPattern("(?m)^baton_webhook_retry_queue_depth 1\\.0$");
        assertThat(first.getLastError()).isEqualTo("HTTP 500");
        long retryInMs = first.getNextAttemptAt().getSeconds() * 1000 - baton.time().now().toEpochMilli();
        assertThat(retryInMs).isBetween(4_000L, 6_000L);

        baton.advance(Duration.ofSeconds(3));
        assertThat(receiver.requests()).hasSize(1);
        baton.advance(Duration.ofSeconds(7));
        receiver.awaitRequests(2);
        awaitAttempts(baton, webhook.getId(), 2);
        baton.advance(Duration.ofSeconds(20)); // second retry: 10 s ± 20 %
        List<WebhookReceiver.Request> requests = receiver.awaitRequests(3);

        WebhookDelivery delivered = awaitNewest(baton, webhook.getId(), "is delivered",
                                                d -> d.getState() == WebhookDelivery.State.DELIVERED);
        assertThat(delivered.getAttempts()).isEqualTo(3);
        assertThat(delivered.getAttemptHistoryList()).extracting(WebhookAttempt::getStatusCode)
                                                     .containsExactly(500, 503, 200);
        assertThat(requests).extracting(r -> r.header("Baton-Attempt")).containsExactly("1", "2", "3");
        assertThat(requests).extracting(r -> r.header("Baton-Event-Id")).containsOnly(delivered.getEventId());
        assertThat(requests).extracting(WebhookReceiver.Request::bodyText).containsOnly(requests.get(0).bodyText());
        Webhook after = webhooks(baton).getWebhook(GetWebhookRequest.newBuilder().setId(webhook.getId()).build());
        assertThat(after.getConsecutiveFailures()).isZero();
        assertThat(after.getLastError()).isEmpty();
        assertThat(after.getPendingDeliveries()).isZero();

        String metrics = new Rest(baton.baseUrl()).get("/metrics").body();
        assertThat(metrics).containsPattern("(?m)^baton_webhook_deliveries_total\\{outcome=\"delivered\",?} 1\\.0$")
                           .containsPattern("(?m)^baton_webhook_attempts_total\\{result=\"failure\",?} 2\\.0$")
                           .containsPattern("(?m)^baton_webhook_attempts_total\\{result=\"success\",?} 1\\.0$")
                           .containsPattern("(?m)^baton_webhook_queue_depth 0\\.0$")
                           .containsPattern("(?m)^baton_webhook_retry_queue_depth 0\\.0$");
    }

    @Test
    void aLaterEventWaitsUntilTheEarlierOneIsDelivered() {
        receiver.answer(500);
        Webhook webhook = create(baton, receiver.url("/ordered"), Job.Status.RUNNING, Job.Status.STOPPED);
        SimulatedAgent agent = baton.agent("a", 1);
        String jobId = submit(baton);
        Assign assign = agent.acceptAndRun();
        awaitAttempts(baton, webhook.getId(), 1);

        agent.update(jobId, assign.getAttempt(), Job.Status.STOPPED);
        baton.awaitStatus(jobId, Job.Status.STOPPED);
        Eventually.await("the STOPPED event queued", () -> deliveries(baton, webhook.getId()).size() == 2);
        assertThat(receiver.requests()).hasSize(1);

        baton.advance(Duration.ofSeconds(10));
        List<WebhookReceiver.Request> requests = receiver.awaitRequests(3);
        assertThat(requests).extracting(r -> r.json().get("type").asText())
                            .containsExactly("job.running", "job.running", "job.stopped");
        assertThat(requests.get(2).json().get("revision").asLong())
                .isGreaterThan(requests.get(1).json().get("revision").asLong());
    }

    @Test
    void aSubscriptionThatKeepsFailingIsDisabledWithItsLastErrorUntilEnabledAgain() {
        receiver.answerByDefault(502);
        Webhook webhook = create(baton, receiver.url("/down"), Job.Status.RUNNING);
        SimulatedAgent agent = baton.agent("a", 1);
        submit(baton);
        agent.acceptAndRun();
        for (int attempt = 1; attempt <= 4; attempt++) {
            awaitAttempts(baton, webhook.getId(), attempt);
            baton.advance(Duration.ofSeconds(60));
        }
        Webhook disabled = webhooks(baton).getWebhook(GetWebhookRequest.newBuilder().setId(webhook.getId()).build());
        assertThat(disabled.getState()).isEqualTo(Webhook.State.DISABLED_BY_FAILURES);
        assertThat(disabled.getEnabled()).isFalse();
        assertThat(disabled.getLastError()).isEqualTo("HTTP 502");
        assertThat(disabled.getConsecutiveFailures()).isEqualTo(4);
        assertThat(disabled.getPendingDeliveries()).isEqualTo(1);
        baton.advance(Duration.ofMinutes(5));
        assertThat(receiver.requests()).hasSize(4);

        receiver.answerByDefault(204);
        Webhook enabled = webhooks(baton).updateWebhook(UpdateWebhookRequest.newBuilder().setId(webhook.getId())
                .setWebhook(disabled.toBuilder().setEnabled(true)).build());
        assertThat(enabled.getState()).isEqualTo(Webhook.State.ACTIVE);
        baton.advance(Duration.ofHours(1));
        receiver.awaitRequests(5);
        awaitNewest(baton, webhook.getId(), "is delivered after enabling",
                    d -> d.getState() == WebhookDelivery.State.DELIVERED && d.getLastStatusCode() == 204);
    }

    @Test
    void aDeliveryIsGivenUpAfterTheRetryWindowAndTheNextEventGoesOut() {
        receiver.answer(500, 500, 500, 500);
        Webhook webhook = create(baton, receiver.url("/late"), Job.Status.RUNNING, Job.Status.STOPPED);
        SimulatedAgent agent = baton.agent("a", 1);
        String jobId = submit(baton);
        Assign assign = agent.acceptAndRun();
        awaitAttempts(baton, webhook.getId(), 1);
        agent.update(jobId, assign.getAttempt(), Job.Status.STOPPED);
        Eventually.await("the STOPPED event queued", () -> deliveries(baton, webhook.getId()).size() == 2);

        baton.advance(Duration.ofMinutes(11)); // past the 10-minute window: the RUNNING event is given up
        List<WebhookDelivery> all = Eventually.await("RUNNING given up, STOPPED tried", () -> deliveries(baton, webhook.getId()),
                d -> d.size() == 2 && d.get(1).getState() == WebhookDelivery.State.FAILED && d.get(0).getAttempts() > 0);
        assertThat(all.get(1).getEventType()).isEqualTo("job.running");
        assertThat(all.get(1).getLastError()).isEqualTo("HTTP 500");
        assertThat(all.get(0).getEventType()).isEqualTo("job.stopped");
    }

    @Test
    void aTestEventIsSignedAndRecorded() throws Exception {
        Webhook webhook = create(baton, receiver.url("/test"), Job.Status.FAILED);
        WebhookDelivery queued = webhooks(baton).sendTestEvent(SendTestEventRequest.newBuilder()
                                                                                   .setId(webhook.getId()).build());
        assertThat(queued.getEventType()).isEqualTo("webhook.test");
        WebhookReceiver.Request request = receiver.awaitRequests(1).get(0);
        assertThat(request.json().get("type").asText()).isEqualTo("webhook.test");
        assertThat(request.json().get("webhook").get("id").asText()).isEqualTo(webhook.getId());
        assertThat(request.header("Baton-Signature"))
                .isEqualTo(expectedSignature(SECRET, request.header("Baton-Timestamp"), request.body()));
        awaitNewest(baton, webhook.getId(), "is the delivered test event",
                    d -> d.getId().equals(queued.getId()) && d.getState() == WebhookDelivery.State.DELIVERED);
    }

    @Test
    void aRefusedConnectionAndAReceiverThatNeverAnswersAreFailedAttempts() {
        Webhook closedPort = create(baton, "http://127.0.0.1:1/nobody", Job.Status.FAILED);
        webhooks(baton).sendTestEvent(SendTestEventRequest.newBuilder().setId(closedPort.getId()).build());
        assertThat(awaitAttempts(baton, closedPort.getId(), 1).getLastError()).startsWith("cannot connect to 127.0.0.1:1");

        receiver.stall();
        Webhook hanging = create(baton, receiver.url("/hangs"), Job.Status.FAILED);
        webhooks(baton).sendTestEvent(SendTestEventRequest.newBuilder().setId(hanging.getId()).build());
        WebhookDelivery timedOut = awaitAttempts(baton, hanging.getId(), 1); // WEBHOOK_TIMEOUT_MS is 5 s here
        assertThat(timedOut.getLastError()).isEqualTo("no response within 5000 ms");
        assertThat(timedOut.getAttemptHistory(0).getLatencyMs()).isGreaterThanOrEqualTo(5000);
    }

    @Test
    void aRedirectIsNotFollowed() {
        receiver.answer(302);
        Webhook webhook = create(baton, receiver.url("/moved"), Job.Status.FAILED);
        webhooks(baton).sendTestEvent(SendTestEventRequest.newBuilder().setId(webhook.getId()).build());
        WebhookDelivery failed = awaitAttempts(baton, webhook.getId(), 1);
        assertThat(failed.getLastStatusCode()).isEqualTo(302);
        assertThat(failed.getLastError()).contains("redirect to http://127.0.0.1:1/elsewhere not followed");
        assertThat(receiver.requests()).hasSize(1);
    }
}
