package dev.baton.server.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.baton.server.config.BatonConfig;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.time.TimeSource;
import io.grpc.Status;

/**
 * Marks silent agents OFFLINE. One sweep every fifth of the timeout scans the agents (cheap: no
 * per-heartbeat timer, no store write), so a silent agent is noticed within 1.2 × the timeout.
 */
public final class HeartbeatMonitor {

    private final BatonConfig config;
    private final ControlLoop loop;
    private final Fleet fleet;
    private final AgentProtocol protocol;
    private final Duration sweepEvery;
    private volatile TimeSource.Timer timer;
    private volatile boolean stopped;

    public HeartbeatMonitor(BatonConfig config, ControlLoop loop, Fleet fleet, AgentProtocol protocol) {
        this.config = config;
        this.loop = loop;
        this.fleet = fleet;
        this.protocol = protocol;
        this.sweepEvery = Duration.ofMillis(Math.max(10, config.heartbeatTimeout().toMillis() / 5));
    }

    public void start() {
        timer = loop.schedule(sweepEvery, this::sweep);
    }

    void sweep() {
        if (stopped) {
            return;
        }
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
        timer = loop.schedule(sweepEvery, this::sweep);
    }

    public void stop() {
        stopped = true;
        TimeSource.Timer t = timer;
        if (t != null) {
            t.cancel();
        }
    }
}
