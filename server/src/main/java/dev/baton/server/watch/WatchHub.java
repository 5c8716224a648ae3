package dev.baton.server.watch;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.server.control.ControlLoop;

/**
 * Gives every state change a revision (monotonic, gap-free) and fans it out to watchers.
 * Owned by the control loop: {@link #publish} runs there, so revisions follow the order in which
 * changes were applied. Recent events stay in a bounded ring buffer for resumes: the newest
 * {@value #FRESH_FRAMES} as frames, the older ones as bytes in a {@link FrameArchive}.
 *
 * <p>Revisions start at the server's start time in milliseconds times 1,000, not at 0: a client
 * that resumes across a server restart then always holds a revision that is older than anything
 * the new server buffered, and gets RESET and a snapshot instead of a replay of another server's
 * history that happens to use the same numbers. (It stays below 2^53, so JavaScript reads it
 * exactly, as long as the server averages fewer than a million events per second of its uptime.)
 */
public final class WatchHub {

    /** Receives events; must never block (it runs on the control loop). */
    public interface Watcher {
        /**
         * Offers an event that passed {@link #filter()}; false means the watcher's queue is full and
         * it must be cut off.
         */
        boolean offer(WatchEvent event);

        /**
         * Offers a published event together with its shared wire forms; watchers that send events to
         * clients keep the frame so that each form is encoded once for all of them.
         */
        default boolean offer(WatchFrame frame) {
            return offer(frame.event());
        }

        /** The events this watcher wants; null for all of them. Fixed for the watcher's lifetime. */
        default WatchFilter filter() {
            return null;
        }

        /** Called once when the hub cuts the watcher off because it fell behind. */
        void overflowed(long lastDeliveredRevision);

        /** A periodic BOOKMARK with the current revision; a watcher sends it only when idle. */
        default void bookmark(WatchFrame bookmark) {}
    }

    /** What a new watcher starts with: how it started (for logs) and its subscription. */
    public record Subscribed(WatchSubscription subscription, String start, int initialEvents) {}

    /**
     * How many of the newest frames keep their event. Live streams send a frame within moments of its
     * publication (its JSON, if a stream needs it, is made from the event); older buffered frames
     * serve resumes, which need only their bytes.
     */
    static final int FRESH_FRAMES = 256;
    /**
     * The most bytes the archived events may take: 10,000 job events are some 10 MiB, but jobs with
     * large configs must not make the ring hold hundreds. A resume from before what the ring still
     * holds gets RESET and a snapshot, as after any eviction.
     */
    static final int ARCHIVE_MAX_BYTES = 64 << 20;

    private final ControlLoop loop;
    /** The newest buffered frames, oldest first; older ones are in {@link #archive}. */
    private final ArrayDeque<WatchFrame> fresh = new ArrayDeque<>();
    private final FrameArchive archive = new FrameArchive(ARCHIVE_MAX_BYTES);
    private final WatcherIndex watchers = new WatcherIndex();
    private final List<SnapshotSource> snapshotSources = new CopyOnWriteArrayList<>();
    private final BookmarkTicker bookmarks;
    private volatile WatchSettings settings;
    private volatile long revision;

    public WatchHub(ControlLoop loop, int bufferSize) {
        this.loop = loop;
        this.settings = WatchSettings.builder().bufferSize(bufferSize).build();
        this.revision = loop.time().now().toEpochMilli() * 1000;
        this.bookmarks = new BookmarkTicker(loop, this);
    }

    /** The revision of the last published change (the start revision before any). */
    public long revision() {
        return revision;
    }

    public WatchSettings settings() {
        return settings;
    }

    /** Changes the bounds; a smaller buffer is trimmed at the next event, new queues apply to new watchers. */
    public void settings(WatchSettings settings) {
        this.settings = requireNonNull(settings, "settings");
    }

    /** Adds the state of one kind of entity to every snapshot (see {@link SnapshotSource}). */
    public void addSnapshotSource(SnapshotSource source) {
        snapshotSources.add(requireNonNull(source, "source"));
    }

    public void agentChanged(WatchEvent.Type type, Agent agent) {
        publish(WatchEvent.newBuilder().setType(type).setKind(EntityKind.ENTITY_KIND_AGENT).setAgent(agent));
    }

    public void jobChanged(WatchEvent.Type type, Job job) {
        publish(WatchEvent.newBuilder().setType(type).setKind(EntityKind.ENTITY_KIND_JOB).setJob(job));
    }

    public void engineChanged(WatchEvent.Type type, Engine engine) {
        publish(WatchEvent.newBuilder().setType(type).setKind(EntityKind.ENTITY_KIND_ENGINE).setEngine(engine));
    }

