package dev.baton.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.GetAgentRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.RunningJob;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.StopJobRequest;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import io.grpc.Status;

/**
 * Faults on the agent side that the issue asks for by name: a stream cut between Assign and Ack, a
 * stream cut between Stop and the agent's confirmation, and an agent that stops answering (a paused
 * process) and comes back. Real gRPC over loopback; every timeout runs in virtual time.
 */
class AgentFaultTest {

    private TestBaton baton;

    @BeforeEach
    void start() {
        baton = TestBaton.start(b -> b.heartbeatTimeout(Duration.ofSeconds(10)).lostAfter(Duration.ofSeconds(60)));
    }

    @AfterEach
    void stop() {
        baton.close();
    }

    private String submit(String restartPolicy) {
        return baton.jobs().submitJob(SubmitJobRequest.newBuilder().setInlineConfig(Struct.getDefaultInstance())
                                                      .setRestartPolicy(restartPolicy).build()).getJob().getId();
    }

    private Agent agent(String id) {
        return baton.fleet().getAgent(GetAgentRequest.newBuilder().setId(id).build());
    }

    @Test
    void streamCutBetweenAssignAndAckRunsTheJobOnAnotherAgentExactlyOnce() {
        SimulatedAgent first = baton.agent("a1", 1);
        String jobId = submit("onFailure");
        Assign assign = first.nextAssign();
        assertThat(assign.getJobId()).isEqualTo(jobId);

        first.close();
        // The cut agent never acknowledged, so nothing can be running: the job is offered again at once.
        SimulatedAgent second = baton.agent("a2", 1);
        Assign retry = second.nextAssign();
        assertThat(retry.getJobId()).isEqualTo(jobId);
        assertThat(retry.getAttempt()).isGreaterThan(assign.getAttempt());
        second.ack(retry, true);
        second.update(jobId, retry.getAttempt(), Job.Status.RUNNING);

        Job running = baton.awaitStatus(jobId, Job.Status.RUNNING);
        assertThat(running.getAgentId()).isEqualTo("a2");
        assertThat(agent("a2").getJobIdsList()).containsExactly(jobId);
        // The first agent coming back with nothing running does not take the job back.
        SimulatedAgent returned = baton.agent("a1", 1);
        assertThat(returned.welcome().getRejectedJobIdsList()).isEmpty();
        baton.sync();
        assertThat(agent("a1").getJobIdsList()).isEmpty();
        assertThat(baton.job(jobId).getAgentId()).isEqualTo("a2");
    }

    @Test
    void streamCutBetweenStopAndConfirmationEndsStoppedWhenTheAgentReturnsWithoutTheJob() {
        SimulatedAgent a = baton.agent("a1", 1);
        String jobId = submit("always");
        a.acceptAndRun();
        baton.awaitStatus(jobId, Job.Status.RUNNING);

        Job stopping = baton.jobs().stopJob(StopJobRequest.newBuilder().setId(jobId).build());
        assertThat(stopping.getStatus()).isEqualTo(Job.Status.STOPPING);
        a.next(ServerMessage.MsgCase.STOP);
        a.close();
        baton.advance(Duration.ofSeconds(5));

        // The agent stopped the process and reconnects holding nothing: the stop that was asked for is done,
        // and ALWAYS does not restart a job the operator stopped.
        SimulatedAgent back = baton.agent("a1", 1);
        Job stopped = baton.awaitJob(jobId, "ended after the asked-for stop",
                                     j -> j.getStatus() == Job.Status.STOPPED || j.getStatus() == Job.Status.FAILED);
        assertThat(stopped.getStopRequested()).isTrue();
        baton.advanceKeepingAlive(Duration.ofSeconds(70), back);
        assertThat(back.drainInbox()).noneMatch(m -> m.getMsgCase() == ServerMessage.MsgCase.ASSIGN);
        assertThat(baton.job(jobId).getStatus()).isEqualTo(stopped.getStatus());
    }

    @Test
    void aPausedAgentIsTakenOfflineAndGetsItsJobBackWhenItReturnsInTime() {
        SimulatedAgent a = baton.agent("a1", 1);
        String jobId = submit("never");
        Assign assign = a.acceptAndRun();
        baton.awaitStatus(jobId, Job.Status.RUNNING);

        // Paused: no heartbeats. The server ends the stream and holds the job as UNKNOWN, not lost.
        baton.advance(Duration.ofSeconds(13));
        Status closed = a.awaitClosed();
        assertThat(closed.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(agent("a1").getState()).isEqualTo(Agent.State.OFFLINE);
        assertThat(baton.job(jobId).getStatus()).isEqualTo(Job.Status.UNKNOWN);

        // Resumed within LOST_AFTER: it reconnects reporting the job, which is RUNNING on it again.
        baton.advance(Duration.ofSeconds(20));
        SimulatedAgent resumed = baton.agent("a1", 1, Map.of(), RunningJob.newBuilder().setJobId(jobId)
                .setAttempt(assign.getAttempt()).setStatus(Job.Status.RUNNING).build());
        assertThat(resumed.welcome().getRejectedJobIdsList()).isEmpty();
        Job running = baton.awaitStatus(jobId, Job.Status.RUNNING);
        assertThat(running.getAgentId()).isEqualTo("a1");
        assertThat(running.getAttempt()).isEqualTo(assign.getAttempt());
        baton.advanceKeepingAlive(Duration.ofSeconds(61), resumed);
        assertThat(baton.job(jobId).getStatus()).isEqualTo(Job.Status.RUNNING);
    }
}
