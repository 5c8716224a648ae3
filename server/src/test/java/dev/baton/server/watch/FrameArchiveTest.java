package dev.baton.server.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.WatchEvent;

/**
 * The archive keeps frames as bytes in one array that wraps around, grows up to its bound and then
 * drops the oldest frames; whatever it went through, a resume reads back exactly the frames added.
 */
class FrameArchiveTest {

    @Test
    void framesAfterARevisionComeBackAsTheyWereAddedOldestFirst() {
        FrameArchive archive = new FrameArchive(1 << 20);
        List<WatchFrame> added = add(archive, 1, 40, 100);

        List<WatchFrame> after = framesAfter(archive, 30);

        assertSameFrames(after, added.subList(30, 40));
        assertThat(after).allMatch(WatchFrame::isCompacted);
        assertThat(archive.oldestRevision()).isEqualTo(1);
    }

    @Test
    void aResumeFromAnyRevisionGetsExactlyTheFramesAfterItAcrossTheIndexWrap() {
        FrameArchive archive = new FrameArchive(1 << 20);
        List<WatchFrame> added = new ArrayList<>(add(archive, 1, 12, 50));
        for (int i = 0; i < 10; i++) {
            archive.removeOldest();
        }
        // The index holds 16 entries: frames 13..26 go into the slots the removed ones left.
        added.addAll(add(archive, 13, 26, 50));
        List<WatchFrame> held = added.subList(10, added.size());

        for (long revision = 0; revision <= 30; revision++) {
            long after = revision;
            assertSameFrames(framesAfter(archive, revision),
                             held.stream().filter(frame -> frame.revision() > after).toList());
        }
    }

    @Test
    void theArrayGrowsByDoublingWhileUnderItsBoundAndKeepsEveryFrame() {
        FrameArchive archive = new FrameArchive(8 * FrameArchive.INITIAL_BYTES);
        // About 3 MiB of frames: the array grows from 1 MiB twice, copying what it holds.
        List<WatchFrame> added = add(archive, 1, 3_000, 1_000);

        assertThat(archive.size()).isEqualTo(3_000);
        assertSameFrames(framesAfter(archive, 0), added);
    }

    @Test
    void atItsBoundTheOldestFramesMakeRoomAndTheRestStayInOrderAcrossTheWrap() {
        int bound = FrameArchive.INITIAL_BYTES;
        FrameArchive archive = new FrameArchive(bound);
        // Frames of varying sizes, several times the bound: the write position wraps many times.
        List<WatchFrame> added = new ArrayList<>();
        for (int revision = 1; revision <= 5_000; revision++) {
            added.addAll(add(archive, revision, revision, 200 + (revision * 37) % 900));
            assertThat(archive.bytesUsed()).isLessThanOrEqualTo(bound);
        }

        List<WatchFrame> kept = framesAfter(archive, 0);

        assertThat(kept.size()).isLessThan(5_000).isGreaterThan(bound / 1_200);
        assertSameFrames(kept, added.subList(added.size() - kept.size(), added.size()));
        assertThat(archive.oldestRevision()).isEqualTo(kept.get(0).revision());
    }

    @Test
    void unencodedFramesAmongEncodedOnesLeaveInOrderWhenTheBytesRunOut() {
        int bound = FrameArchive.INITIAL_BYTES;
        FrameArchive archive = new FrameArchive(bound);
        List<WatchFrame> added = new ArrayList<>();
        for (int revision = 1; revision <= 4_000; revision++) {
            WatchFrame frame = WatchFrame.of(event(revision, "job-" + revision % 7, 300 + (revision * 53) % 700));
            if (revision % 3 != 0 && revision % 500 >= 50) {
                frame.protobuf();
            }
            archive.add(frame);
            added.add(frame);
            assertThat(archive.bytesUsed()).isLessThanOrEqualTo(bound);
        }

        List<WatchFrame> kept = framesAfter(archive, 0);

        assertThat(kept.size()).isLessThan(4_000);
        assertSameFrames(kept, added.subList(added.size() - kept.size(), added.size()));
    }

