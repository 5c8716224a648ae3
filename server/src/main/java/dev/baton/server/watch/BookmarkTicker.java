package dev.baton.server.watch;

import dev.baton.server.control.ControlLoop;

/**
 * Ticks every bookmark interval while anything watches (started by the first subscription), on the control loop and with the loop's
 * injected time (so tests can drive it with virtual time). Stops when the last watcher leaves,
 * so an unwatched server has no timer running.
 */
final class BookmarkTicker {

    private final ControlLoop loop;
    private final WatchHub hub;
    private boolean running;

    BookmarkTicker(ControlLoop loop, WatchHub hub) {
        this.loop = loop;
        this.hub = hub;
    }

    /** On the loop: starts ticking if it is not. */
    void ensureRunning() {
        if (!running) {
            running = true;
            schedule();
        }
    }

    private void schedule() {
        loop.schedule(hub.settings().bookmarkInterval(), this::tick);
    }

    private void tick() {
        if (hub.watcherCount() == 0) {
            running = false;
            return;
        }
        hub.bookmarkWatchers();
        schedule();
    }
}
