package dev.baton.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobAttempt;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.proto.v1.WatchRequest;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.time.VirtualTimeSource;

/**
 * The ring of recent events keeps all but the newest frames as their bytes once a stream encoded
 * them: a resume replays and filters them exactly as the events that were published. A frame no
 * stream encoded keeps its event (the loop does not encode for nobody).
 */
class WatchRingCompactionTest {

    private static final int PUBLISHED = WatchHub.FRESH_FRAMES + 20;

    private final ControlLoop loop = new ControlLoop(new VirtualTimeSource());
    private final WatchHub hub = new WatchHub(loop, 10_000);

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    void framesOlderThanTheFreshOnesKeepOnlyTheirBytes() {
        long start = hub.revision();
        publish();

        List<WatchFrame> buffered = loop.call(() -> hub.eventsAfter(start)).join();

        assertThat(buffered).hasSize(PUBLISHED);
        assertThat(buffered.subList(0, 20)).allMatch(WatchFrame::isCompacted);
        assertThat(buffered.subList(20, PUBLISHED)).noneMatch(WatchFrame::isCompacted);
    }

    @Test
    void framesNoStreamEncodedKeepTheirEvent() {
        long start = hub.revision();
        List<WatchEvent> published = publish(false);

        List<WatchFrame> buffered = loop.call(() -> hub.eventsAfter(start)).join();

        assertThat(buffered).hasSize(PUBLISHED).noneMatch(WatchFrame::isCompacted);
        assertThat(buffered).extracting(WatchFrame::event).containsExactlyElementsOf(published);
    }

    @Test
    void encodedAndUnencodedFramesReplayInOrder() {
        long start = hub.revision();
        List<WatchEvent> published = new ArrayList<>(publish(false));
        published.addAll(publish(true));

        List<WatchFrame> buffered = loop.call(() -> hub.eventsAfter(start)).join();

        assertThat(buffered).extracting(WatchFrame::event).containsExactlyElementsOf(published);
    }

    @Test
    void theRingKeepsItsBufferSizeAcrossTheFreshFramesAndTheArchive() {
        hub.settings(WatchSettings.builder().bufferSize(WatchHub.FRESH_FRAMES + 5).build());
        long start = hub.revision();
        List<WatchEvent> published = publish();

        assertThat(loop.call(() -> hub.eventsAfter(start)).join()).as("the oldest 15 were evicted").isNull();
        List<WatchFrame> buffered = loop.call(() -> hub.eventsAfter(start + 15)).join();
        assertThat(buffered).extracting(WatchFrame::event).containsExactlyElementsOf(published.subList(15, PUBLISHED));
    }

    @Test
    void aResumeReplaysCompactedFramesAsThePublishedEvents() {
        long start = hub.revision();
        List<WatchEvent> published = publish();
        WatchFilter filter = WatchFilter.of(WatchRequest.newBuilder().addKinds(EntityKind.ENTITY_KIND_JOB)
                                                        .addIds("job-3").addIds("job-7").build());

        WatchSubscription resumed = loop.call(() -> hub.subscribe(filter, start, () -> { }).subscription()).join();

        List<WatchEvent> expected = published.stream().filter(filter::matches).toList();
        List<WatchFrame> replayed = new ArrayList<>();
        for (WatchFrame frame = resumed.poll(); frame != null; frame = resumed.poll()) {
            replayed.add(frame);
        }
        assertThat(replayed).extracting(WatchFrame::event).containsExactlyElementsOf(expected);
        assertThat(replayed.get(0).isCompacted()).isTrue();
        for (int i = 0; i < expected.size(); i++) {
            WatchFrame frame = replayed.get(i);
            assertThat(frame.protobuf()).isEqualTo(expected.get(i).toByteArray());
            assertThat(frame.json()).isEqualTo(WatchFrame.of(expected.get(i)).json());
            assertThat(frame.revision()).isEqualTo(expected.get(i).getRevision());
            assertThat(frame.isResumePoint()).isTrue();
        }
    }

    @Test
    void aFrameCompactedWhileAStreamStillHoldsItSendsTheSameForms() {
        WatchSubscription slow = loop.call(() -> hub.subscribe(WatchFilter.of(WatchRequest.getDefaultInstance()),
                                                               null, () -> { }).subscription()).join();
        assertThat(slow.poll().event().getType()).isEqualTo(WatchEvent.Type.SNAPSHOT_END);
        List<WatchEvent> published = publish();

        WatchFrame first = slow.poll();

        assertThat(first.isCompacted()).isTrue();
        assertThat(first.event()).isEqualTo(published.get(0));
        assertThat(first.protobuf()).isEqualTo(published.get(0).toByteArray());
        assertThat(first.jsonUtf8()).isEqualTo(WatchFrame.of(published.get(0)).jsonUtf8());
    }

    private List<WatchEvent> publish() {
        return publish(true);
    }

    /**
     * Publishes {@link #PUBLISHED} job events over ten job ids; returns them as a watcher received them.
     * With {@code encode} the watcher encodes each frame's protobuf bytes, as a gRPC stream does.
     */
    private List<WatchEvent> publish(boolean encode) {
        List<WatchEvent> received = new ArrayList<>();
        WatchHub.Watcher recorder = new WatchHub.Watcher() {
            @Override
            public boolean offer(WatchEvent event) {
                return received.add(event);
            }

            @Override
            public boolean offer(WatchFrame frame) {
                if (encode) {
                    frame.protobuf();
                }
                return offer(frame.event());
            }

            @Override
            public void overflowed(long lastDeliveredRevision) {}
        };
        loop.call(() -> {
            hub.add(recorder);
            for (int i = 0; i < PUBLISHED; i++) {
                hub.jobChanged(WatchEvent.Type.UPDATED, job("job-" + i % 10, i));
            }
            hub.remove(recorder);
            return null;
        }).join();
        return received;
    }

    private static Job job(String id, int step) {
        return Job.newBuilder().setId(id).setStatus(Job.Status.RUNNING).putLabels("team", "a")
                  .setCreatedAt(Timestamps.fromMillis(1_700_000_000_000L + step))
                  .setConfig(Struct.newBuilder().putFields("step", Value.newBuilder().setNumberValue(step).build()))
                  .addAttempts(JobAttempt.newBuilder().setAttempt(1).setAgentId("a1")
                                         .setAssignedAt(Timestamps.fromMillis(1_700_000_000_000L)))
                  .build();
    }
}
