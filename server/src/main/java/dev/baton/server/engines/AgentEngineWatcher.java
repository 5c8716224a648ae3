package dev.baton.server.engines;

import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.watch.WatchHub;

/**
 * Follows agent events for agents inside engine containers (Agent.engine_id): their session and jobs
 * make an engine STARTING, FREE or USED. Events are handed to a later loop command rather than applied
 * inside the hub's fan-out, so engine events never interleave with the agent event being delivered.
 */
final class AgentEngineWatcher implements WatchHub.Watcher {

    private final ControlLoop loop;
    private final EngineLifecycle lifecycle;

    AgentEngineWatcher(ControlLoop loop, EngineLifecycle lifecycle) {
        this.loop = loop;
        this.lifecycle = lifecycle;
    }

    @Override
    public boolean offer(WatchEvent event) {
        if (event.getKind() == EntityKind.ENTITY_KIND_AGENT && !event.getAgent().getEngineId().isEmpty()) {
            loop.execute(() -> lifecycle.agentChanged(event.getAgent()));
        }
        return true;
    }

    @Override
    public void overflowed(long lastDeliveredRevision) {
        // offer never refuses
    }
}
