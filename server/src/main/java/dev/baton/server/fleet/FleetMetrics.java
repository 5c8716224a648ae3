package dev.baton.server.fleet;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counters of the agent stream: sessions opened, closed, superseded, fenced messages, protocol errors. */
public final class FleetMetrics {

    private final Counter opened;
    private final Counter closed;
    private final Counter superseded;
    private final Counter fenced;
    private final Counter protocolErrors;
    private final io.micrometer.core.instrument.Timer heartbeatGap;

    public FleetMetrics(MeterRegistry registry) {
        opened = Counter.builder("baton.agent.sessions.opened").register(registry);
        closed = Counter.builder("baton.agent.sessions.closed").register(registry);
        superseded = Counter.builder("baton.agent.sessions.superseded").register(registry);
        fenced = Counter.builder("baton.agent.messages.fenced")
                        .description("messages of superseded sessions, dropped").register(registry);
        protocolErrors = Counter.builder("baton.agent.protocol.errors").register(registry);
        // Count, sum and max only: a percentile histogram here cost every heartbeat three HdrHistogram
        // recordings (its ring of time windows) on the stream's event loop. The max over the window is
        // what shows a lagging agent; the count and sum give the mean.
        heartbeatGap = io.micrometer.core.instrument.Timer.builder("baton.agent.heartbeat.gap")
                .description("time between consecutive messages of an agent (heartbeat lag when above the interval)")
                .register(registry);
    }

    void sessionOpened() { opened.increment(); }
    void sessionClosed() { closed.increment(); }
    void superseded() { superseded.increment(); }
    void fenced() { fenced.increment(); }
    public void protocolError() { protocolErrors.increment(); }
    void heartbeatGap(long gapMillis) { heartbeatGap.record(Math.max(0, gapMillis), TimeUnit.MILLISECONDS); }
}
