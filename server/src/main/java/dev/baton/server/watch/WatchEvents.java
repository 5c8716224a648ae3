package dev.baton.server.watch;

import java.time.Instant;

import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.WatchEvent;

/** Small facts about events that every transport needs. */
public final class WatchEvents {

    private WatchEvents() {}

    /** The id of the event's entity (a pool's name); empty for markers. */
    public static String entityId(WatchEvent event) {
        return switch (event.getEntityCase()) {
            case AGENT -> event.getAgent().getId();
            case JOB -> event.getJob().getId();
            case ENGINE -> event.getEngine().getId();
            case POOL -> event.getPool().getName();
            case ENTITY_NOT_SET -> "";
        };
    }

    /**
     * True when a client that has seen this event may resume after its revision. SNAPSHOT and RESET
     * are not: a stream cut in the middle of a snapshot must not resume past the entities it missed.
     */
    public static boolean isResumePoint(WatchEvent event) {
        return isResumePoint(event.getType());
    }

    static boolean isResumePoint(WatchEvent.Type type) {
        return switch (type) {
            case ADDED, UPDATED, REMOVED, SNAPSHOT_END, BOOKMARK -> true;
            default -> false;
        };
    }

    static WatchEvent marker(WatchEvent.Type type, long revision, Instant time) {
        return WatchEvent.newBuilder()
                         .setType(type)
                         .setRevision(revision)
                         .setTime(Timestamps.fromMillis(time.toEpochMilli()))
                         .build();
    }
}
