package dev.baton.server.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.server.config.BatonConfig;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.time.TimeSource;
import io.grpc.Status;

/**
 * Marks silent agents OFFLINE. One sweep every fifth of the timeout scans the agents (cheap: no
 * per-heartbeat timer, no store write), so a silent agent is noticed within 1.2 × the timeout.
 *
 * <p>A sweep whose timer fired more than a period late means the whole server stood still (a long
 * GC pause, a starved machine): the heartbeats of that time may still sit unread in the agents'
 * sockets, so that sweep ends no session and the next one, a period later, judges. Only one sweep
 * in a row is deferred, so a server that is always late still ends silent sessions. Lateness is
 * taken when the timer fires, not when the loop runs the sweep: a busy loop is not a pause.
 */
public final class HeartbeatMonitor {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatMonitor.class);

    private final BatonConfig config;
    private final ControlLoop loop;
    private final Fleet fleet;
    private final AgentProtocol protocol;
    private final Duration sweepEvery;
    private volatile TimeSource.Timer timer;
    private volatile boolean stopped;
    /** Whether the previous sweep was deferred as late; only the loop touches it. */
    private boolean deferredLast;

    public HeartbeatMonitor(BatonConfig config, ControlLoop loop, Fleet fleet, AgentProtocol protocol) {
        this.config = config;
        this.loop = loop;
        this.fleet = fleet;
        this.protocol = protocol;
        this.sweepEvery = Duration.ofMillis(Math.max(10, config.heartbeatTimeout().toMillis() / 5));
    }

    public void start() {
        scheduleSweep();
    }

    private void scheduleSweep() {
        long due = loop.time().millis() + sweepEvery.toMillis();
        timer = loop.time().schedule(sweepEvery, () -> {
            long lateMillis = loop.time().millis() - due;
            loop.execute(() -> sweep(lateMillis));
        });
    }

    /** One sweep, its timer having fired {@code lateMillis} after it was due. */
    void sweep(long lateMillis) {
        if (stopped) {
            return;
        }
        if (lateMillis > sweepEvery.toMillis() && !deferredLast) {
            deferredLast = true;
            log.info("event=heartbeat-sweep-deferred late_ms={} reason=\"server paused; heartbeats of that time may be "
                     + "unread\"", lateMillis);
            scheduleSweep();
            return;
        }
        deferredLast = false;
        long deadline = loop.time().millis() - config.heartbeatTimeout().toMillis();
        // Collect first (ending a session changes the fleet); only the silent ones are copied.
        List<AgentRecord> silent = new ArrayList<>();
        for (AgentRecord agent : fleet.all()) {
            if (agent.lastSeenMillis < deadline && agent.online()) {
                silent.add(agent);
            }
        }
        for (AgentRecord agent : silent) {
            if (agent.online()) {
                protocol.end(agent.session, Status.UNAVAILABLE.withDescription(
                        "no message from agent " + agent.id + " for " + config.heartbeatTimeout().toMillis()
                        + " ms (HEARTBEAT_TIMEOUT_MS)"), "heartbeat timeout");
            }
        }
        fleet.forgetOfflineSince(loop.time().now().minus(config.offlineAgentRetention()));
        scheduleSweep();
    }

    public void stop() {
        stopped = true;
        TimeSource.Timer t = timer;
        if (t != null) {
            t.cancel();
        }
    }
}
