package dev.baton.server.engines;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.DrainAgentRequest;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.error.BatonException;
import dev.baton.server.fleet.AgentRecord;

/**
 * Creates, binds, drains and removes engines; runs on the control loop, Docker calls on
 * {@link DockerCalls}. An engine with a job is never removed: every removal re-checks on the loop,
 * and drains the engine's agent first so that no job can be placed on it meanwhile.
 */
final class EngineLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EngineLifecycle.class);

    private final ControlPlane plane;
    private final EngineRegistry registry;
    private final DockerHosts hosts;
    private final EngineSettings settings;
    private final EngineMetrics metrics;
    private final String instanceId;
    private final Supplier<String> serverAddress;
    private final Runnable autoscaleSoon;
    private final PortAllocator ports;
    private EngineProber prober;
    private final HostAccessValidator hostAccess;
    private long sequence;

    EngineLifecycle(ControlPlane plane, EngineRegistry registry, DockerHosts hosts, EngineSettings settings,
                    EngineMetrics metrics, String instanceId, Supplier<String> serverAddress, Runnable autoscaleSoon,
                    PortAllocator ports) {
        this.plane = plane;
        this.hostAccess = new HostAccessValidator(plane.config().engineHostAccess());
        this.registry = registry;
        this.hosts = hosts;
        this.settings = settings;
        this.metrics = metrics;
        this.instanceId = instanceId;
        this.serverAddress = serverAddress;
        this.autoscaleSoon = autoscaleSoon;
        this.ports = ports;
    }

    /** Probes start for each engine once its agent has connected. */
    void probeWith(EngineProber prober) {
        this.prober = prober;
    }

    /** A strictly increasing number, to order Docker listings against containers learnt meanwhile. */
    long nextSequence() {
        return ++sequence;
    }

    /**
     * Creates one engine on the host {@link HostPlacement} picks; false (and the pool says why) when no
     * host can take it or a port range has no free port.
     */
    boolean create(PoolRecord pool) {
        // A pool stored when the server allowed more (ENGINE_HOST_ACCESS since narrowed) gets no new engines:
        // the allow-list of the running server decides, and the pool says why it is not scaling.
        try {
            hostAccess.check(pool.spec());
        } catch (BatonException refused) {
            log.warn("event=engine-create-refused pool={} reason=\"{}\"", pool.name(), refused.getMessage());
            creationFailed(pool, refused.getMessage());
            return false;
        }
        HostPlacement.Choice choice = HostPlacement.choose(pool.spec().getHostLabelsMap(),
                                                           hosts.views(pool, registry.engines()));
        if (choice.host() == null) {
            pool.waiting = choice.why();
            registry.publish(pool);
            return false;
        }
        HostRecord host = hosts.get(choice.host());
        Instant now = plane.loop().time().now();
        PortAllocator.Allocation allocation = ports.allocate(pool.spec(), registry.reservedPorts());
        if (!allocation.ok()) {
            if (!allocation.problem().equals(pool.portProblem)) {
                log.warn("event=pool-ports-exhausted pool={} reason=\"{}\"", pool.name(), allocation.problem());
            }
            pool.portProblem = allocation.problem();
            registry.publish(pool);
            return false;
        }
        pool.portProblem = "";
        String id = pool.name() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        EngineRecord engine = new EngineRecord(id, pool.name(), "baton-" + id, now, pool.configHash(),
                                               pool.spec().getImage(), host.name());
        engine.ports = allocation.ports();
        engine.reason = "creating container";
        registry.addEngine(engine);
        engine.startupTimer = plane.loop().schedule(pool.startupTimeout(), () -> startupTimedOut(id));
        ContainerSpec spec = EngineContainers.of(pool, engine, instanceId, serverAddress.get(), plane.config());
        log.info("event=engine-creating pool={} engine={} host={} image={} config_hash={} ports={}", pool.name(), id,
                 host.name(), pool.spec().getImage(), pool.configHash(), engine.ports);
        host.calls.run(rt -> rt.createAndStart(spec), (containerId, failure) -> created(engine, host, containerId,
                                                                                         failure));
        return true;
    }

    private void created(EngineRecord engine, HostRecord host, String containerId, DockerFailure failure) {
        PoolRecord pool = registry.pool(engine.pool());
        if (failure != null) {
            host.failures.failed(failure);
            metrics.createFailed(engine.pool());
            log.warn("event=engine-create-failed pool={} engine={} kind={} error=\"{}\"", engine.pool(), engine.id(),
                     failure.kind(), failure.getMessage());
            if (pool != null) {
                creationFailed(pool, "create " + engine.id() + ": " + failure.getMessage());
                if (failure.kind() == DockerFailure.Kind.NOT_FOUND) {
                    pool.image(host.name()).state = HostImage.State.UNKNOWN;
                }
            }
            registry.forgetEngine(engine);
            return;
        }
        host.failures.answered();
        if (registry.engine(engine.id()) != engine) {
            // Forgotten while Docker was creating it (startup timeout, pool deleted): take it away again.
            log.info("event=engine-created-late pool={} engine={} container={} action=remove", engine.pool(),
                     engine.id(), shortId(containerId));
            host.calls.run(rt -> {
                rt.stopAndRemove(containerId, settings.stopTimeout());
                return null;
            }, (ignored, f) -> { });
            return;
        }
        engine.containerId = containerId;
        engine.boundAt = nextSequence();
        engine.dockerStatus = "running";
        engine.reason = engine.agentOnline ? "" : "waiting for its agent";
        metrics.created(engine.pool());
        log.info("event=engine-created pool={} engine={} container={}", engine.pool(), engine.id(), shortId(containerId));
        registry.changed(engine);
    }

    void creationFailed(PoolRecord pool, String why) {
        Instant now = plane.loop().time().now();
        boolean wasOpen = pool.breaker.open(now);
        pool.breaker.failure(now, why);
        if (!wasOpen && pool.breaker.open(now)) {
            metrics.breakerOpened(pool.name());
            log.warn("event=pool-circuit-open pool={} failures={} until={} last_error=\"{}\"", pool.name(),
                     pool.breaker.consecutiveFailures(), pool.breaker.openUntil(), why);
        }
        registry.publish(pool);
    }

    private void startupTimedOut(String id) {
        EngineRecord engine = registry.engine(id);
        if (engine == null || engine.agentOnline || engine.removing) {
            return;
        }
        if (!hosts.usable(engine.host())) {
            // Settled by the host's loss or return, not by a removal that cannot reach it.
            return;
        }
        engine.startupTimer = null;
        PoolRecord pool = registry.pool(engine.pool());
        Duration timeout = pool == null ? PoolDefaults.STARTUP_TIMEOUT : pool.startupTimeout();
        String why = (engine.everConnected ? "agent did not reconnect within " : "agent did not connect within ")
                     + timeout.toSeconds() + "s";
        log.warn("event=engine-startup-timeout pool={} engine={} container={} reason=\"{}\"", engine.pool(), id,
                 shortId(engine.containerId), why);
        if (!engine.everConnected && pool != null) {
            creationFailed(pool, id + ": " + why);
        }
        if (engine.hasJobs()) {
            engine.reason = why + "; kept: it holds jobs";
            registry.changed(engine);
            return;
        }
        remove(engine, "startup-timeout", why);
    }

    /** Marks the engine as leaving: its agent takes no new jobs; it is removed once empty. */
    void retire(EngineRecord engine, String why) {
        if (engine.retiring || engine.removing) {
            return;
        }
        engine.retiring = true;
        engine.reason = "draining: " + why;
        log.info("event=engine-draining pool={} engine={} jobs={} reason=\"{}\"", engine.pool(), engine.id(),
                 engine.jobIds.size(), why);
        drainAgent(engine);
        registry.changed(engine);
    }

    /** Stops and removes an engine's container, unless it holds a job. */
    void remove(EngineRecord engine, String tag, String why) {
        if (engine.removing) {
            return;
        }
        if (engine.hasJobs()) {
            log.warn("event=engine-remove-refused pool={} engine={} jobs={} reason=\"holds jobs\"", engine.pool(),
                     engine.id(), engine.jobIds.size());
            return;
        }
        drainAgent(engine);
        engine.removing = true;
        engine.reason = why;
        engine.cancelStartupTimer();
        log.info("event=engine-removing pool={} engine={} container={} reason=\"{}\"", engine.pool(), engine.id(),
                 shortId(engine.containerId), why);
        if (engine.containerId == null) {
            // Still being created: created() sees the engine gone and removes the container.
            metrics.removed(engine.pool(), tag);
            registry.forgetEngine(engine);
            return;
        }
        registry.changed(engine);
        String containerId = engine.containerId;
        HostRecord host = hosts.get(engine.host());
        if (host == null || host.calls == null) {
            registry.forgetEngine(engine);
            return;
        }
        host.calls.run(rt -> {
            rt.stopAndRemove(containerId, settings.stopTimeout());
            return null;
        }, (ignored, failure) -> removed(engine, host, tag, failure));
    }

    private void removed(EngineRecord engine, HostRecord host, String tag, DockerFailure failure) {
        if (failure != null) {
            host.failures.failed(failure);
            engine.removing = false;
            engine.reason = "removal failed, retrying: " + failure.getMessage();
            log.warn("event=engine-remove-failed pool={} engine={} kind={} error=\"{}\"", engine.pool(), engine.id(),
                     failure.kind(), failure.getMessage());
            registry.changed(engine);
            return;
        }
        host.failures.answered();
        registry.rememberRemoved(engine.containerId);
        metrics.removed(engine.pool(), tag);
        log.info("event=engine-removed pool={} engine={} container={} reason={}", engine.pool(), engine.id(),
                 shortId(engine.containerId), tag);
        registry.forgetEngine(engine);
        autoscaleSoon.run();
    }

    /**
     * The engine's container stopped outside Baton (crashed, killed, its agent exited): nothing runs in
     * it any more, so it is removed and forgotten, and the autoscaler replaces it.
     */
    void containerStopped(EngineRecord engine, ContainerInfo container) {
        String why = "container " + container.state() + " outside Baton (" + container.status() + ")";
        log.info("event=engine-container-stopped pool={} engine={} container={} reason=\"{}\"", engine.pool(),
                 engine.id(), shortId(container.id()), why);
        PoolRecord pool = registry.pool(engine.pool());
        if (!engine.everConnected && pool != null) {
            creationFailed(pool, engine.id() + ": " + why);
        }
        engine.dockerStatus = container.state();
        engine.jobIds = List.of();
        remove(engine, "stopped", why);
    }

    /** A stopped container of this instance that no engine stands for (e.g. left by a crash). */
    void removeDeadContainer(HostRecord host, ContainerInfo container) {
        registry.rememberRemoved(container.id());
        log.info("event=dead-container-removing host={} container={} engine={} state={}", host.name(),
                 shortId(container.id()), container.labels().get(EngineLabels.ENGINE_ID), container.state());
        host.calls.run(rt -> {
            rt.stopAndRemove(container.id(), settings.stopTimeout());
            return null;
        }, (ignored, failure) -> {
            if (failure != null) {
                host.failures.failed(failure);
            }
        });
    }

    /** Takes over a labelled container found in Docker (after a restart, or made before a crash). */
    void adopt(HostRecord host, ContainerInfo container) {
        var labels = container.labels();
        EngineRecord engine = new EngineRecord(labels.get(EngineLabels.ENGINE_ID), labels.get(EngineLabels.POOL),
                                               container.name(), EngineLabels.createdAt(labels, container.created()),
                                               labels.getOrDefault(EngineLabels.CONFIG_HASH, ""), container.image(),
                                               host.name());
        engine.containerId = container.id();
        engine.boundAt = nextSequence();
        engine.dockerStatus = container.state();
        engine.ports = EnginePorts.fromLabels(labels);
        PoolRecord pool = registry.pool(engine.pool());
        if (pool == null) {
            engine.retiring = true;
            engine.reason = "draining: its pool no longer exists";
        }
        registry.addEngine(engine);
        metrics.adopted(engine.pool());
        log.info("event=engine-adopted pool={} engine={} host={} container={} config_hash={} ports={} pool_known={}",
                 engine.pool(), engine.id(), host.name(), shortId(container.id()), engine.configHash(), engine.ports,
                 pool != null);
        for (AgentRecord agent : plane.fleet().all()) {
            if (agent.engineId().equals(engine.id())) {
                agentChanged(plane.fleet().toProto(agent));
                plane.fleet().publish(agent); // it shows its engine's endpoints now
            }
        }
        if (!engine.agentOnline) {
            engine.reason = "waiting for its agent";
            Duration timeout = pool == null ? PoolDefaults.STARTUP_TIMEOUT : pool.startupTimeout();
            engine.startupTimer = plane.loop().schedule(timeout, () -> startupTimedOut(engine.id()));
            registry.changed(engine);
        }
        if (engine.retiring) {
            drainAgent(engine);
        }
    }

    /**
     * Its host has not answered for ENGINE_HOST_LOST_AFTER_S: the engine no longer counts for its pool
     * (the autoscaler replaces it elsewhere) and its agent, if still connected, takes no new jobs. Jobs
     * on an agent that went away follow their restart policies through the normal agent-loss path.
     */
    void markLost(EngineRecord engine, String why) {
        if (engine.lost || engine.removing) {
            return;
        }
        engine.lost = true;
        engine.reason = why;
        engine.cancelStartupTimer();
        metrics.lost(engine.pool());
        log.warn("event=engine-lost pool={} engine={} host={} agent_online={} jobs={} reason=\"{}\"", engine.pool(),
                 engine.id(), engine.host(), engine.agentOnline, engine.jobIds.size(), why);
        drainAgent(engine);
        registry.changed(engine);
    }

    /**
     * A lost engine's container is running on its returned host. It was replaced meanwhile, so it is
     * drained and removed once empty (jobs it still holds finish first): never two engines for one.
     */
    void returned(EngineRecord engine) {
        engine.lost = false;
        log.info("event=engine-returned pool={} engine={} host={} jobs={} action=drain", engine.pool(), engine.id(),
                 engine.host(), engine.jobIds.size());
        engine.retiring = false;
        retire(engine, "replaced while its host was unreachable");
        if (!engine.agentOnline && !engine.hasJobs()) {
            remove(engine, "host-returned", "replaced while its host was unreachable");
        }
    }

    /** An agent event for an agent that runs in an engine container. */
    void agentChanged(Agent agent) {
        EngineRecord engine = registry.engine(agent.getEngineId());
        if (engine == null) {
            return;
        }
        if (!engine.agentId.isEmpty() && !engine.agentId.equals(agent.getId())) {
            log.warn("event=engine-agent-conflict engine={} agent={} other_agent={}", engine.id(), engine.agentId,
                     agent.getId());
            return;
        }
        Instant now = plane.loop().time().now();
        boolean wasOnline = engine.agentOnline;
        boolean hadJobs = engine.hasJobs();
        engine.agentId = agent.getId();
        engine.agentOnline = agent.getState() != Agent.State.OFFLINE;
        engine.agentDrained = agent.getDrain();
        engine.jobIds = List.copyOf(agent.getJobIdsList());
        if (engine.agentOnline && !wasOnline) {
            engine.cancelStartupTimer();
            if (!engine.removing && !engine.retiring) {
                engine.reason = "";
            }
            if (!engine.everConnected) {
                engine.everConnected = true;
                if (prober != null) {
                    prober.start(engine);
                }
                PoolRecord pool = registry.pool(engine.pool());
                if (pool != null && engine.configHash().equals(pool.configHash())) {
                    pool.breaker.success();
                }
            }
            if (!engine.hasJobs()) {
                engine.emptySince = now;
            }
            log.info("event=engine-connected pool={} engine={} agent={} jobs={}", engine.pool(), engine.id(),
                     agent.getId(), engine.jobIds.size());
            autoscaleSoon.run();
        } else if (!engine.agentOnline && wasOnline && !engine.removing) {
            engine.reason = "agent disconnected";
            PoolRecord pool = registry.pool(engine.pool());
            Duration timeout = pool == null ? PoolDefaults.STARTUP_TIMEOUT : pool.startupTimeout();
            engine.cancelStartupTimer();
            engine.startupTimer = plane.loop().schedule(timeout, () -> startupTimedOut(engine.id()));
        }
        if (engine.hasJobs() && !hadJobs) {
            engine.lastUsedAt = now;
            engine.emptySince = null;
            autoscaleSoon.run();
        } else if (!engine.hasJobs() && hadJobs) {
            engine.lastUsedAt = now;
            engine.emptySince = now;
            autoscaleSoon.run();
        }
        registry.changed(engine);
    }

    private void drainAgent(EngineRecord engine) {
        if (engine.agentId.isEmpty()) {
            return;
        }
        AgentRecord agent = plane.fleet().get(engine.agentId);
        if (agent != null && !agent.drain()) {
            plane.fleetOperations().drain(DrainAgentRequest.newBuilder().setId(agent.id()).setDrain(true).build());
        }
    }

    static String shortId(String containerId) {
        return containerId == null ? "-" : containerId.substring(0, Math.min(12, containerId.length()));
    }
}
