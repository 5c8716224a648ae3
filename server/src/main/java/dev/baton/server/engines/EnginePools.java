package dev.baton.server.engines;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.Empty;

import dev.baton.proto.v1.ComponentStatus;
import dev.baton.proto.v1.CreateHostRequest;
import dev.baton.proto.v1.CreatePoolRequest;
import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.ListEnginesRequest;
import dev.baton.proto.v1.ListEnginesResponse;
import dev.baton.proto.v1.ListHostsResponse;
import dev.baton.proto.v1.ListPoolsResponse;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.PoolStatus;
import dev.baton.proto.v1.ScalePoolRequest;
import dev.baton.proto.v1.UpdateHostRequest;
import dev.baton.proto.v1.UpdatePoolRequest;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.jobs.PoolCapacity;
import dev.baton.server.store.StoredState;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Engine pools: the subsystem that runs Docker containers whose agents dial back, so that pool engines
 * join the fleet. Wired in three steps because the control plane needs its {@link PoolCapacity}:
 * construct, {@link #attach} to the plane (before it starts; pools are restored from the store and
 * POOLS_FILE on its recovery), then {@link #start} once the server listens (engines need its address).
 * With ENGINES_ENABLED=false or Docker unreachable, pools are still stored and served; the
 * {@code engines} health component says DEGRADED.
 */
public final class EnginePools implements PoolCapacity, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EnginePools.class);

    private final BatonConfig config;
    private final EngineSettings settings;
    private final EngineMetrics metrics;
    private final String instanceId;
    /**
     * DOCKER_HOST's client, made before the server answers (docker-java's first client is slow to build):
     * recovery, which opens the hosts, then runs no slower than with one Docker host.
     */
    private final DockerRuntime localRuntime;
    private ControlPlane plane;
    private EngineRegistry registry;
    private DockerHosts hosts;
    private EngineLifecycle lifecycle;
    private HostLoss hostLoss;
    private PoolOperations pools;
    private HostOperations hostOperations;
    private EngineQueries queries;
    private AutoscaleLoop autoscaler;
    private EngineProber prober;
    private volatile int port;
    private boolean started;
    private volatile ComponentStatus health;

    /**
     * Pools on the Docker host {@code local} ({@code config.dockerHost()}) and the hosts stored with the
     * host API (none is called when engines are disabled).
     */
    public EnginePools(BatonConfig config, EngineSettings settings, MeterRegistry meters) {
        this(config, settings, meters, InstanceId.loadOrCreate(config.dataDir()));
    }

    /** Engines labelled with {@code instanceId} (servers sharing one PostgreSQL store share one). */
    public EnginePools(BatonConfig config, EngineSettings settings, MeterRegistry meters, String instanceId) {
        this.config = config;
        this.settings = settings;
        this.metrics = new EngineMetrics(meters);
        this.instanceId = instanceId;
        this.localRuntime = config.dockerEnabled() ? new DockerJavaRuntime(config.dockerHost()) : null;
        // Engines switched off on purpose do not make the server unhealthy; their pools say DEGRADED.
        this.health = config.dockerEnabled() ? component("DEGRADED", "Docker not checked yet")
                                             : component("UP", "engines are disabled (ENGINES_ENABLED=false)");
    }

    /** This server's id on Docker (the value of every engine's baton.managed-by label). */
    public String instanceId() {
        return instanceId;
    }

    /** Builds the subsystem around {@code plane}; call before the plane starts. */
    public void attach(ControlPlane plane) {
        this.plane = plane;
        this.hosts = new DockerHosts(config.dockerEnabled());
        this.registry = new EngineRegistry(plane.hub(), plane.loop().time(), hosts);
        EngineRegistry engineRegistry = registry;
        plane.hub().addSnapshotSource(dev.baton.server.watch.SnapshotSource.pools(
                () -> engineRegistry.pools().stream().map(engineRegistry::toProto)));
        plane.hub().addSnapshotSource(dev.baton.server.watch.SnapshotSource.engines(
                () -> engineRegistry.engines().stream().map(engineRegistry::toProto)));
        Runnable autoscaleSoon = () -> {
            if (autoscaler != null) {
                autoscaler.requestPass();
            }
        };
        PortAllocator ports = new PortAllocator(config.enginePortRange(), PortAllocator::bindableOnLoopback);
        this.lifecycle = new EngineLifecycle(plane, registry, hosts, settings, metrics, instanceId,
                                             this::serverAddress, autoscaleSoon, ports);
        this.hostLoss = new HostLoss(plane.loop(), registry, lifecycle, metrics, config.engineHostLostAfter(),
                                     autoscaleSoon);
        this.hostOperations = new HostOperations(plane, registry, this::openHost, HostRecord::close, () -> {
            autoscaleSoon.run();
            registry.publishAllPools();
            refreshHealth();
        });
        plane.fleet().engineEndpoints(id -> {
            EngineRecord engine = engineRegistry.engine(id);
            return engine == null ? List.of() : engineRegistry.endpoints(engine);
        });
        this.pools = new PoolOperations(plane, registry, new PoolDefaults(config),
                                        new PoolValidator(settings.mountRoots(), config.engineHostAccess(),
                                                          config.maxSlotsPerAgent()), settings,
                                        () -> {
                                            autoscaleSoon.run();
                                            refreshHealth();
                                        });
        if (config.dockerEnabled()) {
            this.prober = new EngineProber(plane.loop(), registry, 2,
                                           new UnhealthyEngines(plane, registry, metrics, autoscaleSoon));
            lifecycle.probeWith(prober);
            ImageEnsurer images = new ImageEnsurer(plane.loop(), registry, settings, metrics, autoscaleSoon);
            this.autoscaler = new AutoscaleLoop(plane, registry, lifecycle, images, settings, metrics,
                                                config.autoscaleInterval(), this::refreshHealth);
        }
        this.queries = new EngineQueries(plane.loop(), registry, hosts, instanceId, metrics, () -> {
            for (HostRecord h : hosts.all()) {
                if (h.monitor != null) {
                    h.monitor.requestPass();
                }
            }
        });
        plane.hub().add(new AgentEngineWatcher(plane.loop(), lifecycle));
        plane.onRecovery(this::recover);
    }

    /** A host's Docker client, calls and monitor; its monitor runs at once if engines have started. */
    private HostRecord openHost(DockerHost stored) {
        DockerState state = new DockerState(config.dockerEnabled(), stored.getEndpoint());
        DockerCalls calls = null;
        if (config.dockerEnabled()) {
            boolean local = stored.getName().equals(HostRecord.LOCAL);
            calls = new DockerCalls(plane.loop(), local ? localRuntime
                                                        : new DockerJavaRuntime(stored.getEndpoint(),
                                                                                stored.getTlsCertDir()),
                                    settings.dockerThreads());
        }
        HostRecord host = new HostRecord(stored, state, calls, plane.loop(), changed -> {
            hostLoss.changed(changed);
            registry.publishAllPools();
            refreshHealth();
            if (autoscaler != null) {
                autoscaler.requestPass();
            }
        });
        if (calls != null) {
            host.monitor = new EngineMonitor(plane.loop(), registry, host, lifecycle, metrics, instanceId,
                                             config.monitorInterval(), settings.retryMax(), this::refreshHealth);
            if (started) {
                host.monitor.requestPass();
            }
        }
        return host;
    }

    private void recover(StoredState state) {
        hostOperations.restore(state.dockerHosts(), config.dockerHost());
        state.pools().forEach(pools::add);
        int fromFile = 0;
        if (config.poolsFile() != null) {
            for (Pool declared : PoolsFile.read(config.poolsFile(), config.minReplicas())) {
                fromFile += PoolsFileApplier.apply(plane, registry, pools, declared) ? 1 : 0;
            }
        }
        log.info("event=pools-recovered stored={} changed_by_pools_file={} instance={}", state.pools().size(), fromFile,
                 instanceId);
    }

    /** Starts the monitor and the autoscaler; engines dial back to BATON_ADVERTISED_ADDRESS or 127.0.0.1:port. */
    public void start(int port) {
        this.port = port;
        if (!config.dockerEnabled()) {
            log.info("event=engines-disabled reason=\"ENGINES_ENABLED=false\"");
            return;
        }
        plane.loop().execute(() -> {
            started = true;
            hosts.all().forEach(h -> h.monitor.requestPass());
            autoscaler.start();
        });
        log.info("event=engines-started docker_host={} instance={} server_address={} monitor_interval_s={} "
                 + "autoscale_interval_s={} host_lost_after_s={}", config.dockerHost(), instanceId, serverAddress(),
                 config.monitorInterval().toSeconds(), config.autoscaleInterval().toSeconds(),
                 config.engineHostLostAfter().toSeconds());
    }

    private String serverAddress() {
        String advertised = config.advertisedAddress();
        return advertised.isBlank() || advertised.contains("PORT") ? "127.0.0.1:" + port : advertised;
    }

    /**
     * The {@code engines} component of /healthz: UP when Docker answers and every pool is healthy (or
     * when engines are disabled); DEGRADED with the reason otherwise.
     */
    public ComponentStatus health() {
        return health;
    }

    private void refreshHealth() {
        if (!config.dockerEnabled()) {
            return;
        }
        String problem = hostProblems();
        if (problem != null) {
            health = component("DEGRADED", problem);
            return;
        }
        List<String> unhealthy = new ArrayList<>();
        for (PoolRecord pool : registry.pools()) {
            PoolStatus status = registry.status(pool);
            if (status.getHealth() != PoolStatus.Health.HEALTHY) {
                unhealthy.add("pool " + pool.name() + ": " + status.getHealth() + " (" + status.getMessage() + ")");
            }
        }
        health = unhealthy.isEmpty()
                 ? component("UP", registry.pools().size() + " pools, " + registry.engines().size() + " engines")
                 : component("DEGRADED", String.join("; ", unhealthy));
    }

    /** Null when every host answers; otherwise each one that does not (just Docker's problem with one host). */
    private String hostProblems() {
        List<String> problems = new ArrayList<>();
        for (HostRecord h : hosts.all()) {
            if (!h.usable()) {
                problems.add(hosts.all().size() == 1 ? h.state.problem() : "host " + h.name() + ": " + h.state.problem());
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private static ComponentStatus component(String status, String message) {
        return ComponentStatus.newBuilder().setName("engines").setStatus(status).setMessage(message).build();
    }

    // PoolCapacity: asked by job submission, on the control loop.

    @Override
    public boolean exists(String pool) {
        return registry != null && registry.pool(pool) != null;
    }

    @Override
    public boolean canGrow(String pool) {
        PoolRecord record = registry == null ? null : registry.pool(pool);
        if (record == null || !record.portProblem.isEmpty() || record.breaker.open(plane.loop().time().now())
            || registry.enginesOf(pool).size() >= record.spec().getMaxEngines()) {
            return false;
        }
        // Some host could take an engine (the image is checked on demand; a failed check rules a host out).
        for (HostRecord h : hosts.matching(record.spec().getHostLabelsMap())) {
            HostImage image = record.images.get(h.name());
            if (h.ready() && h.placement() == DockerHost.State.ENABLED
                && (h.maxEngines() == 0 || DockerHosts.enginesOn(h.name(), registry.engines()) < h.maxEngines())
                && (image == null || image.state != HostImage.State.ERROR)) {
                return true;
            }
        }
        return false;
    }

    // The EngineService API; each runs on the control loop.

    public CompletableFuture<ListEnginesResponse> listEngines(ListEnginesRequest request) {
        return plane.loop().callAsync(() -> queries.list(request.getPool()));
    }

    public CompletableFuture<Engine> getEngine(String id) {
        return plane.loop().callAsync(() -> queries.get(id));
    }

    public CompletableFuture<ListPoolsResponse> listPools() {
        return plane.loop().call(pools::list);
    }

    public CompletableFuture<Pool> getPool(String name) {
        return plane.loop().call(() -> pools.get(name));
    }

    public CompletableFuture<Pool> createPool(CreatePoolRequest request) {
        return plane.loop().callAsync(() -> pools.create(request.getPool()));
    }

    public CompletableFuture<Pool> updatePool(UpdatePoolRequest request) {
        return plane.loop().callAsync(() -> pools.update(request.getName(), request.getPool()));
    }

    public CompletableFuture<Empty> deletePool(String name) {
        return plane.loop().callAsync(() -> pools.delete(name)).thenApply(v -> Empty.getDefaultInstance());
    }

    public CompletableFuture<Pool> scalePool(ScalePoolRequest request) {
        return plane.loop().callAsync(() -> pools.scale(request));
    }

    // The Docker host API; each runs on the control loop.

    public CompletableFuture<ListHostsResponse> listHosts() {
        return plane.loop().call(hostOperations::list);
    }

    public CompletableFuture<DockerHost> getHost(String name) {
        return plane.loop().call(() -> hostOperations.get(name));
    }

    public CompletableFuture<DockerHost> createHost(CreateHostRequest request) {
        return plane.loop().callAsync(() -> hostOperations.create(request.getHost()));
    }

    public CompletableFuture<DockerHost> updateHost(UpdateHostRequest request) {
        return plane.loop().callAsync(() -> hostOperations.update(request.getName(), request.getHost()));
    }

    public CompletableFuture<Empty> deleteHost(String name) {
        return plane.loop().callAsync(() -> hostOperations.delete(name)).thenApply(v -> Empty.getDefaultInstance());
    }

    /** Cordon (CORDONED), uncordon (ENABLED) or drain (DRAINING) a host. */
    public CompletableFuture<DockerHost> setHostState(String name, DockerHost.State state) {
        return plane.loop().callAsync(() -> hostOperations.setState(name, state));
    }

    /** Stops the loops; engine containers keep running (a restart adopts them). */
    @Override
    public void close() {
        if (autoscaler != null) {
            autoscaler.close();
        }
        if (prober != null) {
            prober.close();
        }
        if (hosts != null) {
            // Closed on the caller's thread: the loop may be gone already; monitors and clients stop either way.
            new ArrayList<>(hosts.all()).forEach(HostRecord::close);
        }
        log.info("event=engines-stopped containers_left_running=true");
    }
}
