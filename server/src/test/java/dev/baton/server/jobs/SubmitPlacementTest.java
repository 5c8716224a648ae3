package dev.baton.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.Struct;
import com.google.protobuf.util.Durations;

import io.grpc.Context;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.DrainAgentRequest;
import dev.baton.proto.v1.GetAgentRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobServiceGrpc;
import dev.baton.proto.v1.ListJobsRequest;
import dev.baton.proto.v1.RunningJob;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.SubmitJobResponse;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.proto.v1.WatchRequest;
import dev.baton.proto.v1.WatchServiceGrpc;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.store.SqliteStore;
import dev.baton.server.testing.Eventually;
import dev.baton.server.testing.FaultyStore;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import dev.baton.server.time.VirtualTimeSource;

/**
 * A job submitted while an agent is free is placed before it is stored: its first snapshot is
 * ASSIGNED, stored in the submit's own commit, and the Assign goes out once that commit is done.
 * The slot it takes meanwhile is given back if the commit fails, and an agent that leaves or comes
 * back during the commit is handled as for a job placed from the queue.
 */
class SubmitPlacementTest {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

    private static TestBaton start(Path dir, VirtualTimeSource time, FaultyStore[] store) {
        return TestBaton.start(dir, b -> b.ackTimeout(ACK_TIMEOUT).lostAfter(Duration.ofSeconds(60)), time,
                               c -> store[0] = new FaultyStore(new SqliteStore(c.dataDir())));
    }

    private static ListenableFuture<SubmitJobResponse> submitAsync(TestBaton baton) {
        return JobServiceGrpc.newFutureStub(baton.channel()).withDeadlineAfter(20, TimeUnit.SECONDS)
                .submitJob(SubmitJobRequest.newBuilder().setInlineConfig(Struct.getDefaultInstance()).build());
    }

    /** Submits while the store holds writes, and waits until the submit's write is the {@code n}th held. */
    private static ListenableFuture<SubmitJobResponse> submitHeld(TestBaton baton, FaultyStore store, int n) {
        ListenableFuture<SubmitJobResponse> submit = submitAsync(baton);
        Eventually.await("the submit's write is held", () -> store.heldCount() == n);
        return submit;
    }

    private static Agent agent(TestBaton baton, String id) {
        return baton.fleet().getAgent(GetAgentRequest.newBuilder().setId(id).build());
    }

    private static Job done(ListenableFuture<SubmitJobResponse> submit) throws Exception {
        return submit.get(20, TimeUnit.SECONDS).getJob();
    }

    /**
     * Job {@code jobId}, placed on a1 during its submit, is back in the queue with {@code why} as
     * its first attempt's reason, a1 holds nothing, and a new agent a2 gets it as attempt 2.
     */
    private static void backInTheQueueThenOnA2(TestBaton baton, String jobId, String why) {
        Job waiting = baton.awaitStatus(jobId, Job.Status.PENDING);
        assertThat(waiting.getAttempts(0).getAgentId()).isEqualTo("a1");
        assertThat(waiting.getAttempts(0).getReason()).contains(why);
        assertThat(agent(baton, "a1").getJobIdsList()).isEmpty();

        Assign assign = baton.agent("a2", 1).nextAssign();
        assertThat(assign.getJobId()).isEqualTo(jobId);
        assertThat(assign.getAttempt()).as("attempt 1 never went out").isEqualTo(2);
    }

