package dev.baton.server.watch;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;

import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.WatchEvent;

/**
 * One event on its way to watch streams, with its wire forms encoded at most once and shared: a
 * published job event carries the whole Job (config, labels, attempts), and a thousand streams
 * encoding the same event a thousand times cost more than sending it. Each form is encoded by the
 * first stream that needs it, on that stream's thread; two streams racing encode the same bytes
 * twice, which is harmless, so there is no lock.
 *
 * <p>The hub's ring of recent events keeps older events for resumes, as bytes once a stream encoded
 * them ({@link FrameArchive}); a frame leaving its newest part is {@link #compact compacted}, so that
 * a stream still holding it keeps its encoded forms instead of the event's object graph. A
 * compacted frame parses its bytes again when something asks for the event (or for JSON no stream
 * made yet).
 */
public final class WatchFrame {

    /**
     * The JSON form (SSE data, gRPC-Web JSON): protobuf JSON, every field printed, zero values
     * included, as in the REST API.
     */
    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace()
                                                              .alwaysPrintFieldsWithNoPresence();

    private final long revision;
    private final WatchEvent.Type type;
    private final EntityKind kind;
    private final String entityId;
    /** Null once compacted; {@link #protobuf} is then set. */
    private volatile WatchEvent event;
    private volatile byte[] protobuf;
    private volatile String json;
    private volatile byte[] jsonUtf8;

    private WatchFrame(WatchEvent event) {
        this.event = event;
        this.revision = event.getRevision();
        this.type = event.getType();
        this.kind = event.getKind();
        this.entityId = WatchEvents.entityId(event);
    }

    private WatchFrame(long revision, WatchEvent.Type type, EntityKind kind, String entityId, byte[] protobuf) {
        this.revision = revision;
        this.type = type;
        this.kind = kind;
        this.entityId = entityId;
        this.protobuf = protobuf;
    }

    public static WatchFrame of(WatchEvent event) {
        return new WatchFrame(requireNonNull(event, "event"));
    }

    /**
     * A SNAPSHOT of a job given as its serialized bytes, encoded around them without parsing them: a
     * snapshot of every finished job must not parse them all on the control loop.
     */
    static WatchFrame jobSnapshot(String jobId, byte[] job, long revision, Timestamp time) {
        return new WatchFrame(revision, WatchEvent.Type.SNAPSHOT, EntityKind.ENTITY_KIND_JOB, jobId,
                              WatchEncoding.snapshotOfJob(job, revision, time));
    }

    /** A frame already compacted: its protobuf bytes and what a resume filters on (see {@link FrameArchive}). */
    static WatchFrame compacted(long revision, WatchEvent.Type type, EntityKind kind, String entityId, byte[] protobuf) {
        return new WatchFrame(revision, type, kind, entityId, protobuf);
    }

    /** The event; parsed from its bytes on each call once the frame is compacted. */
    public WatchEvent event() {
        WatchEvent current = event;
        if (current != null) {
            return current;
        }
        try {
            return WatchEvent.parseFrom(protobuf);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a compacted watch event does not parse: " + e.getMessage(), e);
        }
    }

    public long revision() {
        return revision;
    }

    WatchEvent.Type type() {
        return type;
    }

    /** The entity's kind (ENTITY_KIND_UNSPECIFIED for markers). */
    EntityKind kind() {
        return kind;
    }

    /** The entity's id (a pool's name); empty for markers. */
    String entityId() {
        return entityId;
    }

    /** See {@link WatchEvents#isResumePoint}. */
    public boolean isResumePoint() {
        return WatchEvents.isResumePoint(type);
    }

    /** The protobuf encoding of the event (gRPC, gRPC-Web). Callers must not change the array. */
    public byte[] protobuf() {
        byte[] bytes = protobuf;
        if (bytes == null) {
            WatchEvent current = event;
            if (current == null) {
                return protobuf; // compacted meanwhile, which published the bytes first
            }
            bytes = current.toByteArray();
            protobuf = bytes;
        }
        return bytes;
    }

    /** The protobuf bytes if a stream (or compaction) encoded them already, else null. Callers must not change the array. */
    byte[] encodedProtobuf() {
        return protobuf;
    }

    /** The event as protobuf JSON on one line (SSE data). */
    public String json() {
        String text = json;
        if (text == null) {
            try {
                text = JSON.print(event());
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("a WatchEvent that protobuf JSON cannot print: " + e.getMessage(), e);
            }
            json = text;
        }
        return text;
    }

    /** {@link #json()} as UTF-8 (gRPC-Web JSON). Callers must not change the array. */
    public byte[] jsonUtf8() {
        byte[] bytes = jsonUtf8;
        if (bytes == null) {
            bytes = json().getBytes(StandardCharsets.UTF_8);
            jsonUtf8 = bytes;
        }
        return bytes;
    }

    /**
     * Drops the event if a stream already encoded its protobuf bytes, keeping them and any JSON a
     * stream made: flat arrays, where the event was some fifty objects for the GC to trace and copy.
     * A frame no gRPC stream encoded keeps its event: encoding it here, on the control loop, cost a
     * third of the loop's time when nobody watched (dispatch at 2,000 jobs/s fell from 1,300 to 600
     * jobs/s). The bytes were published before the event is dropped, so a stream still reading the
     * frame finds one or the other.
     */
    void compact() {
        if (protobuf != null) {
            event = null;
        }
    }

    boolean isCompacted() {
        return event == null;
    }

    @Override
    public String toString() {
        return type + "@" + revision;
    }
}
