package dev.baton.server.watch;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import dev.baton.proto.v1.WatchEvent;

/**
 * One watcher's events between the control loop and its transport. The loop offers live events
 * (never blocking: a full queue means the watcher is cut off); the transport polls when it can
 * send. The initial events (snapshot or replay) are already built and shared, so they sit outside
 * the bound: a large snapshot must not count as falling behind.
 */
public final class WatchSubscription implements WatchHub.Watcher {

    private final WatchFilter filter;
    private final int capacity;
    private final Runnable wake;
    private final Queue<WatchFrame> initial;
    private final Queue<WatchFrame> live = new ConcurrentLinkedQueue<>();
    private final AtomicInteger liveCount = new AtomicInteger();
    private volatile boolean overflowed;
    /** Loop-only: whether anything was offered since the last bookmark tick. */
    private boolean offeredSinceTick;

    /**
     * @param wake called (on the control loop) whenever there is something new to poll; it must only
     *             hand work to the transport's thread
     */
    WatchSubscription(WatchFilter filter, int capacity, List<WatchFrame> initial, Runnable wake) {
        this.filter = filter;
        this.capacity = capacity;
        this.initial = new ArrayDeque<>(initial);
        this.wake = wake;
    }

    @Override
    public WatchFilter filter() {
        return filter;
    }

    @Override
    public boolean offer(WatchEvent event) {
        return offer(WatchFrame.of(event));
    }

    /** The hub offers only events that pass the filter (and markers, which every stream gets). */
    @Override
    public boolean offer(WatchFrame frame) {
        if (liveCount.incrementAndGet() > capacity) {
            liveCount.decrementAndGet();
            return false;
        }
        live.add(frame);
        offeredSinceTick = true;
        wake.run();
        return true;
    }

    @Override
    public void overflowed(long lastDeliveredRevision) {
        overflowed = true;
        wake.run();
    }

    /** Sends a bookmark only to a stream that had nothing to say since the last tick and has nothing queued. */
    @Override
    public void bookmark(WatchFrame bookmark) {
        boolean idle = !offeredSinceTick && liveCount.get() == 0;
        if (idle) {
            offer(bookmark);
        }
        offeredSinceTick = false;
    }

    /** The next event to send, or null. Called by the transport's thread only. */
    WatchFrame poll() {
        WatchFrame next = initial.poll();
        if (next != null) {
            return next;
        }
        next = live.poll();
        if (next != null) {
            liveCount.decrementAndGet();
        }
        return next;
    }

    /** True once the hub cut this watcher off; it gets no more events. */
    boolean overflowed() {
        return overflowed;
    }

    int capacity() {
        return capacity;
    }
}
