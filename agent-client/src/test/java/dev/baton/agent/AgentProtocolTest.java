package dev.baton.agent;

import static dev.baton.agent.testing.Messages.assign;
import static dev.baton.agent.testing.Messages.drain;
import static dev.baton.agent.testing.Messages.kill;
import static dev.baton.agent.testing.Messages.mute;
import static dev.baton.agent.testing.Messages.stop;
import static dev.baton.agent.testing.Messages.unmute;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import dev.baton.agent.testing.Await;
import dev.baton.agent.testing.ScriptedAgentServer;
import dev.baton.agent.testing.ScriptedAgentServer.Connection;
import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.AssignAck;
import dev.baton.proto.v1.CommandAck;
import dev.baton.proto.v1.Hello;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobUpdate;
import dev.baton.proto.v1.Welcome;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SDK's side of the agent protocol, message by message, against a scripted server. */
class AgentProtocolTest {

    private static final Duration SLOW_HEARTBEAT = Duration.ofSeconds(30);

    private ScriptedAgentServer server;
    private BatonAgent agent;

    @BeforeEach
    void startServer() throws Exception {
        server = ScriptedAgentServer.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (agent != null) {
            agent.close();
        }
        server.close();
    }

    private BatonAgent.Builder agentBuilder(JobHandler handler) {
        return BatonAgent.builder().server(server.target()).token("test-token").agentId("agent-1")
                         .name("Agent One").version("9.9").drainOnShutdown(false)
                         .metrics(HeartbeatMetrics.none()).handler(handler);
    }

    private Connection connect(JobHandler handler) throws InterruptedException {
        agent = agentBuilder(handler).build().start();
        Connection connection = server.nextConnection();
        assertThat(connection.next().hasHello()).isTrue();
        connection.welcome(SLOW_HEARTBEAT);
        return connection;
    }

    @Test
    void helloComesFirstWithIdentityCapabilitiesAndEngineId() throws Exception {
        agent = agentBuilder(job -> { }).slots(3).labels(Map.of("gpu", "true")).engineId("engine-7")
                                         .capabilities(Map.of("maxResolution", "1080p")).build().start();

        Hello hello = server.nextConnection().next().getHello();

        assertThat(hello.getToken()).isEqualTo("test-token");
        assertThat(hello.getAgentId()).isEqualTo("agent-1");
        assertThat(hello.getName()).isEqualTo("Agent One");
        assertThat(hello.getVersion()).isEqualTo("9.9");
        assertThat(hello.getCapabilities().getSlots()).isEqualTo(3);
        assertThat(hello.getCapabilities().getLabelsMap()).containsExactly(Map.entry("gpu", "true"));
        assertThat(hello.getCapabilities().getExtra().getFieldsOrThrow("maxResolution").getStringValue())
                .isEqualTo("1080p");
        assertThat(hello.getEngineId()).isEqualTo("engine-7");
        assertThat(hello.getDrain()).isFalse();
        assertThat(hello.getRunningJobsList()).isEmpty();
    }

    @Test
    void withoutAnAgentIdAnEngineAgentIsNamedAfterItsEngine() throws Exception {
        agent = BatonAgent.builder().server(server.target()).token("t").engineId("engine-9")
                          .drainOnShutdown(false).handler(job -> { }).build().start();

        assertThat(server.nextConnection().next().getHello().getAgentId()).isEqualTo("engine-9");
    }

    @Test
    void heartbeatsFollowTheWelcomeIntervalWithMetrics() throws Exception {
        agent = agentBuilder(job -> { })
                .metrics(HeartbeatMetrics.system().withCustom(() -> Map.of("queue", 4.0)))
                .build().start();
        Connection connection = server.nextConnection();
        connection.next();
        connection.welcome(Duration.ofMillis(50));

        // Metrics are collected off the event loop: the first heartbeats may go out without them.
        AgentMessage beat;
        int beats = 0;
        do {
            beat = connection.nextIncludingHeartbeats();
            assertThat(beat.hasHeartbeat()).isTrue();
            beats++;
        } while (!beat.getHeartbeat().hasMetrics() && beats < 1000);

        assertThat(beat.getHeartbeat().getMetrics().getCustomMap()).containsEntry("queue", 4.0);
        assertThat(beat.getHeartbeat().getMetrics().getMemoryBytes()).isPositive();
        assertThat(connection.nextIncludingHeartbeats().hasHeartbeat()).isTrue();
    }

