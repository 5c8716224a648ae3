package dev.baton.server.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
 * changes were applied. Recent events stay in a bounded ring buffer for resumes.
 */
public final class WatchHub {

    /** Receives events; must never block (it runs on the control loop). */
    public interface Watcher {
        /** Offers an event; false means the watcher's queue is full and it must be cut off. */
        boolean offer(WatchEvent event);

        /** Called once when the hub cuts the watcher off because it fell behind. */
        void overflowed(long lastDeliveredRevision);
    }

    private final ControlLoop loop;
    private final int bufferSize;
    private final ArrayDeque<WatchEvent> buffer = new ArrayDeque<>();
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private long revision;

    public WatchHub(ControlLoop loop, int bufferSize) {
        this.loop = loop;
        this.bufferSize = bufferSize;
    }

    /** The revision of the last published change (0 before any). */
    public long revision() {
        return revision;
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
        buffer.addLast(event);
        if (buffer.size() > bufferSize) {
            buffer.removeFirst();
        }
        for (Watcher watcher : watchers) {
            if (!watcher.offer(event)) {
                watchers.remove(watcher);
                watcher.overflowed(event.getRevision() - 1);
            }
        }
    }

    /**
     * Buffered events after {@code fromRevision}, or null when some of them were evicted (the caller
     * then needs a snapshot). Must run on the control loop, together with {@link #add}, so that no
     * event falls between the replay and the live feed.
     */
    public List<WatchEvent> eventsAfter(long fromRevision) {
        if (fromRevision > revision) {
            return null;
        }
        long oldestBuffered = buffer.isEmpty() ? revision + 1 : buffer.peekFirst().getRevision();
        if (fromRevision + 1 < oldestBuffered && fromRevision < revision) {
            return null;
        }
        List<WatchEvent> result = new ArrayList<>();
        Iterator<WatchEvent> it = buffer.descendingIterator();
        while (it.hasNext()) {
            WatchEvent event = it.next();
            if (event.getRevision() <= fromRevision) {
                break;
            }
            result.add(event);
        }
        java.util.Collections.reverse(result);
        return result;
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
}
