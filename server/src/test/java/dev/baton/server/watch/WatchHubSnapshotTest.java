package dev.baton.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.proto.v1.WatchRequest;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.time.VirtualTimeSource;

/**
 * A snapshot holds exactly what the filter selects, built without visiting sources of kinds the
 * watcher does not follow; live events reach subscriptions as shared frames.
 */
class WatchHubSnapshotTest {

    private final ControlLoop loop = new ControlLoop(new VirtualTimeSource());
    private final WatchHub hub = new WatchHub(loop, 100);
    private final AtomicInteger agentListings = new AtomicInteger();

    WatchHubSnapshotTest() {
        hub.addSnapshotSource(SnapshotSource.agents(() -> {
            agentListings.incrementAndGet();
            return Stream.of(Agent.newBuilder().setId("agent-1").build());
        }));
        hub.addSnapshotSource(SnapshotSource.jobs(() -> Stream.of("job-1", "job-2", "job-3")
                                                            .map(id -> Job.newBuilder().setId(id).build())));
    }

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    void snapshotOfNamedJobsHoldsOnlyThemAndNeverListsAgents() {
        WatchFilter filter = WatchFilter.of(WatchRequest.newBuilder().addKinds(EntityKind.ENTITY_KIND_JOB)
                                                        .addIds("job-2").addIds("agent-1").build());
        List<WatchEvent> initial = initial(subscribe(filter));
        assertThat(initial).extracting(WatchEvent::getType)
                           .containsExactly(WatchEvent.Type.SNAPSHOT, WatchEvent.Type.SNAPSHOT_END);
        assertThat(initial.get(0).getJob().getId()).isEqualTo("job-2");
        assertThat(agentListings).as("a job watcher never lists agents").hasValue(0);
    }

    @Test
    void unfilteredSnapshotHoldsEveryEntity() {
        List<WatchEvent> initial = initial(subscribe(WatchFilter.of(WatchRequest.getDefaultInstance())));
        assertThat(initial).hasSize(5);
        assertThat(initial).filteredOn(WatchEvent::hasJob).extracting(e -> e.getJob().getId())
                           .containsExactly("job-1", "job-2", "job-3");
        assertThat(agentListings).hasValue(1);
    }

    @Test
    void everyMatchingSubscriptionGetsTheSameFrame() {
        WatchFilter filter = WatchFilter.of(WatchRequest.newBuilder().addIds("job-1").build());
        WatchSubscription first = subscribe(filter);
        WatchSubscription second = subscribe(WatchFilter.of(WatchRequest.getDefaultInstance()));
        initial(first);
        initial(second);
        loop.call(() -> {
            hub.jobChanged(WatchEvent.Type.UPDATED, Job.newBuilder().setId("job-1").build());
            return null;
        }).join();
        WatchFrame frame = first.poll();
        assertThat(frame.event().getJob().getId()).isEqualTo("job-1");
        assertThat(second.poll()).isSameAs(frame);
        assertThat(loop.call(() -> hub.eventsAfter(frame.revision() - 1)).join()).containsExactly(frame);
    }

    @Test
    void aJobSourceCostlyToReadReadsOnlyTheNamedJobs() {
        AtomicInteger reads = new AtomicInteger();
        WatchHub jobsOnly = new WatchHub(loop, 100);
        jobsOnly.addSnapshotSource(SnapshotSource.jobs(() -> Stream.of("job-1", "job-2", "job-3"), id -> id, id -> {
            reads.incrementAndGet();
            return Job.newBuilder().setId(id).build();
        }, id -> null));
        WatchFilter filter = WatchFilter.of(WatchRequest.newBuilder().addIds("job-3").build());

        WatchSubscription subscription =
                loop.call(() -> jobsOnly.subscribe(filter, null, () -> { }).subscription()).join();

        assertThat(initial(subscription).get(0).getJob().getId()).isEqualTo("job-3");
        assertThat(reads).hasValue(1);
    }

    @Test
    void jobsGivenAsTheirBytesGoIntoTheSnapshotUnparsed() {
        Job stored = Job.newBuilder().setId("job-9").setStatus(Job.Status.STOPPED).putLabels("team", "a")
                        .setCreatedAt(Timestamps.fromMillis(1_700_000_000_123L)).build();
        AtomicInteger reads = new AtomicInteger();
        WatchHub jobsOnly = new WatchHub(loop, 100);
        jobsOnly.addSnapshotSource(SnapshotSource.jobs(() -> Stream.of(stored), Job::getId, job -> {
            reads.incrementAndGet();
            return job;
        }, Job::toByteArray));

        WatchSubscription subscription = loop.call(() -> jobsOnly.subscribe(
                WatchFilter.of(WatchRequest.getDefaultInstance()), null, () -> { }).subscription()).join();

        WatchEvent expected = WatchEvent.newBuilder().setType(WatchEvent.Type.SNAPSHOT)
                .setKind(EntityKind.ENTITY_KIND_JOB).setRevision(jobsOnly.revision())
                .setTime(Timestamps.fromMillis(loop.time().now().toEpochMilli())).setJob(stored).build();
        WatchFrame frame = subscription.poll();
        assertThat(frame.protobuf()).isEqualTo(expected.toByteArray());
        assertThat(frame.event()).isEqualTo(expected);
        assertThat(frame.json()).isEqualTo(WatchFrame.of(expected).json());
        assertThat(WatchFilter.of(WatchRequest.newBuilder().addIds("job-9").build()).matches(frame)).isTrue();
        assertThat(frame.isResumePoint()).as("a snapshot is no resume point").isFalse();
        assertThat(subscription.poll().event().getType()).isEqualTo(WatchEvent.Type.SNAPSHOT_END);
        assertThat(reads).as("never parsed to build the snapshot").hasValue(0);
    }

    private WatchSubscription subscribe(WatchFilter filter) {
        return loop.call(() -> hub.subscribe(filter, null, () -> { }).subscription()).join();
    }

    /** What the subscription starts with (its snapshot), up to SNAPSHOT_END. */
    private static List<WatchEvent> initial(WatchSubscription subscription) {
        List<WatchEvent> events = new ArrayList<>();
        WatchFrame frame;
        do {
            frame = subscription.poll();
            events.add(frame.event());
        } while (frame.event().getType() != WatchEvent.Type.SNAPSHOT_END);
        return events;
    }
}
