package dev.baton.server.watch;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's watch stream: moves events from its {@link WatchSubscription} to its
 * {@link WatchTransport}, only as fast as the transport is ready. All sending happens on the
 * stream's executor (the connection's event loop); the control loop only enqueues and wakes it,
 * so a slow client costs the loop one queue insert per event and nothing else.
 */
public final class WatchStream {

    private static final Logger log = LoggerFactory.getLogger(WatchStream.class);

    private final WatchStreams owner;
    private final WatchTransport transport;
    private final Executor executor;
    private final String name;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile WatchSubscription subscription;
    private volatile boolean closed;
    /** Executor-only: the revision after which this client can resume without missing anything. */
    private long resumeFrom;
    private long sent;

    WatchStream(WatchStreams owner, WatchTransport transport, Executor executor, String name, Long fromRevision) {
        this.owner = owner;
        this.transport = transport;
        this.executor = executor;
        this.name = name;
        this.resumeFrom = fromRevision == null ? -1 : fromRevision;
    }

    void subscribed(WatchSubscription subscription) {
        this.subscription = subscription;
        wake();
    }

    /** Asks for a drain on the stream's executor; many wakes before it runs make one drain. */
    public void wake() {
        if (!closed && drainScheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        WatchSubscription sub = subscription;
        if (closed || sub == null) {
            return;
        }
        if (sub.overflowed()) {
            close("fell-behind");
            transport.fellBehind(String.format(
                    "watch stream fell behind: more than %d events were waiting to be sent to this client, so the "
                    + "server ended the stream; %s", sub.capacity(), howToResume()));
            return;
        }
        while (transport.isReady()) {
            WatchFrame frame = sub.poll();
            if (frame == null) {
                return;
            }
            transport.send(frame);
            sent++;
            if (frame.isResumePoint()) {
                resumeFrom = frame.revision();
            }
        }
    }

    /** Tells the client the server is going and how to come back (on the stream's executor). */
    void serverStopping() {
        executor.execute(() -> {
            if (!closed) {
                close("server-stopping");
                transport.serverStopping("server shutting down; " + howToResume());
            }
        });
    }

    private String howToResume() {
        return resumeFrom < 0 ? "watch again without fromRevision (no snapshot was completed)"
                              : "resume with fromRevision=" + resumeFrom;
    }

    /** The client went away (cancel, reset, closed connection): stop feeding it. Any thread. */
    public void cancelled() {
        close("client-closed");
    }

    private void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        owner.closed(this, reason);
        log.info("event=watch-closed stream={} reason={} sent={}", name, reason, sent);
    }

    WatchSubscription subscription() {
        return subscription;
    }

    @Override
    public String toString() {
        return name;
    }
}