    public void poolChanged(WatchEvent.Type type, Pool pool) {
        publish(WatchEvent.newBuilder().setType(type).setKind(EntityKind.ENTITY_KIND_POOL).setPool(pool));
    }

    private void publish(WatchEvent.Builder builder) {
        WatchEvent event = builder.setRevision(++revision)
                                  .setTime(Timestamps.fromMillis(loop.time().now().toEpochMilli()))
                                  .build();
        WatchFrame frame = WatchFrame.of(event);
        fresh.addLast(frame);
        if (fresh.size() > FRESH_FRAMES) {
            WatchFrame older = fresh.removeFirst();
            archive.add(older);
            // Streams still holding it (a slow watcher's queue) keep the bytes, not the event's objects.
            older.compact();
        }
        int bufferSize = settings.bufferSize();
        while (archive.size() + fresh.size() > bufferSize) {
            if (archive.size() > 0) {
                archive.removeOldest();
            } else {
                fresh.removeFirst();
            }
        }
        watchers.forEachMatching(event, watcher -> {
            if (!watcher.offer(frame) && watchers.remove(watcher)) {
                watcher.overflowed(event.getRevision() - 1);
            }
        });
    }

    /**
     * Buffered events after {@code fromRevision}, or null when some of them were evicted (the caller
     * then needs a snapshot). Must run on the control loop, together with {@link #add}, so that no
     * event falls between the replay and the live feed.
     */
    public List<WatchFrame> eventsAfter(long fromRevision) {
        if (fromRevision > revision) {
            return null;
        }
        long oldestBuffered = archive.size() > 0 ? archive.oldestRevision()
                              : fresh.isEmpty() ? revision + 1 : fresh.peekFirst().revision();
        if (fromRevision + 1 < oldestBuffered && fromRevision < revision) {
            return null;
        }
        List<WatchFrame> result = new ArrayList<>();
        archive.framesAfter(fromRevision, result);
        for (WatchFrame frame : fresh) {
            if (frame.revision() > fromRevision) {
                result.add(frame);
            }
        }
        return result;
    }

    /**
     * Registers a watcher and builds what it sees first, in one control-loop command so that nothing
     * falls between the two: without {@code fromRevision} a snapshot and SNAPSHOT_END; with a
     * buffered one the events after it; with one that is evicted or in the future RESET, snapshot
     * and SNAPSHOT_END. Must run on the control loop.
     */
    public Subscribed subscribe(WatchFilter filter, Long fromRevision, Runnable wake) {
        List<WatchFrame> initial = new ArrayList<>();
        String start;
        List<WatchFrame> replay = fromRevision == null ? null : eventsAfter(fromRevision);
        if (replay != null) {
            start = "replay";
            for (WatchFrame frame : replay) {
                if (filter.matches(frame)) {
                    initial.add(frame);
                }
            }
        } else {
            start = fromRevision == null ? "snapshot" : "reset";
            if (fromRevision != null) {
                initial.add(WatchFrame.of(WatchEvents.marker(WatchEvent.Type.RESET, revision, loop.time().now())));
            }
            addSnapshot(filter, initial);
        }
        WatchSubscription subscription =
                new WatchSubscription(filter, settings.watcherQueueCapacity(), initial, wake);
        add(subscription);
        bookmarks.ensureRunning();
        return new Subscribed(subscription, start, initial.size());
    }

    private void addSnapshot(WatchFilter filter, List<WatchFrame> out) {
        Timestamp now = Timestamps.fromMillis(loop.time().now().toEpochMilli());
        for (SnapshotSource source : snapshotSources) {
            if (!filter.acceptsKind(source.kind())) {
                continue;
            }
            // Filtered before building: a watcher of ten jobs must not build an event for every job.
            source.frames(filter::acceptsId, revision, now).forEach(out::add);
        }
        out.add(WatchFrame.of(WatchEvents.marker(WatchEvent.Type.SNAPSHOT_END, revision, loop.time().now())));
    }

    /** Starts feeding {@code watcher} with every event published from now on. */
    public void add(Watcher watcher) {
        watchers.add(watcher);
    }

    public void remove(Watcher watcher) {
        watchers.remove(watcher);
    }

    public int watcherCount() {
        return watchers.size();
    }

    /** Offers a BOOKMARK with the current revision to every watcher (each decides whether it is idle). */
    void bookmarkWatchers() {
        WatchFrame bookmark = WatchFrame.of(WatchEvents.marker(WatchEvent.Type.BOOKMARK, revision, loop.time().now()));
        for (Watcher watcher : watchers.all()) {
            watcher.bookmark(bookmark);
        }
    }
}