    @Test
    void removingTheOldestKeepsTheRestAndAnEmptyArchiveStartsOver() {
        FrameArchive archive = new FrameArchive(1 << 20);
        List<WatchFrame> added = add(archive, 1, 10, 100);

        for (int i = 0; i < 4; i++) {
            archive.removeOldest();
        }
        assertSameFrames(framesAfter(archive, 0), added.subList(4, 10));

        for (int i = 0; i < 6; i++) {
            archive.removeOldest();
        }
        assertThat(archive.size()).isZero();
        List<WatchFrame> again = add(archive, 11, 12, 100);
        assertSameFrames(framesAfter(archive, 0), again);
    }

    @Test
    void aFrameLargerThanTheBoundEmptiesTheArchiveSoThatNoRevisionIsSkipped() {
        FrameArchive archive = new FrameArchive(10_000);
        add(archive, 1, 5, 100);

        add(archive, 6, 6, 20_000);

        assertThat(archive.size()).isZero();
        List<WatchFrame> next = add(archive, 7, 7, 100);
        assertSameFrames(framesAfter(archive, 0), next);
    }

    @Test
    void aFrameNoStreamEncodedIsKeptAsItIsBetweenEncodedOnes() {
        FrameArchive archive = new FrameArchive(1 << 20);
        List<WatchFrame> added = new ArrayList<>(add(archive, 1, 3, 100));
        WatchFrame unencoded = WatchFrame.of(event(4, "job-4", 50));
        archive.add(unencoded);
        added.add(unencoded);
        added.addAll(add(archive, 5, 6, 100));

        List<WatchFrame> kept = framesAfter(archive, 0);

        assertThat(kept.get(3)).isSameAs(unencoded);
        assertThat(unencoded.encodedProtobuf()).as("not encoded by the archive").isNull();
        assertSameFrames(kept, added);
    }

    @Test
    void aBoundBelowOneByteIsRefused() {
        assertThatThrownBy(() -> new FrameArchive(0)).isInstanceOf(IllegalArgumentException.class)
                                                     .hasMessageContaining("maxBytes: 0");
    }

    /** Adds frames with revisions {@code from..to}, each job event about {@code configBytes} long. */
    private static List<WatchFrame> add(FrameArchive archive, long from, long to, int configBytes) {
        List<WatchFrame> added = new ArrayList<>();
        for (long revision = from; revision <= to; revision++) {
            WatchFrame frame = WatchFrame.of(event(revision, "job-" + revision % 7, configBytes));
            frame.protobuf();
            archive.add(frame);
            added.add(frame);
        }
        return added;
    }

    private static List<WatchFrame> framesAfter(FrameArchive archive, long revision) {
        List<WatchFrame> out = new ArrayList<>();
        archive.framesAfter(revision, out);
        return out;
    }

    private static void assertSameFrames(List<WatchFrame> actual, List<WatchFrame> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            WatchFrame a = actual.get(i);
            WatchFrame e = expected.get(i);
            assertThat(a.revision()).isEqualTo(e.revision());
            assertThat(a.type()).isEqualTo(e.type());
            assertThat(a.kind()).isEqualTo(e.kind());
            assertThat(a.entityId()).isEqualTo(e.entityId());
            assertThat(a.protobuf()).isEqualTo(e.protobuf());
            assertThat(a.event()).isEqualTo(e.event());
        }
    }

    private static WatchEvent event(long revision, String jobId, int configBytes) {
        Job job = Job.newBuilder().setId(jobId).setStatus(Job.Status.RUNNING).setStatusReason("x".repeat(configBytes)).build();
        return WatchEvent.newBuilder().setRevision(revision).setType(WatchEvent.Type.UPDATED)
                         .setKind(EntityKind.ENTITY_KIND_JOB).setTime(Timestamps.fromMillis(revision)).setJob(job)
                         .build();
    }
}
