package dev.baton.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.GetAgentRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.proto.v1.ListJobsRequest;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.StopJobRequest;
import dev.baton.proto.v1.StreamMetadata;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.proto.v1.WatchRequest;
import dev.baton.proto.v1.WatchServiceGrpc;
import dev.baton.server.testing.Eventually;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestBaton;
import io.grpc.Status;

/**
 * The watch stream over real gRPC against one server in virtual time: snapshot, marker and live
 * events; resume by replay or by RESET; filters; bookmarks; gRPC-Web. Each test uses its own labels
 * so that its jobs go to its own agents only.
 */
class WatchStreamTest {

    private static TestBaton baton;

    @BeforeAll
    static void start() {
        baton = TestBaton.start();
    }

    @AfterAll
    static void stop() {
        baton.close();
    }

    @Test
    void snapshotOfCurrentStateThenMarkerThenGapFreeLiveEvents() {
        SimulatedAgent agent = baton.agent("snap-a", 2, Map.of("suite", "snap"));
        Job job = submit("snap", "snapshot job");
        Assign assign = agent.acceptAndRun();
        baton.awaitStatus(job.getId(), Job.Status.RUNNING);
        long revision = revision();

        try (WatchClient watch = WatchClient.open(baton.channel())) {
            List<WatchEvent> snapshot = watch.untilSnapshotEnd();
            WatchEvent end = snapshot.remove(snapshot.size() - 1);
            assertThat(end.getRevision()).isEqualTo(revision);
            assertThat(snapshot).allSatisfy(e -> {
                assertThat(e.getType()).isEqualTo(WatchEvent.Type.SNAPSHOT);
                assertThat(e.getRevision()).isEqualTo(revision);
            });
            assertThat(agentIn(snapshot, "snap-a").getState()).isEqualTo(Agent.State.RUNNING);
            assertThat(jobIn(snapshot, job.getId()).getStatus()).isEqualTo(Job.Status.RUNNING);
            assertThat(jobIn(snapshot, job.getId()).getMetadata().getTitle()).isEqualTo("snapshot job");

            SimulatedAgent second = baton.agent("snap-b", 1, Map.of("suite", "snap-other"));
            WatchEvent added = watch.nextChange();
            assertThat(added.getType()).isEqualTo(WatchEvent.Type.ADDED);
            assertThat(added.getRevision()).isEqualTo(revision + 1);
            assertThat(added.getAgent().getId()).isEqualTo("snap-b");

            baton.jobs().stopJob(StopJobRequest.newBuilder().setId(job.getId()).build());
            agent.next(ServerMessage.MsgCase.STOP);
            agent.update(job.getId(), assign.getAttempt(), Job.Status.STOPPED);
            long expected = revision + 2;
            Job last = null;
            while (last == null || last.getStatus() != Job.Status.STOPPED) {
                WatchEvent event = watch.nextChange();
                assertThat(event.getRevision()).as("gap-free revisions").isEqualTo(expected++);
                assertThat(event.getType()).isEqualTo(WatchEvent.Type.UPDATED);
                if (event.hasJob()) {
                    last = event.getJob();
                }
            }
            disconnect(second);
        }
        disconnect(agent);
    }

    @Test
    void subscribingWhileStateChangesLosesAndDuplicatesNothing() throws Exception {
        CompletableFuture<List<String>> submitted = CompletableFuture.supplyAsync(() -> {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ids.add(submit("nobody-has-this", "busy " + i).getId());
            }
            return ids;
        });
        int before = baton.jobs().listJobs(ListJobsRequest.newBuilder().setPageSize(1000).build()).getJobsCount();
        Eventually.await("some jobs submitted before subscribing", () -> baton.jobs()
                .listJobs(ListJobsRequest.newBuilder().setPageSize(1000).build()).getJobsCount(), n -> n >= before + 20);