    @Test
    void aJobSubmittedWhileAnAgentIsFreeIsStoredOnceAlreadyAssignedAndSurvivesARestart(@TempDir Path dir) throws Exception {
        VirtualTimeSource time = new VirtualTimeSource();
        FaultyStore[] store = new FaultyStore[1];
        String jobId;
        try (TestBaton baton = start(dir, time, store)) {
            SimulatedAgent agent = baton.agent("a1", 1);
            Context.CancellableContext watch = Context.current().withCancellation();
            Iterator<WatchEvent> events = watch.call(() -> WatchServiceGrpc.newBlockingStub(baton.channel())
                    .watch(WatchRequest.newBuilder().addKinds(EntityKind.ENTITY_KIND_JOB).build()));
            assertThat(events.next().getType()).isEqualTo(WatchEvent.Type.SNAPSHOT_END);
            Rest.Response response = new Rest(baton.baseUrl()).post("/v1/jobs", "{\"inlineConfig\": {}}");
            assertThat(response.status()).isEqualTo(201);
            assertThat(response.json().get("status").asText()).as("the submit answers with the job as accepted")
                                                             .isEqualTo("PENDING");
            jobId = response.json().get("id").asText();
            Assign assign = agent.nextAssign();
            assertThat(assign.getJobId()).isEqualTo(jobId);
            assertThat(assign.getAttempt()).isEqualTo(1);
            assertThat(store[0].snapshotsOf(jobId)).as("one write before the Assign, already ASSIGNED")
                                                   .containsExactly(Job.Status.ASSIGNED);
            WatchEvent added = events.next();
            WatchEvent updated = events.next();
            watch.cancel(null);
            assertThat(List.of(added.getType(), updated.getType()))
                    .containsExactly(WatchEvent.Type.ADDED, WatchEvent.Type.UPDATED);
            assertThat(List.of(added.getJob().getStatus(), updated.getJob().getStatus()))
                    .as("watchers see it added as PENDING, then ASSIGNED")
                    .containsExactly(Job.Status.PENDING, Job.Status.ASSIGNED);
            Job assigned = baton.job(jobId);
            assertThat(assigned.getStatus()).isEqualTo(Job.Status.ASSIGNED);
            assertThat(assigned.getAgentId()).isEqualTo("a1");
            assertThat(assigned.getAttemptsList()).singleElement().satisfies(a -> {
                assertThat(a.getAttempt()).isEqualTo(1);
                assertThat(a.getAgentId()).isEqualTo("a1");
                assertThat(a.getStatus()).isEqualTo(Job.Status.ASSIGNED);
            });
        }
        // The server died right after the Assign went out; the agent got it and runs attempt 1.
        try (TestBaton second = start(dir, time, store)) {
            assertThat(second.job(jobId).getStatus()).isEqualTo(Job.Status.ASSIGNED);
            SimulatedAgent back = second.agent("a1", 1, Map.of(), RunningJob.newBuilder().setJobId(jobId)
                    .setAttempt(1).setStatus(Job.Status.RUNNING).build());
            assertThat(back.welcome().getRejectedJobIdsList()).isEmpty();
            Job running = second.awaitStatus(jobId, Job.Status.RUNNING);
            assertThat(running.getAttempt()).as("not placed again").isEqualTo(1);
            assertThat(running.getAgentId()).isEqualTo("a1");
        }
    }

