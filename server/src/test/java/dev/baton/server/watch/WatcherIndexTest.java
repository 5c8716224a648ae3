package dev.baton.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.proto.v1.WatchRequest;

class WatcherIndexTest {

    private final WatcherIndex index = new WatcherIndex();

    private static WatchEvent job(String id) {
        return WatchEvent.newBuilder().setKind(EntityKind.ENTITY_KIND_JOB).setJob(Job.newBuilder().setId(id)).build();
    }

    private static WatchEvent agent(String id) {
        return WatchEvent.newBuilder().setKind(EntityKind.ENTITY_KIND_AGENT).setAgent(Agent.newBuilder().setId(id))
                         .build();
    }

    private Recorder watch(WatchRequest.Builder request) {
        Recorder recorder = new Recorder(WatchFilter.of(request.build()));
        index.add(recorder);
        return recorder;
    }

    private void publish(WatchEvent event) {
        index.forEachMatching(event, watcher -> watcher.offer(event));
    }

    @Test
    void eachWatcherGetsExactlyTheEventsItsFilterMatches() {
        Recorder all = watch(WatchRequest.newBuilder());
        Recorder jobs = watch(WatchRequest.newBuilder().addKinds(EntityKind.ENTITY_KIND_JOB));
        Recorder j1 = watch(WatchRequest.newBuilder().addIds("j1").addIds("j2"));
        Recorder agentX = watch(WatchRequest.newBuilder().addKinds(EntityKind.ENTITY_KIND_AGENT).addIds("x"));
        List<WatchEvent> events = List.of(job("j1"), job("j2"), job("j3"), agent("x"), job("x"), agent("j1"));
        events.forEach(this::publish);
        for (Recorder recorder : List.of(all, jobs, j1, agentX)) {
            List<WatchEvent> expected = events.stream().filter(recorder.filter::matches).toList();
            assertThat(recorder.got).as(recorder.filter.toString()).isEqualTo(expected);
        }
        assertThat(j1.got).hasSize(3);
        assertThat(agentX.got).containsExactly(agent("x"));
    }

    @Test
    void aRemovedWatcherGetsNothingMoreAndEmptyBucketsGo() {
        Recorder j1 = watch(WatchRequest.newBuilder().addIds("j1"));
        Recorder jobs = watch(WatchRequest.newBuilder().addKinds(EntityKind.ENTITY_KIND_JOB));
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.remove(j1)).isTrue();
        assertThat(index.remove(j1)).isFalse();
        publish(job("j1"));
        assertThat(j1.got).isEmpty();
        assertThat(jobs.got).hasSize(1);
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void aWatcherWithoutFilterGetsEverything() {
        List<WatchEvent> got = new ArrayList<>();
        index.add(new WatchHub.Watcher() {
            @Override public boolean offer(WatchEvent event) { return got.add(event); }
            @Override public void overflowed(long lastDeliveredRevision) {}
        });
        publish(job("a"));
        publish(agent("b"));
        assertThat(got).hasSize(2);
    }

    private static final class Recorder implements WatchHub.Watcher {
        final WatchFilter filter;
        final List<WatchEvent> got = new ArrayList<>();

        Recorder(WatchFilter filter) {
            this.filter = filter;
        }

        @Override public WatchFilter filter() { return filter; }
        @Override public boolean offer(WatchEvent event) { return got.add(event); }
        @Override public void overflowed(long lastDeliveredRevision) {}
    }
}
