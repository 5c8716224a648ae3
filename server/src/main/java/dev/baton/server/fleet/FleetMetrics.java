package dev.baton.server.fleet;

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
        heartbeatGap = io.micrometer.core.instrument.Timer.builder("baton.agent.heartbeat.gap")
                .description("time between consecutive messages of an agent (heartbeat lag when above the interval)")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    void sessionOpened() { opened.increment(); }
    void sessionClosed() { closed.increment(); }
    void superseded() { superseded.increment(); }
    void fenced() { fenced.increment(); }
    public void protocolError() { protocolErrors.increment(); }
    void heartbeatGap(java.time.Duration gap) { heartbeatGap.record(gap); }
}