    @Test
    void aSubmitTheStoreRefusesLeavesNoJobAndGivesTheAgentsSlotBack(@TempDir Path dir) {
        FaultyStore[] store = new FaultyStore[1];
        try (TestBaton baton = start(dir, new VirtualTimeSource(), store)) {
            SimulatedAgent agent = baton.agent("a1", 1);
            store[0].fail("database or disk is full");
            Rest rest = new Rest(baton.baseUrl());
            Rest.Response refused = rest.post("/v1/jobs", "{\"inlineConfig\": {}}");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body()).contains("disk is full");
            store[0].fail(null);
            baton.sync();
            assertThat(baton.jobs().listJobs(ListJobsRequest.getDefaultInstance()).getJobsList()).isEmpty();
            assertThat(agent(baton, "a1").getFreeSlots()).isEqualTo(1);
            assertThat(agent(baton, "a1").getJobIdsList()).isEmpty();

            String next = rest.post("/v1/jobs", "{\"inlineConfig\": {}}").json().get("id").asText();
            assertThat(agent.nextAssign().getJobId()).isEqualTo(next);
        }
    }

    @Test
    void anAgentThatLeavesBeforeTheSubmitIsStoredGetsNothingAndTheJobGoesToTheNextAgent(@TempDir Path dir)
            throws Exception {
        FaultyStore[] store = new FaultyStore[1];
        try (TestBaton baton = start(dir, new VirtualTimeSource(), store)) {
            SimulatedAgent leaving = baton.agent("a1", 1);
            store[0].hold();
            ListenableFuture<SubmitJobResponse> submit = submitHeld(baton, store[0], 1);
            leaving.close();
            Eventually.await("a1 is offline", () -> agent(baton, "a1").getState() == Agent.State.OFFLINE);
            store[0].release();
            String jobId = done(submit).getId();

            backInTheQueueThenOnA2(baton, jobId, "agent a1 is gone");
        }
    }

    @Test
    void anAgentThatReconnectsBeforeTheSubmitIsStoredGetsTheJobAgainFromTheQueue(@TempDir Path dir) throws Exception {
        FaultyStore[] store = new FaultyStore[1];
        try (TestBaton baton = start(dir, new VirtualTimeSource(), store)) {
            SimulatedAgent old = baton.agent("a1", 1);
            store[0].hold();
            ListenableFuture<SubmitJobResponse> submit = submitHeld(baton, store[0], 1);
            old.close();
            SimulatedAgent back = baton.agent("a1", 1);
            store[0].release();
            String jobId = done(submit).getId();

            // Its new Hello may have changed what it can take: placed again, from the queue.
            Assign assign = back.nextAssign();
            assertThat(assign.getJobId()).isEqualTo(jobId);
            assertThat(assign.getAttempt()).as("attempt 1 never went out").isEqualTo(2);
            assertThat(baton.job(jobId).getAttempts(0).getReason()).contains("agent a1 reconnected");
            back.ack(assign, true);
            baton.awaitStatus(jobId, Job.Status.ACCEPTED);
            Agent a1 = agent(baton, "a1");
            assertThat(a1.getJobIdsList()).containsExactly(jobId);
            assertThat(a1.getFreeSlots()).as("its one slot is taken once, not twice or not at all").isZero();

            String next = new Rest(baton.baseUrl()).post("/v1/jobs", "{\"inlineConfig\": {}}").json().get("id").asText();
            Job waiting = baton.awaitJob(next, "waits with a reason", j -> !j.getStatusReason().isEmpty());
            assertThat(waiting.getStatus()).isEqualTo(Job.Status.PENDING);
            assertThat(back.drainInbox()).as("no second Assign for a full agent").isEmpty();
        }
    }

    @Test
    void anAgentDrainedBeforeTheSubmitIsStoredGetsNothingAndTheJobGoesToTheNextAgent(@TempDir Path dir)
            throws Exception {
        FaultyStore[] store = new FaultyStore[1];
        try (TestBaton baton = start(dir, new VirtualTimeSource(), store)) {
            SimulatedAgent drained = baton.agent("a1", 1);
            store[0].hold();
            ListenableFuture<SubmitJobResponse> submit = submitHeld(baton, store[0], 1);
            baton.fleet().drainAgent(DrainAgentRequest.newBuilder().setId("a1").setDrain(true)
                                                      .setDeadline(Durations.fromSeconds(0)).build());
            baton.sync();
            store[0].release();
            String jobId = done(submit).getId();

            backInTheQueueThenOnA2(baton, jobId, "agent a1 began draining");
            assertThat(drained.drainInbox()).extracting(ServerMessage::getMsgCase)
                                            .doesNotContain(ServerMessage.MsgCase.ASSIGN);
        }
    }

    @Test
    void aSubmitDoesNotOvertakeAnEarlierOneStillBeingStored(@TempDir Path dir) throws Exception {
        FaultyStore[] store = new FaultyStore[1];
        try (TestBaton baton = start(dir, new VirtualTimeSource(), store)) {
            store[0].hold();
            ListenableFuture<SubmitJobResponse> first = submitHeld(baton, store[0], 1);
            SimulatedAgent agent = baton.agent("a1", 1);
            // a1 is free and the queue is empty, but the first job is on its way into the queue.
            ListenableFuture<SubmitJobResponse> second = submitHeld(baton, store[0], 2);
            store[0].release();
            String firstId = done(first).getId();
            String secondId = done(second).getId();

            assertThat(agent.nextAssign().getJobId()).isEqualTo(firstId);
            assertThat(store[0].snapshotsOf(secondId)).as("stored PENDING, not placed at submit")
                                                      .startsWith(Job.Status.PENDING);
            assertThat(baton.awaitJob(secondId, "waits with a reason", j -> !j.getStatusReason().isEmpty())
                            .getStatus()).isEqualTo(Job.Status.PENDING);
        }
    }
}
