package dev.baton.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.DrainAgentRequest;
import dev.baton.proto.v1.GetAgentRequest;
import dev.baton.proto.v1.Heartbeat;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.ListAgentsRequest;
import dev.baton.proto.v1.RunningJob;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.server.testing.Eventually;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import io.grpc.Status;

/** The agent stream against a real server over loopback; timeouts run in virtual time. */
class AgentStreamTest {

    private TestBaton baton;

    @BeforeEach
    void start() {
        baton = TestBaton.start(b -> b.heartbeatTimeout(Duration.ofSeconds(10)).lostAfter(Duration.ofSeconds(60)));
    }

    @AfterEach
    void stop() {
        baton.close();
    }

    private Agent agent(String id) {
        return baton.fleet().getAgent(GetAgentRequest.newBuilder().setId(id).build());
    }

    private String submit() {
        return baton.jobs().submitJob(SubmitJobRequest.newBuilder().setInlineConfig(Struct.getDefaultInstance())
                                                      .build()).getJob().getId();
    }

    @Test
    void welcomeCarriesTheServersTimings() {
        SimulatedAgent a = baton.agent("a1", 1);
        assertThat(a.welcome().getSessionId()).isNotEmpty();
        assertThat(a.welcome().getHeartbeatInterval().getSeconds()).isEqualTo(3);
        assertThat(a.welcome().getHeartbeatTimeout().getSeconds()).isEqualTo(10);
        assertThat(a.welcome().getStopGrace().getSeconds()).isEqualTo(10);
        assertThat(a.welcome().getKillAfter().getSeconds()).isEqualTo(5);
        assertThat(agent("a1").getState()).isEqualTo(Agent.State.IDLE);
    }

