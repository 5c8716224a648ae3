package dev.baton.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.RunningJob;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.StopJobRequest;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.store.SqliteStore;
import dev.baton.server.testing.FaultyStore;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import dev.baton.server.time.VirtualTimeSource;

/**
 * An agent is told to run an attempt only once the store holds it, so a server that dies right
 * after an Assign finds the attempt on restart and gives it back to the agent that runs it,
 * instead of placing the job a second time.
 */
class AssignmentDurabilityTest {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration LOST_AFTER = Duration.ofSeconds(60);

    private static void settings(BatonConfig.Builder b) {
        b.ackTimeout(ACK_TIMEOUT).lostAfter(LOST_AFTER);
    }

    private static TestBaton start(Path dir, VirtualTimeSource time, FaultyStore[] store) {
        return TestBaton.start(dir, AssignmentDurabilityTest::settings, time,
                               c -> store[0] = new FaultyStore(new SqliteStore(c.dataDir())));
    }

    private static String submit(TestBaton baton) {
        return new Rest(baton.baseUrl()).post("/v1/jobs", "{\"inlineConfig\": {}}").json().get("id").asText();
    }

    /**
     * Agent a1 takes a new job; then the store starts failing, as if the process were about to die,
     * and the agent acks and reports {@code reports}: memory has them, the store never gets them.
     */
    private static Assign assignedThenUnstored(TestBaton baton, FaultyStore store, Job.Status... reports) {
        SimulatedAgent agent = baton.agent("a1", 1);
        String jobId = submit(baton);
        Assign assign = agent.nextAssign();
        store.fail("the process is about to die");
        if (reports.length > 0) {
            agent.ack(assign, true);
            for (Job.Status status : reports) {
                agent.update(jobId, assign.getAttempt(), status);
            }
            baton.awaitStatus(jobId, reports[reports.length - 1]);
        }
        return assign;
    }

    /** Agent a1 back, its Hello listing {@code assign}'s attempt at {@code status}. */
    private static SimulatedAgent returning(TestBaton baton, Assign assign, Job.Status status) {
        return baton.agent("a1", 1, Map.of(), RunningJob.newBuilder().setJobId(assign.getJobId())
                .setAttempt(assign.getAttempt()).setStatus(status).build());
    }

    @Test
    void noAssignGoesOutForAnAssignmentTheStoreRefused(@TempDir Path dir) {
        FaultyStore[] store = new FaultyStore[1];
        try (TestBaton baton = start(dir, new VirtualTimeSource(), store)) {
            String jobId = submit(baton);
            store[0].fail("database or disk is full");
            SimulatedAgent agent = baton.agent("a1", 1);
            // It waits although a1 has room, and says why.
            Job waiting = baton.awaitJob(jobId, "back in the queue, passing over a1",
                                         j -> j.getStatus() == Job.Status.PENDING && j.getAttempt() == 1
                                              && j.getStatusReason().startsWith("agent a1 passed over until "));
            assertThat(waiting.getAttempts(0).getReason()).contains("could not be stored").contains("disk is full");
            assertThat(waiting.getStatusReason()).contains("could not be stored");

            store[0].fail(null);
            baton.advance(ACK_TIMEOUT);
            Assign first = agent.nextAssign();
            assertThat(first.getAttempt()).as("attempt 1 was never sent").isEqualTo(2);
            agent.ack(first, true);
            baton.awaitStatus(jobId, Job.Status.ACCEPTED);
        }
    }

    @Test
    void aStopWhileTheAssignmentIsBeingStoredCancelsTheJobAndNothingIsSent(@TempDir Path dir) {
        FaultyStore[] store = new FaultyStore[1];
        try (TestBaton baton = start(dir, new VirtualTimeSource(), store)) {
            String stopped = submit(baton);
            store[0].hold();
            SimulatedAgent agent = baton.agent("a1", 1);
            baton.awaitStatus(stopped, Job.Status.ASSIGNED);
            Job canceled = baton.jobs().stopJob(StopJobRequest.newBuilder().setId(stopped).build());
            assertThat(canceled.getStatus()).isEqualTo(Job.Status.CANCELED);
            store[0].release();

            String next = submit(baton);
            Assign assign = agent.nextAssign();
            assertThat(assign.getJobId()).as("the stopped job's Assign was never sent").isEqualTo(next);
        }
    }