    @Test
    void acceptedJobIsAckedThenRunningThenStoppedWithTheSameAttempt() throws Exception {
        Connection connection = connect(job -> job.running());

        connection.send(assign("job-1", 3, Map.of("x", 1)));

        AssignAck ack = connection.next().getAssignAck();
        assertThat(ack.getJobId()).isEqualTo("job-1");
        assertThat(ack.getAttempt()).isEqualTo(3);
        assertThat(ack.getAccepted()).isTrue();
        assertThat(update(connection)).extracting(JobUpdate::getStatus, JobUpdate::getAttempt)
                                       .containsExactly(Job.Status.RUNNING, 3);
        assertThat(update(connection)).extracting(JobUpdate::getStatus, JobUpdate::getAttempt)
                                       .containsExactly(Job.Status.STOPPED, 3);
    }

    @Test
    void handlerThatReportsNothingStillReportsRunningBeforeStopped() throws Exception {
        Connection connection = connect(job -> { });
        connection.send(assign("job-1", 1));

        assertThat(connection.next().getAssignAck().getAccepted()).isTrue();
        assertThat(update(connection).getStatus()).isEqualTo(Job.Status.RUNNING);
        assertThat(update(connection).getStatus()).isEqualTo(Job.Status.STOPPED);
    }

    @Test
    void throwingHandlerFailsTheJobWithItsMessageAndExitCode() throws Exception {
        Connection connection = connect(new JobHandler() {
            @Override
            public void run(JobContext job) {
                job.running();
                job.progress("framesPerSecond", 29.97);
                job.failed("encoder crashed", 3);
            }
        });
        connection.send(assign("job-1", 1));
        connection.next();

        assertThat(update(connection).getStatus()).isEqualTo(Job.Status.RUNNING);
        JobUpdate progress = update(connection);
        assertThat(progress.getStatus()).isEqualTo(Job.Status.RUNNING);
        assertThat(progress.getProgressMap()).containsEntry("framesPerSecond", 29.97);
        JobUpdate failed = update(connection);
        assertThat(failed.getStatus()).isEqualTo(Job.Status.FAILED);
        assertThat(failed.getError()).isEqualTo("encoder crashed");
        assertThat(failed.getExitCode()).isEqualTo(3);
    }

    @Test
    void exceptionFromRunFailsTheJob() throws Exception {
        Connection connection = connect(job -> {
            job.running();
            throw new IllegalStateException("disk full");
        });
        assignAndAwaitRunning(connection, "job-1", 1);

        JobUpdate failed = update(connection);
        assertThat(failed.getStatus()).isEqualTo(Job.Status.FAILED);
        assertThat(failed.getError()).isEqualTo("disk full");
        assertThat(failed.hasExitCode()).isFalse();
    }

    @Test
    void handlerRejectionIsSentWithItsReason() throws Exception {
        Connection connection = connect(new JobHandler() {
            @Override
            public AssignDecision accept(Assignment assignment) {
                return AssignDecision.reject("no GPU here");
            }

            @Override
            public void run(JobContext job) {
                throw new AssertionError("a rejected job must not run");
            }
        });

        connection.send(assign("job-1", 1));

        AssignAck ack = connection.next().getAssignAck();
        assertThat(ack.getAccepted()).isFalse();
        assertThat(ack.getReason()).isEqualTo("no GPU here");
    }

    @Test
    void assignBeyondTheSlotsIsRefused() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Connection connection = connect(job -> {
            job.running();
            release.await();
        });
        connection.send(assign("job-1", 1));
        assertThat(connection.next().getAssignAck().getAccepted()).isTrue();
        update(connection);

        connection.send(assign("job-2", 1));