        try (WatchClient watch = WatchClient.open(baton.channel())) {
            Map<String, Job> seen = new HashMap<>();
            List<WatchEvent> snapshot = watch.untilSnapshotEnd();
            long snapshotRevision = snapshot.get(snapshot.size() - 1).getRevision();
            snapshot.stream().filter(WatchEvent::hasJob).forEach(e -> seen.put(e.getJob().getId(), e.getJob()));

            List<String> ids = submitted.join();
            long finalRevision = revision();
            long previous = snapshotRevision;
            while (previous < finalRevision) {
                WatchEvent event = watch.nextChange();
                assertThat(event.getRevision()).as("right after the snapshot's revision, gap-free, once each")
                                               .isEqualTo(previous + 1);
                previous = event.getRevision();
                if (!event.hasJob()) {
                    continue;
                }
                assertThat(seen.containsKey(event.getJob().getId()))
                        .as("only a job the snapshot lacked is ADDED: %s", event.getJob().getId())
                        .isEqualTo(event.getType() != WatchEvent.Type.ADDED);
                seen.put(event.getJob().getId(), event.getJob());
            }
            assertThat(seen.keySet()).containsAll(ids);
            for (String id : ids) {
                assertThat(seen.get(id)).as("job %s as the watcher sees it", id).isEqualTo(baton.job(id));
            }
        }
    }

    @Test
    void resumeFromBufferedRevisionReplaysExactlyTheMissedEvents() {
        try (WatchClient live = WatchClient.open(baton.channel())) {
            long from = last(live.untilSnapshotEnd()).getRevision();
            for (int i = 0; i < 3; i++) {
                submit("resume", "missed " + i);
            }
            long now = settledRevision();
            List<WatchEvent> missed = readUpTo(live, now);
            assertThat(missed).isNotEmpty();

            try (WatchClient resumed = WatchClient.resume(baton.channel(), from)) {
                assertThat(readUpTo(resumed, now)).containsExactlyElementsOf(missed);
                Job more = submit("resume", "after the resume");
                WatchEvent next = resumed.nextChange();
                assertThat(next.getRevision()).isEqualTo(now + 1);
                assertThat(next.getJob().getId()).isEqualTo(more.getId());
            }
        }
    }

    @Test
    void resumeFromEvictedOrFutureRevisionGetsResetThenSnapshot() {
        WatchHub hub = baton.server().controlPlane().hub();
        WatchSettings before = hub.settings();
        hub.settings(before.toBuilder().bufferSize(4).build());
        try {
            long evicted = revision();
            Job job = null;
            for (int i = 0; i < 6; i++) {
                job = submit("evicted", "pushes the buffer " + i);
            }
            long now = settledRevision();
            for (long from : new long[] { evicted, now + 1_000 }) {
                try (WatchClient watch = WatchClient.resume(baton.channel(), from)) {
                    WatchEvent reset = watch.nextChange();
                    assertThat(reset.getType()).isEqualTo(WatchEvent.Type.RESET);
                    assertThat(reset.getRevision()).isEqualTo(now);
                    List<WatchEvent> snapshot = watch.untilSnapshotEnd();
                    assertThat(last(snapshot).getRevision()).isEqualTo(now);
                    assertThat(jobIn(snapshot, job.getId()).getMetadata().getTitle()).isEqualTo("pushes the buffer 5");
                }
            }
        } finally {
            hub.settings(before);
        }
    }

    @Test
    void filteredWatchSeesOnlyItsKindsAndIds() {
        Job other = submit("filter", "not watched");
        Job watched = submit("filter", "watched");
        WatchRequest request = WatchRequest.newBuilder().addKinds(EntityKind.ENTITY_KIND_JOB)
                                           .addIds(watched.getId()).build();
        try (WatchClient watch = WatchClient.open(baton.channel(), request)) {
            List<WatchEvent> snapshot = watch.untilSnapshotEnd();
            assertThat(snapshot).hasSize(2);
            assertThat(snapshot.get(0).getJob().getId()).isEqualTo(watched.getId());

            baton.jobs().stopJob(StopJobRequest.newBuilder().setId(other.getId()).build());
            baton.jobs().stopJob(StopJobRequest.newBuilder().setId(watched.getId()).build());
            WatchEvent first = watch.nextChange();
            assertThat(first.getJob().getId()).isEqualTo(watched.getId());
            assertThat(first.getJob().getStatus()).isEqualTo(Job.Status.CANCELED);
        }
    }

    @Test
    void idleStreamGetsBookmarksWithTheCurrentRevision() {
        try (WatchClient watch = WatchClient.open(baton.channel())) {
            watch.untilSnapshotEnd();
            // A stream gets a bookmark at the first tick after a whole tick interval without events.
            Duration interval = baton.server().controlPlane().hub().settings().bookmarkInterval();
            baton.advance(interval);
            baton.advance(interval);
            WatchEvent bookmark = watch.next();
            assertThat(bookmark.getType()).isEqualTo(WatchEvent.Type.BOOKMARK);
            assertThat(bookmark.getRevision()).isEqualTo(revision());
            assertThat(bookmark.hasTime()).isTrue();
        }
    }

    @Test
    void grpcWebClientGetsTheSameStream() {
        WatchServiceGrpc.WatchServiceStub web = GrpcClients.builder(baton.baseUrl())
                                                           .serializationFormat(GrpcSerializationFormats.PROTO_WEB)
                                                           .build(WatchServiceGrpc.WatchServiceStub.class);
        Job job = submit("web", "seen over grpc-web");
        try (WatchClient watch = WatchClient.open(web, WatchRequest.newBuilder().addIds(job.getId()).build())) {
            List<WatchEvent> snapshot = watch.untilSnapshotEnd();
            assertThat(jobIn(snapshot, job.getId()).getMetadata().getTitle()).isEqualTo("seen over grpc-web");
            assertThat(last(snapshot).getRevision()).isEqualTo(revision());
        }
    }

    @Test
    void unknownKindIsRefusedWithInvalidArgument() {
        WatchClient watch = WatchClient.open(baton.channel(), WatchRequest.newBuilder().addKindsValue(42).build());
        Status status = watch.awaitClosed();
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("kinds");
    }

    /** Says Goodbye and waits until the server has published the agent going offline. */
    private static void disconnect(SimulatedAgent agent) {
        agent.goodbye();
        Eventually.await("agent " + agent.id() + " offline",
                         () -> baton.fleet().getAgent(GetAgentRequest.newBuilder().setId(agent.id()).build()),
                         a -> a.getState() == Agent.State.OFFLINE);
        baton.sync();
    }

    private static Job submit(String suite, String title) {
        return baton.jobs().submitJob(SubmitJobRequest.newBuilder()
                .setInlineConfig(Struct.newBuilder().putFields("command", Value.newBuilder().setStringValue("run").build()))
                .setRequirements(JobRequirements.newBuilder().putLabels("suite", suite))
                .setMetadata(StreamMetadata.newBuilder().setTitle(title))
                .build()).getJob();
    }

    /** The hub's revision once everything queued on the control loop has run. */
    private static long revision() {
        WatchHub hub = baton.server().controlPlane().hub();
        return baton.server().controlPlane().loop().call(hub::revision).join();
    }

    /**
     * The revision once the loop has also run what the last submits queued: a submit is acknowledged
     * while the loop books it, and the scheduling pass it queues then may publish after a first read.
     */
    private static long settledRevision() {
        long previous;
        long current = revision();
        do {
            previous = current;
            current = revision();
        } while (current != previous);
        return current;
    }

    private static List<WatchEvent> readUpTo(WatchClient watch, long revision) {
        List<WatchEvent> events = new ArrayList<>();
        while (events.isEmpty() || last(events).getRevision() < revision) {
            events.add(watch.nextChange());
        }
        return events;
    }

    private static WatchEvent last(List<WatchEvent> events) {
        return events.get(events.size() - 1);
    }

    private static Agent agentIn(List<WatchEvent> events, String id) {
        return events.stream().filter(e -> e.hasAgent() && e.getAgent().getId().equals(id)).findFirst()
                     .orElseThrow(() -> new AssertionError("agent " + id + " not in " + events)).getAgent();
    }

    private static Job jobIn(List<WatchEvent> events, String id) {
        return events.stream().filter(e -> e.hasJob() && e.getJob().getId().equals(id)).findFirst()
                     .orElseThrow(() -> new AssertionError("job " + id + " not in " + events)).getJob();
    }
}
