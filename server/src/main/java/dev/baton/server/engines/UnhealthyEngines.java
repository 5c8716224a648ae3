package dev.baton.server.engines;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.proto.v1.DrainAgentRequest;
import dev.baton.proto.v1.Endpoint;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.fleet.AgentRecord;

/**
 * What a failed health probe does to an engine, on the loop: it becomes UNHEALTHY and takes no new
 * jobs (its agent is drained); it no longer counts as free, so the autoscaler starts a replacement at
 * once; after the pool's replace-unhealthy-after time the autoscaler removes it, once it holds no job.
 * If every probed port passes again first, it is healthy again and the drain Baton made is lifted.
 */
final class UnhealthyEngines implements EngineProber.Listener {

    private static final Logger log = LoggerFactory.getLogger(UnhealthyEngines.class);

    private final ControlPlane plane;
    private final EngineRegistry registry;
    private final EngineMetrics metrics;
    private final Runnable autoscaleSoon;

    UnhealthyEngines(ControlPlane plane, EngineRegistry registry, EngineMetrics metrics, Runnable autoscaleSoon) {
        this.plane = plane;
        this.registry = registry;
        this.metrics = metrics;
        this.autoscaleSoon = autoscaleSoon;
    }

    @Override
    public void portFailed(EngineRecord engine, String port, String why) {
        if (engine.removing || engine.unhealthySince != null) {
            return;
        }
        PoolRecord pool = registry.pool(engine.pool());
        Duration replaceAfter = pool == null ? Duration.ZERO : pool.replaceUnhealthyAfter();
        engine.unhealthySince = plane.loop().time().now();
        engine.unhealthyReason = "unhealthy: port " + port + ": " + why;
        metrics.unhealthy(engine.pool());
        log.warn("event=engine-unhealthy pool={} engine={} port={} replace_after_s={} jobs={} reason=\"{}\"",
                 engine.pool(), engine.id(), port, replaceAfter.toSeconds(), engine.jobIds.size(), why);
        AgentRecord agent = agentOf(engine);
        if (agent != null && !agent.drain()) {
            engine.drainedForHealth = true;
            drain(agent, true);
        }
        engine.replaceTimer = plane.loop().schedule(replaceAfter, () -> {
            engine.replaceTimer = null;
            engine.replaceDue = true;
            autoscaleSoon.run();
        });
        changed(engine);
    }

    @Override
    public void portPassed(EngineRecord engine) {
        if (engine.unhealthySince == null || engine.removing
            || engine.portHealth.values().stream().anyMatch(h -> h.health == Endpoint.Health.UNHEALTHY)) {
            return;
        }
        engine.unhealthySince = null;
        engine.unhealthyReason = "";
        engine.replaceDue = false;
        if (engine.replaceTimer != null) {
            engine.replaceTimer.cancel();
            engine.replaceTimer = null;
        }
        log.info("event=engine-recovered pool={} engine={}", engine.pool(), engine.id());
        AgentRecord agent = agentOf(engine);
        if (engine.drainedForHealth && !engine.retiring && agent != null) {
            drain(agent, false);
        }
        engine.drainedForHealth = false;
        changed(engine);
    }

    /** Publishes the engine, and its agent, whose record shows the engine's endpoints and their health. */
    private void changed(EngineRecord engine) {
        registry.changed(engine);
        AgentRecord agent = agentOf(engine);
        if (agent != null) {
            plane.fleet().publish(agent);
        }
        autoscaleSoon.run();
    }

    private AgentRecord agentOf(EngineRecord engine) {
        return engine.agentId.isEmpty() ? null : plane.fleet().get(engine.agentId);
    }

    private void drain(AgentRecord agent, boolean drain) {
        plane.fleetOperations().drain(DrainAgentRequest.newBuilder().setId(agent.id()).setDrain(drain).build());
    }
}