        AssignAck second = connection.next().getAssignAck();
        assertThat(second.getJobId()).isEqualTo("job-2");
        assertThat(second.getAccepted()).isFalse();
        assertThat(second.getReason()).isEqualTo("no free slot (1 of 1 in use)");
        release.countDown();
    }

    @Test
    void stopInterruptsABlockingHandlerAcksAndReportsStopped() throws Exception {
        Connection connection = connect(job -> {
            job.running();
            new CountDownLatch(1).await(); // blocks until the stop's interrupt
        });
        connection.send(assign("job-1", 2));
        connection.next();
        assertThat(update(connection).getStatus()).isEqualTo(Job.Status.RUNNING);

        connection.send(stop("job-1", 2, Duration.ofSeconds(5), "corr-stop"));

        List<AgentMessage> answers = List.of(connection.next(), connection.next());
        assertThat(answers).anySatisfy(m -> assertThat(m.getCommandAck()).isEqualTo(
                CommandAck.newBuilder().setCorrelationId("corr-stop").setSuccess(true).build()));
        assertThat(answers).anySatisfy(m -> assertThat(m.getJobUpdate().getStatus())
                .isEqualTo(Job.Status.STOPPED));
    }

    @Test
    void killWhileAStopIsStillInProgressIsNotQueuedBehindIt() throws Exception {
        CountDownLatch stopEntered = new CountDownLatch(1);
        CountDownLatch releaseStop = new CountDownLatch(1);
        Connection connection = connect(new JobHandler() {
            @Override
            public void run(JobContext job) throws InterruptedException {
                job.running();
                new CountDownLatch(1).await();
            }

            @Override
            public void stop(JobContext job, Duration grace) {
                stopEntered.countDown();
                try {
                    releaseStop.await(); // a stop handler that hangs
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        assignAndAwaitRunning(connection, "job-1", 1);
        connection.send(stop("job-1", 1, Duration.ofSeconds(1), "corr-stop"));
        assertThat(stopEntered.await(10, TimeUnit.SECONDS)).isTrue();

        connection.send(kill("job-1", 1, "corr-kill"));

        List<AgentMessage> answers = List.of(connection.next(), connection.next());
        assertThat(answers).anySatisfy(m -> assertThat(m.getCommandAck().getCorrelationId()).isEqualTo("corr-kill"));
        assertThat(answers).anySatisfy(m -> assertThat(m.getJobUpdate().getStatus()).isEqualTo(Job.Status.STOPPED));
        releaseStop.countDown();
        assertThat(connection.next().getCommandAck().getCorrelationId()).isEqualTo("corr-stop");
    }

    @Test
    void muteAndUnmuteAreAcknowledgedWithTheirCorrelationIds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        JobContext[] context = new JobContext[1];
        Connection connection = connect(new JobHandler() {
            @Override
            public void run(JobContext job) throws InterruptedException {
                context[0] = job;
                job.running();
                release.await();
            }

            @Override
            public void mute(JobContext job) { }

            @Override
            public void unmute(JobContext job) {
                throw new CommandRejectedException("the encoder has no audio");
            }
        });
        assignAndAwaitRunning(connection, "job-1", 1);

        connection.send(mute("job-1", 1, "corr-mute"));
        assertThat(connection.next().getCommandAck())
                .isEqualTo(CommandAck.newBuilder().setCorrelationId("corr-mute").setSuccess(true).build());
        assertThat(context[0].muted()).isTrue();

        connection.send(unmute("job-1", 1, "corr-unmute"));
        CommandAck refused = connection.next().getCommandAck();
        assertThat(refused.getCorrelationId()).isEqualTo("corr-unmute");
        assertThat(refused.getSuccess()).isFalse();
        assertThat(refused.getError()).isEqualTo("the encoder has no audio");
        assertThat(context[0].muted()).isTrue();
        release.countDown();
    }

    @Test
    void commandsForAJobNotRunningHereAreAnsweredWithoutTheHandler() throws Exception {
        Connection connection = connect(job -> {
            throw new AssertionError("no job was assigned");
        });

        connection.send(stop("ghost", 1, Duration.ofSeconds(1), "c1"));
        connection.send(mute("ghost", 1, "c2"));

        assertThat(connection.next().getCommandAck())
                .isEqualTo(CommandAck.newBuilder().setCorrelationId("c1").setSuccess(true).build());
        CommandAck mute = connection.next().getCommandAck();
        assertThat(mute.getSuccess()).isFalse();
        assertThat(mute.getError()).isEqualTo("job ghost attempt 1 is not running on agent agent-1");
    }

    @Test
    void aSlowHandlerNeverDelaysHeartbeats() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        agent = agentBuilder(new JobHandler() {
            @Override
            public AssignDecision accept(Assignment assignment) {
                try {
                    release.await(); // a handler stuck deciding
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return AssignDecision.accept();
            }

            @Override
            public void run(JobContext job) { }
        }).build().start();
        Connection connection = server.nextConnection();
        connection.next();
        connection.welcome(Duration.ofMillis(50));
        connection.send(assign("job-1", 1));

        for (int i = 0; i < 5; i++) {
            assertThat(connection.nextIncludingHeartbeats().hasHeartbeat()).isTrue();
        }
        release.countDown();
    }

    @Test
    void reconnectListsRunningJobsAndDeliversAnEndThatHappenedWhileDisconnected() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        agent = agentBuilder(job -> {
            job.running();
            finish.await();
        }).reconnectPolicy(ReconnectPolicy.of(Duration.ofMillis(50), 1.6, 0.2, Duration.ofSeconds(1), 0))
          .build().start();
        Connection first = server.nextConnection();
        first.next();
        first.welcome(SLOW_HEARTBEAT);
        first.send(assign("job-1", 4));
        first.next();
        assertThat(update(first).getStatus()).isEqualTo(Job.Status.RUNNING);

        first.fail(Status.UNAVAILABLE.withDescription("server restarting"));
        Connection second = server.nextConnection();
        Hello hello = second.next().getHello();
        assertThat(hello.getRunningJobsList()).singleElement().satisfies(job -> {
            assertThat(job.getJobId()).isEqualTo("job-1");
            assertThat(job.getAttempt()).isEqualTo(4);
            assertThat(job.getStatus()).isEqualTo(Job.Status.RUNNING);
        });
        second.fail(Status.UNAVAILABLE.withDescription("still restarting"));

        finish.countDown(); // the job ends while no session is welcomed
        Await.until("agent disconnected", Duration.ofSeconds(5), () -> !agent.isConnected());

        Connection third = server.nextConnection();
        Hello again = third.next().getHello();
        assertThat(again.getRunningJobsList()).singleElement()
                .satisfies(job -> assertThat(job.getStatus()).isEqualTo(Job.Status.RUNNING));
        third.welcome(SLOW_HEARTBEAT);
        JobUpdate end = update(third);
        assertThat(end.getJobId()).isEqualTo("job-1");
        assertThat(end.getAttempt()).isEqualTo(4);
        assertThat(end.getStatus()).isEqualTo(Job.Status.STOPPED);
    }

    @Test
    void anEndSentJustBeforeTheServerWentAwayIsListedAndSentAgainUnlessTheServerHasIt() throws Exception {
        agent = agentBuilder(job -> job.running())
                .reconnectPolicy(ReconnectPolicy.of(Duration.ofMillis(50), 1.6, 0.2, Duration.ofSeconds(1), 0))
                .build().start();
        Connection first = server.nextConnection();
        first.next();
        first.welcome(SLOW_HEARTBEAT);
        first.send(assign("job-1", 2));
        first.next();
        assertThat(update(first).getStatus()).isEqualTo(Job.Status.RUNNING);
        assertThat(update(first).getStatus()).isEqualTo(Job.Status.STOPPED);

        // The server dies before storing that end: the next Hello lists it, and the end is sent again.
        first.fail(Status.UNAVAILABLE.withDescription("server restarting"));
        Connection second = server.nextConnection();
        assertThat(second.next().getHello().getRunningJobsList()).singleElement().satisfies(job -> {
            assertThat(job.getJobId()).isEqualTo("job-1");
            assertThat(job.getAttempt()).isEqualTo(2);
            assertThat(job.getStatus()).isEqualTo(Job.Status.STOPPED);
        });
        second.welcome(SLOW_HEARTBEAT);
        assertThat(update(second)).extracting(JobUpdate::getJobId, JobUpdate::getAttempt, JobUpdate::getStatus)
                                  .containsExactly("job-1", 2, Job.Status.STOPPED);

        // A server that has the end rejects it in its Welcome: the agent forgets it.
        second.fail(Status.UNAVAILABLE.withDescription("network break"));
        Connection third = server.nextConnection();
        assertThat(third.next().getHello().getRunningJobsList()).hasSize(1);
        third.welcome(Welcome.newBuilder().setSessionId("s3").setHeartbeatInterval(Durations.fromSeconds(30))
                             .addRejectedJobIds("job-1").build());
        third.expectSilence(Duration.ofMillis(300));
        third.fail(Status.UNAVAILABLE.withDescription("another break"));
        assertThat(server.nextConnection().next().getHello().getRunningJobsList()).isEmpty();
    }

    @Test
    void serverDrainRefusesNewJobsLetsRunningOnesFinishThenSaysGoodbye() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        Connection connection = connect(job -> {
            job.running();
            finish.await();
        });
        assignAndAwaitRunning(connection, "job-1", 1);

        connection.send(drain(true));
        connection.send(assign("job-2", 1));

        AssignAck refused = connection.next().getAssignAck();
        assertThat(refused.getAccepted()).isFalse();
        assertThat(refused.getReason()).isEqualTo("agent agent-1 is draining");
        finish.countDown();
        assertThat(update(connection).getStatus()).isEqualTo(Job.Status.STOPPED);
        assertThat(connection.next().getGoodbye().getReason()).isEqualTo("drained by the server");
        agent.whenTerminated().get(10, TimeUnit.SECONDS);
    }

    @Test
    void undrainPutsTheAgentBackInService() throws Exception {
        agent = agentBuilder(job -> job.running()).exitWhenDrained(false).build().start();
        Connection connection = server.nextConnection();
        connection.next();
        connection.welcome(SLOW_HEARTBEAT);

        connection.send(drain(true));
        connection.send(assign("job-1", 1));
        assertThat(connection.next().getAssignAck().getAccepted()).isFalse();
        connection.send(drain(false));
        connection.send(assign("job-2", 1));

        assertThat(connection.next().getAssignAck().getAccepted()).isTrue();
        assertThat(agent.whenTerminated()).isNotDone();
    }

    @Test
    void localDrainStopsJobsAfterItsTimeoutAndSaysGoodbye() throws Exception {
        Connection connection = connect(job -> {
            job.running();
            new CountDownLatch(1).await();
        });
        assignAndAwaitRunning(connection, "job-1", 1);

        agent.drain(Duration.ofMillis(100));

        assertThat(update(connection).getStatus()).isEqualTo(Job.Status.STOPPED);
        assertThat(connection.next().getGoodbye().getReason()).isEqualTo("agent drained");
        agent.whenTerminated().get(10, TimeUnit.SECONDS);
    }

    @Test
    void closeKillsJobsSaysGoodbyeAndLeavesNoAgentThread() throws Exception {
        Connection connection = connect(job -> {
            job.running();
            new CountDownLatch(1).await();
        });
        assignAndAwaitRunning(connection, "job-1", 1);

        agent.close();

        assertThat(update(connection).getStatus()).isEqualTo(Job.Status.STOPPED);
        assertThat(connection.next().getGoodbye().getReason()).isEqualTo("agent closed");
        // Netty completes its termination future from inside the event-loop thread, just before the
        // thread exits: join the agent's threads (bounded) rather than sample them at one instant.
        java.util.List<Thread> agentThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("baton-agent")
                                  || thread.getName().startsWith("baton-job"))
                .toList();
        for (Thread thread : agentThreads) {
            thread.join(5_000);
        }
        assertThat(agentThreads).filteredOn(Thread::isAlive).isEmpty();
    }

    /** Assigns a job whose handler reports RUNNING, and reads the ack and the RUNNING update. */
    private static void assignAndAwaitRunning(Connection connection, String jobId, int attempt)
            throws InterruptedException {
        connection.send(assign(jobId, attempt));
        assertThat(connection.next().getAssignAck().getAccepted()).isTrue();
        assertThat(update(connection).getStatus()).isEqualTo(Job.Status.RUNNING);
    }

    private static JobUpdate update(Connection connection) throws InterruptedException {
        AgentMessage message = connection.next();
        assertThat(message.hasJobUpdate()).as("expected a JobUpdate, got %s", message).isTrue();
        return message.getJobUpdate();
    }
}
