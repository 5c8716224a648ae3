package dev.baton.server.webhooks;

import static dev.baton.server.webhooks.WebhookFixtures.expectedSignature;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;

import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import dev.baton.server.testing.WebhookReceiver;

/** A job's own callback URL gets every status change of that job, in order, signed with WEBHOOK_CALLBACK_SECRET. */
class JobCallbackTest {

    private static final String CALLBACK_SECRET = "callback-secret-0123456789";
    private final WebhookReceiver receiver = WebhookReceiver.start();
    private final TestBaton baton = TestBaton.start(b -> {
        WebhookFixtures.settings(b);
        b.webhooks().callbackSecret(CALLBACK_SECRET);
    });

    @AfterEach
    void stop() {
        baton.close();
        receiver.close();
    }

    @Test
    void aJobsCallbackUrlGetsEachStatusItEntersInOrder() throws Exception {
        SimulatedAgent agent = baton.agent("a", 1);
        String jobId = baton.jobs().submitJob(SubmitJobRequest.newBuilder().setInlineConfig(Struct.getDefaultInstance())
                .setCallbackUrl(receiver.url("/jobs/done")).build()).getJob().getId();
        Assign assign = agent.acceptAndRun();
        baton.awaitStatus(jobId, Job.Status.RUNNING);
        agent.fail(jobId, assign.getAttempt(), "exit 3", 3);

        List<WebhookReceiver.Request> requests = receiver.awaitRequests(5);
        assertThat(requests).extracting(r -> r.json().get("type").asText())
                            .containsExactly("job.pending", "job.assigned", "job.accepted", "job.running", "job.failed");
        assertThat(requests).extracting(r -> r.json().get("job").get("id").asText()).containsOnly(jobId);
        assertThat(requests.get(4).json().get("job").get("exitCode").asInt()).isEqualTo(3);
        for (WebhookReceiver.Request request : requests) {
            assertThat(request.header("Baton-Signature"))
                    .isEqualTo(expectedSignature(CALLBACK_SECRET, request.header("Baton-Timestamp"), request.body()));
        }
    }
}
