package dev.baton.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;

import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.GetAgentRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.proto.v1.JobUpdate;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.server.testing.Eventually;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;

/** Placement with several simulated agents over loopback. */
class SchedulingTest {

    private TestBaton baton;

    @BeforeEach
    void start() {
        baton = TestBaton.start(b -> b.ackTimeout(Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        baton.close();
    }

    private String submit(SubmitJobRequest.Builder request) {
        return baton.jobs().submitJob(request.setInlineConfig(Struct.getDefaultInstance()).build()).getJob().getId();
    }

    private String submit() {
        return submit(SubmitJobRequest.newBuilder());
    }

    @Test
    void anAgentRunsAtMostItsSlots() {
        SimulatedAgent a = baton.agent("a1", 2);
        String j1 = submit();
        String j2 = submit();
        String j3 = submit();
        a.acceptAndRun();
        a.acceptAndRun();
        baton.awaitStatus(j1, Job.Status.RUNNING);
        baton.awaitStatus(j2, Job.Status.RUNNING);
        Job waiting = baton.awaitJob(j3, "explains it waits", j -> j.getStatusReason().contains("busy"));
        assertThat(waiting.getStatus()).isEqualTo(Job.Status.PENDING);
        assertThat(a.poll(0)).isNull();

        a.update(j1, 1, Job.Status.STOPPED);
        assertThat(a.nextAssign().getJobId()).isEqualTo(j3);
    }

    @Test
    void theReasonOfJobsBehindAFullFleetFollowsTheFleet() {
        SimulatedAgent a = baton.agent("a", 1);
        String running = submit();
        a.acceptAndRun();
        baton.awaitStatus(running, Job.Status.RUNNING);
        String queued = submit();
        baton.awaitJob(queued, "explains it waits", j -> j.getStatusReason().equals(
                "all 1 matching agent is busy (1 free slot needed)"));

        baton.fleet().drainAgent(dev.baton.proto.v1.DrainAgentRequest.newBuilder().setId("a").setDrain(true).build());
        String later = submit();

        baton.awaitJob(queued, "the reason after the drain", j -> j.getStatusReason().equals(
                "all 1 matching agent is draining"));
        baton.awaitJob(later, "a job queued after the drain", j -> j.getStatusReason().equals(
                "all 1 matching agent is draining"));
    }

    @Test
    void aJobNeedingTwoSlotsGoesOnlyWhereTwoAreFree() {
        SimulatedAgent small = baton.agent("small", 1);
        SimulatedAgent big = baton.agent("big", 2);
        String wide = submit(SubmitJobRequest.newBuilder().setRequirements(JobRequirements.newBuilder().setSlots(2)));
        assertThat(big.nextAssign().getJobId()).isEqualTo(wide);
        assertThat(small.poll(0)).isNull();
    }

    @Test
    void labelsAreMatchedAndTheReasonNamesTheMissingLabel() {
        SimulatedAgent cpu = baton.agent("cpu", 1, Map.of("gpu", "false"));
        String gpuJob = submit(SubmitJobRequest.newBuilder()
                                       .setRequirements(JobRequirements.newBuilder().putLabels("gpu", "true")));
        Job waiting = baton.awaitJob(gpuJob, "has a reason", j -> j.getStatusReason().contains("gpu=true"));
        assertThat(waiting.getStatusReason())
                .isEqualTo("no connected agent has label gpu=true; 1 agent connected, 0 match");
        SimulatedAgent gpu = baton.agent("gpu", 1, Map.of("gpu", "true"));
        assertThat(gpu.nextAssign().getJobId()).isEqualTo(gpuJob);
        assertThat(cpu.poll(0)).isNull();
    }

    @Test
    void theLeastLoadedAgentGetsTheNextJob() {
        SimulatedAgent a = baton.agent("a", 4);
        String first = submit();
        assertThat(a.acceptAndRun().getJobId()).isEqualTo(first);
        SimulatedAgent b = baton.agent("b", 4);
        String second = submit();
        assertThat(b.nextAssign().getJobId()).isEqualTo(second);
    }

    @Test
    void higherPriorityFirstThenFifo() {
        String low1 = submit(SubmitJobRequest.newBuilder().setPriority(1));
        String high = submit(SubmitJobRequest.newBuilder().setPriority(9));
        String low2 = submit(SubmitJobRequest.newBuilder().setPriority(1));
        SimulatedAgent a = baton.agent("a", 1);
        Assign first = a.acceptAndRun();
        assertThat(first.getJobId()).isEqualTo(high);
        a.update(high, 1, Job.Status.STOPPED);
        Assign second = a.acceptAndRun();
        assertThat(second.getJobId()).isEqualTo(low1);
        a.update(low1, 1, Job.Status.STOPPED);
        assertThat(a.nextAssign().getJobId()).isEqualTo(low2);
    }

    @Test
    void ackTimeoutPutsTheJobBackAndAnotherAgentGetsTheNextAttempt() {
        SimulatedAgent silent = baton.agent("silent", 1);
        String jobId = submit();
        Assign first = silent.nextAssign();
        assertThat(first.getAttempt()).isEqualTo(1);
        SimulatedAgent other = baton.agent("other", 1);
        baton.advanceKeepingAlive(Duration.ofSeconds(6), silent, other);

        Assign second = other.nextAssign();
        assertThat(second.getJobId()).isEqualTo(jobId);
        assertThat(second.getAttempt()).isEqualTo(2);
        assertThat(silent.drainInbox()).noneMatch(m -> m.getMsgCase() == ServerMessage.MsgCase.ASSIGN);

        // The late ack of attempt 1 is stale: refused, and nothing changes.
        silent.ack(first, true);
        ServerMessage error = silent.next(ServerMessage.MsgCase.ERROR);
        assertThat(error.getError().getCode()).isEqualTo("STALE_ATTEMPT");
        other.ack(second, true);
        Job accepted = baton.awaitStatus(jobId, Job.Status.ACCEPTED);
        assertThat(accepted.getAgentId()).isEqualTo("other");
        assertThat(accepted.getAttemptsList()).hasSize(2);
        assertThat(accepted.getAttempts(0).getReason()).contains("did not acknowledge");
    }

    @Test
    void aRefusedAssignmentRecordsTheReasonAndGoesElsewhere() {
        SimulatedAgent picky = baton.agent("picky", 1);
        String jobId = submit();
        picky.ack(picky.nextAssign(), false);
        Job pending = baton.awaitJob(jobId, "back to pending", j -> j.getStatus() == Job.Status.PENDING);
        assertThat(pending.getAttempts(0).getReason()).contains("picky refused").contains("busy");
        SimulatedAgent willing = baton.agent("willing", 1);
        assertThat(willing.nextAssign().getAttempt()).isEqualTo(2);
    }

    @Test
    void drainedAgentsGetNoJobs() {
        SimulatedAgent a = baton.agent("a", 1);
        baton.fleet().drainAgent(dev.baton.proto.v1.DrainAgentRequest.newBuilder().setId("a").setDrain(true).build());
        String jobId = submit();
        baton.awaitJob(jobId, "explains draining", j -> j.getStatusReason().contains("draining"));
        assertThat(a.drainInbox()).noneMatch(m -> m.getMsgCase() == ServerMessage.MsgCase.ASSIGN);
    }

    @Test
    void runningAndStoppedBackToBackRightAfterTheAckLoseNothing() {
        SimulatedAgent a = baton.agent("a", 1);
        String jobId = submit();
        Assign assign = a.nextAssign();
        a.ack(assign, true);
        a.update(jobId, 1, Job.Status.RUNNING);
        a.send(AgentMessage.newBuilder().setJobUpdate(JobUpdate.newBuilder().setJobId(jobId).setAttempt(1)
                .setStatus(Job.Status.STOPPED).setExitCode(0)).build());
        Job done = baton.awaitStatus(jobId, Job.Status.STOPPED);
        assertThat(done.getStartedAt().getSeconds()).isPositive();
        assertThat(done.getEndedAt().getSeconds()).isPositive();
        Eventually.await("slot freed", () -> baton.fleet().getAgent(GetAgentRequest.newBuilder().setId("a").build())
                                                   .getFreeSlots() == 1);
    }

    @Test
    void updateForAJobTheAgentDoesNotHoldIsRefused() {
        SimulatedAgent a = baton.agent("a", 1);
        SimulatedAgent b = baton.agent("b", 1);
        String jobId = submit();
        SimulatedAgent holder = Eventually.await("assigned", () -> baton.job(jobId).getAgentId(), id -> !id.isEmpty())
                                          .equals("a") ? a : b;
        SimulatedAgent other = holder == a ? b : a;
        other.update(jobId, 1, Job.Status.RUNNING);
        assertThat(other.next(ServerMessage.MsgCase.ERROR).getError().getCode()).isEqualTo("STALE_ATTEMPT");
        other.update("nope", 1, Job.Status.RUNNING);
        assertThat(other.next(ServerMessage.MsgCase.ERROR).getError().getCode()).isEqualTo("UNKNOWN_JOB");
        assertThat(baton.job(jobId).getStatus()).isEqualTo(Job.Status.ASSIGNED);
    }
}