    @Test
    void anAttemptWhoseAckWasNotStoredStaysWithItsAgentAcrossARestart(@TempDir Path dir) {
        VirtualTimeSource time = new VirtualTimeSource();
        FaultyStore[] store = new FaultyStore[1];
        Assign assign;
        try (TestBaton first = start(dir, time, store)) {
            // The server dies before the ack and RUNNING reach the store (they are written behind).
            assign = assignedThenUnstored(first, store[0], Job.Status.RUNNING);
        }
        String jobId = assign.getJobId();
        try (TestBaton second = start(dir, time, store)) {
            Job stored = second.job(jobId);
            assertThat(stored.getStatus()).isEqualTo(Job.Status.ASSIGNED);
            assertThat(stored.getAttempt()).isEqualTo(assign.getAttempt());

            SimulatedAgent back = returning(second, assign, Job.Status.RUNNING);
            assertThat(back.welcome().getRejectedJobIdsList()).isEmpty();
            Job running = second.awaitStatus(jobId, Job.Status.RUNNING);
            assertThat(running.getAttempt()).isEqualTo(assign.getAttempt());
            assertThat(running.getAgentId()).isEqualTo("a1");

            back.update(jobId, assign.getAttempt(), Job.Status.STOPPED);
            second.awaitStatus(jobId, Job.Status.STOPPED);
            assertThat(back.drainInbox()).extracting(ServerMessage::getMsgCase)
                                         .doesNotContain(ServerMessage.MsgCase.STOP, ServerMessage.MsgCase.ASSIGN);
        }
    }

    @Test
    void anEndTheStoreDidNotGetBeforeARestartIsTakenFromTheAgentsHello(@TempDir Path dir) {
        VirtualTimeSource time = new VirtualTimeSource();
        FaultyStore[] store = new FaultyStore[1];
        Assign assign;
        try (TestBaton first = start(dir, time, store)) {
            assign = assignedThenUnstored(first, store[0], Job.Status.RUNNING, Job.Status.STOPPED);
        }
        String jobId = assign.getJobId();
        try (TestBaton second = start(dir, time, store)) {
            assertThat(second.job(jobId).getStatus()).isEqualTo(Job.Status.ASSIGNED);
            // The agent lists the job it ended a moment ago, and sends its end again after the Welcome.
            SimulatedAgent back = returning(second, assign, Job.Status.STOPPED);
            assertThat(back.welcome().getRejectedJobIdsList()).isEmpty();
            back.update(jobId, assign.getAttempt(), Job.Status.STOPPED);
            Job stopped = second.awaitStatus(jobId, Job.Status.STOPPED);
            assertThat(stopped.getAttempt()).as("not placed again").isEqualTo(assign.getAttempt());

            String next = submit(second);
            assertThat(back.nextAssign().getJobId()).as("no Stop or Assign of the ended job came first")
                                                    .isEqualTo(next);
        }
    }

    @Test
    void anEndTheServerHasIsRejectedFromAHelloWithoutAStop(@TempDir Path dir) {
        try (TestBaton baton = TestBaton.start(dir, AssignmentDurabilityTest::settings, new VirtualTimeSource())) {
            SimulatedAgent agent = baton.agent("a1", 1);
            String jobId = submit(baton);
            Assign assign = agent.acceptAndRun();
            agent.update(jobId, assign.getAttempt(), Job.Status.STOPPED);
            baton.awaitStatus(jobId, Job.Status.STOPPED);
            agent.close();

            SimulatedAgent back = returning(baton, assign, Job.Status.STOPPED);
            assertThat(back.welcome().getRejectedJobIdsList()).containsExactly(jobId);
            String next = submit(baton);
            assertThat(back.nextAssign().getJobId()).as("no Stop came before it, and the slot is free")
                                                    .isEqualTo(next);
        }
    }

    @Test
    void anAssignmentWhoseAgentDoesNotReturnAfterARestartGoesBackToTheQueue(@TempDir Path dir) {
        VirtualTimeSource time = new VirtualTimeSource();
        FaultyStore[] store = new FaultyStore[1];
        String jobId;
        try (TestBaton first = start(dir, time, store)) {
            jobId = assignedThenUnstored(first, store[0]).getJobId();
        }
        try (TestBaton second = start(dir, time, store)) {
            assertThat(second.job(jobId).getStatus()).isEqualTo(Job.Status.ASSIGNED);
            second.advance(LOST_AFTER);
            Job waiting = second.awaitStatus(jobId, Job.Status.PENDING);
            assertThat(waiting.getAttempts(0).getReason()).contains("agent a1").contains("within 60s");

            SimulatedAgent other = second.agent("a2", 1);
            assertThat(other.nextAssign().getAttempt()).isEqualTo(2);
        }
    }
}