    @Test
    void badTokenIsUnauthenticatedAndRegistersNothing() {
        SimulatedAgent intruder = SimulatedAgent.open(baton.channel(), "intruder");
        intruder.send(AgentMessage.newBuilder().setHello(SimulatedAgent.hello("wrong", "intruder", 1, Map.of())).build());
        Status status = intruder.awaitClosed();
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).contains("invalid agent token");
        assertThat(baton.fleet().listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsList()).isEmpty();
    }

    @Test
    void messageBeforeHelloAndSecondHelloAreRefusedAndOtherAgentsCarryOn() {
        SimulatedAgent bystander = baton.agent("bystander", 1);

        SimulatedAgent early = SimulatedAgent.open(baton.channel(), "early");
        early.send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
        Status beforeHello = early.awaitClosed();
        assertThat(beforeHello.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(beforeHello.getDescription()).contains("expected Hello as the first message").contains("HEARTBEAT");

        SimulatedAgent twice = baton.agent("twice", 1);
        twice.send(AgentMessage.newBuilder().setHello(SimulatedAgent.hello(TestBaton.TOKEN, "twice", 1, Map.of())).build());
        Status secondHello = twice.awaitClosed();
        assertThat(secondHello.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(secondHello.getDescription()).contains("second Hello");
        Eventually.await("twice is offline", () -> agent("twice").getState() == Agent.State.OFFLINE);

        String jobId = submit();
        Assign assign = bystander.acceptAndRun();
        assertThat(assign.getJobId()).isEqualTo(jobId);
        baton.awaitStatus(jobId, Job.Status.RUNNING);
        assertThat(bystander.isClosed()).isFalse();
    }

    @Test
    void supersededSessionIsClosedAndCannotChangeState() {
        SimulatedAgent first = baton.agent("a1", 1);
        String jobId = submit();
        Assign assign = first.nextAssign();

        SimulatedAgent second = baton.agent("a1", 1);
        Status closed = first.awaitClosed();
        assertThat(closed.getCode()).isEqualTo(Status.Code.ABORTED);
        assertThat(closed.getDescription()).contains("superseded");

        // The old session's ack arrives after the new Hello: fenced off, ignored.
        first.ack(assign, true);
        first.update(assign.getJobId(), assign.getAttempt(), Job.Status.RUNNING);
        baton.sync();
        assertThat(baton.job(jobId).getStatus()).isNotEqualTo(Job.Status.RUNNING);
        assertThat(agent("a1").getSessionId()).isEqualTo(second.welcome().getSessionId());
    }

    @Test
    void heartbeatTimeoutMarksAgentOfflineAndItsRunningJobUnknown() {
        SimulatedAgent a = baton.agent("a1", 1);
        String jobId = submit();
        a.acceptAndRun();
        baton.awaitStatus(jobId, Job.Status.RUNNING);

        baton.advance(Duration.ofSeconds(13));

        Status closed = a.awaitClosed();
        assertThat(closed.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(closed.getDescription()).contains("HEARTBEAT_TIMEOUT_MS");
        assertThat(agent("a1").getState()).isEqualTo(Agent.State.OFFLINE);
        Job job = baton.job(jobId);
        assertThat(job.getStatus()).isEqualTo(Job.Status.UNKNOWN);
        assertThat(job.getStatusReason()).contains("a1").contains("offline");
    }

    @Test
    void heartbeatsKeepAnAgentOnline() {
        SimulatedAgent a = baton.agent("a1", 1);
        for (int i = 0; i < 10; i++) {
            a.heartbeat();
            baton.sync();
            Eventually.await("heartbeat seen", () -> agent("a1").getHeartbeatAge().getSeconds() == 0);
            baton.advance(Duration.ofSeconds(3));
        }
        assertThat(agent("a1").getState()).isEqualTo(Agent.State.IDLE);
        assertThat(a.isClosed()).isFalse();
    }

    @Test
    void reconnectWithinTheWindowGetsTheJobBackAsRunningAndTheAgentIsNotIdle() {
        SimulatedAgent a = baton.agent("a1", 2);
        String jobId = submit();
        Assign assign = a.acceptAndRun();
        baton.awaitStatus(jobId, Job.Status.RUNNING);
        a.close();
        baton.awaitStatus(jobId, Job.Status.UNKNOWN);
        baton.advance(Duration.ofSeconds(30));

        SimulatedAgent back = baton.agent("a1", 2, Map.of(), RunningJob.newBuilder().setJobId(jobId)
                .setAttempt(assign.getAttempt()).setStatus(Job.Status.RUNNING).build());
        assertThat(back.welcome().getRejectedJobIdsList()).isEmpty();
        Job job = baton.awaitStatus(jobId, Job.Status.RUNNING);
        assertThat(job.getAgentId()).isEqualTo("a1");
        Agent agent = agent("a1");
        assertThat(agent.getState()).isEqualTo(Agent.State.RUNNING);
        assertThat(agent.getFreeSlots()).isEqualTo(1);
        assertThat(agent.getJobIdsList()).containsExactly(jobId);

        baton.advanceKeepingAlive(Duration.ofSeconds(61), back);
        assertThat(baton.job(jobId).getStatus()).isEqualTo(Job.Status.RUNNING);
    }

    @Test
    void reconnectAfterTheWindowFindsTheRestartPolicyApplied() {
        SimulatedAgent a = baton.agent("a1", 1);
        String jobId = submit();
        Assign assign = a.acceptAndRun();
        baton.awaitStatus(jobId, Job.Status.RUNNING);
        a.close();
        baton.awaitStatus(jobId, Job.Status.UNKNOWN);

        baton.advance(Duration.ofSeconds(61));
        Job failed = baton.awaitStatus(jobId, Job.Status.FAILED);
        assertThat(failed.getFailureReason()).contains("did not return within 60s").contains("NEVER");

        SimulatedAgent late = baton.agent("a1", 1, Map.of(), RunningJob.newBuilder().setJobId(jobId)
                .setAttempt(assign.getAttempt()).setStatus(Job.Status.RUNNING).build());
        assertThat(late.welcome().getRejectedJobIdsList()).containsExactly(jobId);
        ServerMessage stop = late.next(ServerMessage.MsgCase.STOP);
        assertThat(stop.getStop().getJobId()).isEqualTo(jobId);
        assertThat(agent("a1").getState()).isEqualTo(Agent.State.IDLE);
    }

    @Test
    void unknownJobReportedInHelloIsAnsweredWithStop() {
        SimulatedAgent a = baton.agent("a1", 1, Map.of(), RunningJob.newBuilder().setJobId("ghost").setAttempt(1)
                .setStatus(Job.Status.RUNNING).build());
        assertThat(a.welcome().getRejectedJobIdsList()).containsExactly("ghost");
        assertThat(a.next(ServerMessage.MsgCase.STOP).getStop().getReason()).contains("unknown job");
    }

    @Test
    void aHelloCanAskForDrain() {
        SimulatedAgent a = SimulatedAgent.open(baton.channel(), "leaving");
        a.send(AgentMessage.newBuilder().setHello(SimulatedAgent.hello(TestBaton.TOKEN, "leaving", 1, Map.of())
                                                                .toBuilder().setDrain(true)).build());
        a.next(ServerMessage.MsgCase.WELCOME);
        Eventually.await("leaving is DRAINING", () -> agent("leaving").getState() == Agent.State.DRAINING);

        // The agent's own drain is not sticky: its next heartbeat (or Hello) can withdraw it.
        a.send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setDrain(false)).build());
        Eventually.await("leaving is IDLE", () -> agent("leaving").getState() == Agent.State.IDLE);
        a.send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setDrain(true)).build());
        Eventually.await("leaving drains again", () -> agent("leaving").getState() == Agent.State.DRAINING);
        String jobId = submit();
        baton.awaitJob(jobId, "waits, naming the drain", j -> j.getStatusReason().contains("draining"));
    }

    @Test
    void aPerAgentTokenOnlyWorksForItsOwnAgentId() {
        try (TestBaton strict = TestBaton.start(b -> b.perAgentTokens(Map.of("edge-1", "edge-secret")))) {
            SimulatedAgent own = SimulatedAgent.connect(strict.channel(), "edge-secret", "edge-1", 1, Map.of());
            assertThat(own.welcome().getSessionId()).isNotEmpty();

            SimulatedAgent impostor = SimulatedAgent.open(strict.channel(), "edge-2");
            impostor.send(AgentMessage.newBuilder().setHello(SimulatedAgent.hello("edge-secret", "edge-2", 1, Map.of()))
                                      .build());
            assertThat(impostor.awaitClosed().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);

            SimulatedAgent shared = SimulatedAgent.open(strict.channel(), "edge-1b");
            shared.send(AgentMessage.newBuilder().setHello(SimulatedAgent.hello(TestBaton.TOKEN, "edge-1", 1, Map.of()))
                                    .build());
            assertThat(shared.awaitClosed().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
    }

    @Test
    void goodbyeMarksTheAgentOfflineAtOnceAndAnIdleOfflineAgentIsForgottenAfterTheRetention() {
        SimulatedAgent a = baton.agent("a1", 1);
        a.goodbye();
        Eventually.await("a1 offline", () -> agent("a1").getState() == Agent.State.OFFLINE);
        baton.advance(Duration.ofMinutes(59));
        assertThat(agent("a1").getState()).isEqualTo(Agent.State.OFFLINE);
        baton.advance(Duration.ofMinutes(2));
        assertThat(baton.fleet().listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsList()).isEmpty();
    }

    @Test
    void drainAndUndrainOverRestAndGrpcReachTheAgent() {
        SimulatedAgent a = baton.agent("a1", 1);
        Rest rest = new Rest(baton.baseUrl());

        Rest.Response drained = rest.post("/v1/agents/a1/drain", "{\"drain\": true}");
        assertThat(drained.status()).isEqualTo(200);
        assertThat(drained.json().get("drain").asBoolean()).isTrue();
        assertThat(drained.json().get("state").asText()).isEqualTo("DRAINING");
        assertThat(a.next(ServerMessage.MsgCase.DRAIN).getDrain().getDrain()).isTrue();

        String jobId = submit();
        baton.sync();
        assertThat(baton.job(jobId).getStatus()).isEqualTo(Job.Status.PENDING);
        Eventually.await("reason names draining", () -> baton.job(jobId).getStatusReason().contains("draining"));

        Agent undrained = baton.fleet().drainAgent(DrainAgentRequest.newBuilder().setId("a1").setDrain(false).build());
        assertThat(undrained.getDrain()).isFalse();
        assertThat(a.next(ServerMessage.MsgCase.DRAIN).getDrain().getDrain()).isFalse();
        assertThat(a.nextAssign().getJobId()).isEqualTo(jobId);

        assertThat(rest.post("/v1/agents/nobody/drain", "{\"drain\": true}").status()).isEqualTo(404);
    }

    @Test
    void drainDeadlineStopsJobsStillRunning() {
        SimulatedAgent a = baton.agent("a1", 1);
        String jobId = submit();
        a.acceptAndRun();
        baton.awaitStatus(jobId, Job.Status.RUNNING);
        baton.fleet().drainAgent(DrainAgentRequest.newBuilder().setId("a1").setDrain(true)
                .setDeadline(com.google.protobuf.Duration.newBuilder().setSeconds(30)).build());
        assertThat(a.next(ServerMessage.MsgCase.DRAIN).getDrain().hasDeadline()).isTrue();
        assertThat(agent("a1").getState()).isEqualTo(Agent.State.RUNNING);
        baton.advanceKeepingAlive(Duration.ofSeconds(31), a);
        assertThat(a.next(ServerMessage.MsgCase.STOP).getStop().getJobId()).isEqualTo(jobId);
        a.update(jobId, 1, Job.Status.STOPPED);
        baton.awaitStatus(jobId, Job.Status.STOPPED);
        Eventually.await("a1 draining", () -> agent("a1").getState() == Agent.State.DRAINING);
    }

    @Test
    void agentsListFiltersByStateAndLabelAndPaginates() {
        baton.agent("gpu-1", 1, Map.of("gpu", "true"));
        baton.agent("cpu-1", 1, Map.of("gpu", "false"));
        baton.agent("cpu-2", 1, Map.of("gpu", "false"));
        var gpus = baton.fleet().listAgents(ListAgentsRequest.newBuilder().setLabelSelector("gpu=true").build());
        assertThat(gpus.getAgentsList()).extracting(Agent::getId).containsExactly("gpu-1");
        var page1 = baton.fleet().listAgents(ListAgentsRequest.newBuilder().setPageSize(2).build());
        assertThat(page1.getAgentsList()).extracting(Agent::getId).containsExactly("cpu-1", "cpu-2");
        var page2 = baton.fleet().listAgents(ListAgentsRequest.newBuilder().setPageSize(2)
                                                 .setPageToken(page1.getNextPageToken()).build());
        assertThat(page2.getAgentsList()).extracting(Agent::getId).containsExactly("gpu-1");
        assertThat(page2.getNextPageToken()).isEmpty();
        var idle = baton.fleet().listAgents(ListAgentsRequest.newBuilder().addState(Agent.State.IDLE).build());
        assertThat(idle.getAgentsCount()).isEqualTo(3);
    }
}
