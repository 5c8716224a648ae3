package dev.baton.server.engines;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.Empty;

import dev.baton.proto.v1.ComponentStatus;
import dev.baton.proto.v1.CreatePoolRequest;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.ListEnginesRequest;
import dev.baton.proto.v1.ListEnginesResponse;
import dev.baton.proto.v1.ListPoolsResponse;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.PoolStatus;
import dev.baton.proto.v1.ScalePoolRequest;
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
    private final DockerRuntime runtime;
    private final String instanceId;
    private ControlPlane plane;
    private EngineRegistry registry;
    private DockerCalls docker;
    private PoolOperations pools;
    private EngineQueries queries;
    private EngineMonitor monitor;
    private AutoscaleLoop autoscaler;
    private EngineProber prober;
    private volatile int port;
    private volatile ComponentStatus health;

    /** Pools on the Docker engine at {@code config.dockerHost()} (none when engines are disabled). */
    public EnginePools(BatonConfig config, EngineSettings settings, MeterRegistry meters) {
        this(config, settings, meters, InstanceId.loadOrCreate(config.dataDir()));
    }

    /** Engines labelled with {@code instanceId} (servers sharing one PostgreSQL store share one). */
    public EnginePools(BatonConfig config, EngineSettings settings, MeterRegistry meters, String instanceId) {
        this(config, settings, meters, config.dockerEnabled() ? new DockerJavaRuntime(config.dockerHost()) : null,
             instanceId);
    }

    EnginePools(BatonConfig config, EngineSettings settings, MeterRegistry meters, DockerRuntime runtime) {
        this(config, settings, meters, runtime, InstanceId.loadOrCreate(config.dataDir()));
    }

    private EnginePools(BatonConfig config, EngineSettings settings, MeterRegistry meters, DockerRuntime runtime,
                        String instanceId) {
        this.config = config;
        this.settings = settings;
        this.metrics = new EngineMetrics(meters);
        this.runtime = runtime;
        this.instanceId = instanceId;
        // Engines switched off on purpose do not make the server unhealthy; their pools say DEGRADED.
        this.health = runtime == null ? component("UP", "engines are disabled (ENGINES_ENABLED=false)")
                                      : component("DEGRADED", "Docker not checked yet");
    }

    /** This server's id on Docker (the value of every engine's baton.managed-by label). */
    public String instanceId() {
        return instanceId;
    }

    /** Builds the subsystem around {@code plane}; call before {@code plane.start()}. */
    public void attach(ControlPlane plane) {
        this.plane = plane;
        DockerState state = new DockerState(runtime != null, config.dockerHost());
        this.registry = new EngineRegistry(plane.hub(), plane.loop().time(), state);
        EngineRegistry engineRegistry = registry;
        plane.hub().addSnapshotSource(dev.baton.server.watch.SnapshotSource.pools(
                () -> engineRegistry.pools().stream().map(engineRegistry::toProto)));
        plane.hub().addSnapshotSource(dev.baton.server.watch.SnapshotSource.engines(
                () -> engineRegistry.engines().stream().map(engineRegistry::toProto)));
        this.docker = runtime == null ? null : new DockerCalls(plane.loop(), runtime, settings.dockerThreads());
        Runnable refresh = () -> {
            registry.publishAllPools();
            refreshHealth();
        };
        DockerFailures failures = new DockerFailures(plane.loop(), state, refresh);
        Runnable autoscaleSoon = () -> {
            if (autoscaler != null) {
                autoscaler.requestPass();
            }
        };
        PortAllocator ports = new PortAllocator(config.enginePortRange(), PortAllocator::bindableOnLoopback);
        EngineLifecycle lifecycle = new EngineLifecycle(plane, registry, docker, settings, metrics, instanceId,
                                                        this::serverAddress, autoscaleSoon, failures, ports);
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
        if (docker != null) {
            this.prober = new EngineProber(plane.loop(), registry, 2,
                                           new UnhealthyEngines(plane, registry, metrics, autoscaleSoon));
            lifecycle.probeWith(prober);
            this.monitor = new EngineMonitor(plane.loop(), registry, docker, lifecycle, metrics, failures, instanceId,
                                             config.monitorInterval(), settings.retryMax(), this::refreshHealth);
            ImageEnsurer images = new ImageEnsurer(plane.loop(), registry, docker, settings, metrics, failures,
                                                   autoscaleSoon);
            this.autoscaler = new AutoscaleLoop(plane, registry, lifecycle, images, monitor, settings, metrics,
                                                config.autoscaleInterval(), this::refreshHealth);
        }
        this.queries = new EngineQueries(plane.loop(), registry, docker, instanceId, metrics, () -> {
            if (monitor != null) {
                monitor.requestPass();
            }
        });
        plane.hub().add(new AgentEngineWatcher(plane.loop(), lifecycle));
        plane.onRecovery(this::recover);
    }

    private void recover(StoredState state) {
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
        if (docker == null) {
            log.info("event=engines-disabled reason=\"ENGINES_ENABLED=false\"");
            return;
        }
        plane.loop().execute(() -> {
            monitor.requestPass();
            autoscaler.start();
        });
        log.info("event=engines-started docker_host={} instance={} server_address={} monitor_interval_s={} "
                 + "autoscale_interval_s={}", config.dockerHost(), instanceId, serverAddress(),
                 config.monitorInterval().toSeconds(), config.autoscaleInterval().toSeconds());
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
        if (runtime == null) {
            return;
        }
        String problem = registry.docker().problem();
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
        if (record == null || !registry.docker().usable() || record.image == PoolRecord.ImageState.ERROR
            || !record.portProblem.isEmpty() || record.breaker.open(plane.loop().time().now())) {
            return false;
        }
        return registry.enginesOf(pool).size() < record.spec().getMaxEngines();
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

    /** Stops the loops; engine containers keep running (a restart adopts them). */
    @Override
    public void close() {
        if (autoscaler != null) {
            autoscaler.close();
        }
        if (monitor != null) {
            monitor.close();
        }
        if (prober != null) {
            prober.close();
        }
        if (docker != null) {
            docker.close();
        }
        log.info("event=engines-stopped containers_left_running=true");
    }
}
