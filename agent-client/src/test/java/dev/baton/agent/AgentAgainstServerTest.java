package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.testing.Await;
import dev.baton.agent.testing.RealBaton;
import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.Job;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK against the real Baton server over loopback. */
class AgentAgainstServerTest {

    private static final ReconnectPolicy FAST_RECONNECT =
            ReconnectPolicy.of(Duration.ofMillis(100), 1.6, 0.2, Duration.ofSeconds(1), 0);

    @TempDir
    Path dataDir;
    private RealBaton baton;
    private BatonAgent agent;

    @BeforeEach
    void startServer() {
        baton = RealBaton.start(dataDir);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (agent != null) {
            agent.close();
        }
        baton.close();
    }

    @Test
    void aTenLineHandlerTakesAJobFromPendingThroughRunningToStopped() throws Exception {
        String jobId = baton.submit(Map.of("frames", 3)).getId();
        baton.awaitStatus(jobId, Job.Status.PENDING); // no agent yet
        CountDownLatch finish = new CountDownLatch(1);

        agent = BatonAgent.builder()
                .server(baton.target())
                .token(RealBaton.TOKEN)
                .agentId("ten-line-agent")
                .handler(job -> {
                    job.running();
                    job.progress("frames", job.config().getFieldsOrThrow("frames").getNumberValue());
                    finish.await();
                })
                .build().start();

        Job running = baton.awaitStatus(jobId, Job.Status.RUNNING);
        assertThat(running.getAgentId()).isEqualTo("ten-line-agent");
        finish.countDown();
        Job stopped = baton.awaitStatus(jobId, Job.Status.STOPPED);
        assertThat(stopped.getAttempt()).isEqualTo(running.getAttempt());
        assertThat(stopped.getProgressMap()).containsEntry("frames", 3.0);
    }

    @Test
    void runningAndStoppedBackToBackRightAfterTheAckAreBothApplied() throws Exception {
        agent = agent("instant-agent", job -> {
            job.running();
            job.stopped();
        });
        String jobId = baton.submit(Map.of()).getId();

        Job stopped = baton.awaitStatus(jobId, Job.Status.STOPPED);

        assertThat(stopped.getStartedAt().getSeconds()).isPositive(); // RUNNING was applied first
    }

    @Test
    void aServerRestartMidJobKeepsTheJobRunningAndItFinishesStopped() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        agent = agent("restart-agent", job -> {
            job.running();
            finish.await();
        });
        String jobId = baton.submit(Map.of()).getId();
        Job before = baton.awaitStatus(jobId, Job.Status.RUNNING);
        String firstSession = agent.sessionId();

        baton.restart();

        Await.until("the agent welcomed by the restarted server", RealBaton.WAIT,
                    () -> agent.isConnected() && !agent.sessionId().equals(firstSession));
        Job after = baton.job(jobId);
        assertThat(after.getStatus()).isEqualTo(Job.Status.RUNNING);
        assertThat(after.getAttempt()).isEqualTo(before.getAttempt());
        assertThat(after.getAgentId()).isEqualTo("restart-agent");
        finish.countDown();
        Job stopped = baton.awaitStatus(jobId, Job.Status.STOPPED);
        assertThat(stopped.getAttempt()).isEqualTo(before.getAttempt());
    }

    @Test
    void aJobThatEndsWhileTheServerIsDownIsReportedAfterItReturns() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        JobContext[] context = new JobContext[1];
        agent = agent("offline-end-agent", job -> {
            context[0] = job;
            job.running();
            finish.await();
            job.failed("exited while the server was away", 7);
        });
        String jobId = baton.submit(Map.of()).getId();
        baton.awaitStatus(jobId, Job.Status.RUNNING);

        baton.stopServer();
        finish.countDown();
        Await.until("the job ended on the agent", RealBaton.WAIT, () -> context[0].ended());
        baton.startAgain();

        Job failed = baton.awaitStatus(jobId, Job.Status.FAILED);
        assertThat(failed.getExitCode()).isEqualTo(7);
        assertThat(failed.getFailureReason()).contains("exited while the server was away");
    }

    @Test
    void closeSaysGoodbyeAndTheServerMarksTheAgentOffline() throws Exception {
        agent = agent("leaving-agent", job -> job.running());
        baton.awaitAgent("leaving-agent", "online", a -> a.getState() == Agent.State.IDLE);

        agent.close();

        baton.awaitAgent("leaving-agent", "offline", a -> a.getState() == Agent.State.OFFLINE);
    }

    @Test
    void advertisedEndpointsShowOnTheJobsTheAgentRuns() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        agent = BatonAgent.builder().server(baton.target()).token(RealBaton.TOKEN).agentId("edge-agent")
                          .endpoint("http", "http://10.0.0.5:8080/live").endpoint("rtmp", "rtmp://10.0.0.5/app")
                          .drainOnShutdown(false)
                          .handler(job -> {
                              job.running();
                              finish.await();
                          })
                          .build().start();
        String jobId = baton.submit(Map.of()).getId();

        Job running = baton.awaitStatus(jobId, Job.Status.RUNNING);
        assertThat(running.getEndpointsList()).extracting(dev.baton.proto.v1.Endpoint::getUrl)
                                              .containsExactly("http://10.0.0.5:8080/live", "rtmp://10.0.0.5/app");
        finish.countDown();
        assertThat(baton.awaitStatus(jobId, Job.Status.STOPPED).getEndpointsList()).isEmpty();
    }

    private BatonAgent agent(String id, JobHandler handler) {
        return BatonAgent.builder().server(baton.target()).token(RealBaton.TOKEN).agentId(id)
                         .reconnectPolicy(FAST_RECONNECT).drainOnShutdown(false).handler(handler)
                         .build().start();
    }
}
