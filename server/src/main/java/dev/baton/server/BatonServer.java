package dev.baton.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.common.ServerCacheControl;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerListener;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.file.HttpFile;

import dev.baton.server.api.AdminHttpGuard;
import dev.baton.server.api.ApiServer;
import dev.baton.server.api.EngineEndpoint;
import dev.baton.server.api.HealthComponents;
import dev.baton.server.api.SseWatchService;
import dev.baton.server.api.WatchEndpoint;
import dev.baton.server.api.WebhookEndpoint;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.config.TlsConfig;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.engines.EnginePools;
import dev.baton.server.jobs.JobBook;
import dev.baton.server.security.AdminGate;
import dev.baton.server.security.AuthMode;
import dev.baton.server.security.Role;
import dev.baton.server.engines.EngineSettings;
import dev.baton.server.store.BatonStore;
import dev.baton.server.store.PostgresStore;
import dev.baton.server.store.StoredState;
import dev.baton.server.store.Stores;
import dev.baton.server.engines.InstanceId;
import dev.baton.server.ha.AdvisoryLockElection;
import dev.baton.server.ha.Leadership;
import dev.baton.server.ha.SoleLeader;
import dev.baton.server.ha.StandbyGate;
import dev.baton.server.time.SystemTimeSource;
import dev.baton.server.time.TimeSource;
import dev.baton.server.watch.WatchStreams;
import dev.baton.server.webhooks.Webhooks;
import io.grpc.BindableService;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A running Baton: the store, the control plane and the one Armeria port. {@link #start} returns
 * once the server accepts connections; {@link #close} stops accepting, tells agents, flushes the
 * store and returns.
 */
public final class BatonServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatonServer.class);

    private final BatonConfig config;
    private final TimeSource time;
    private final boolean ownsTime;
    private final BatonStore store;
    private final ControlPlane plane;
    private final EnginePools engines;
    private final Webhooks webhooks;
    /** GC pauses and allocation on /metrics (it listens to the JVM's GC notifications until closed). */
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final HealthStatusManager grpcHealth = new HealthStatusManager();
    private final Server server;
    private final Leadership leadership;
    private volatile boolean serving;
    private volatile Runnable onDeposed = () -> { };
    /** The embedded store's state, read while Armeria is built; null once used, and with PostgreSQL. */
    private CompletableFuture<LoadedState> preloaded;
    private volatile boolean closed;
    /** Steps of this server's start, up to serving (logged once started). */
    private final StartupTimeline timeline = new StartupTimeline();

    private BatonServer(BatonConfig config, TimeSource time, boolean ownsTime,
                        Function<BatonConfig, BatonStore> storeFactory, EngineSettings engineSettings) {
        ApiServer.prepareInBackground();
        this.config = config;
        this.time = time;
        this.ownsTime = ownsTime;
        this.store = storeFactory.apply(config);
        timeline.step("store_open");
        if (!(store instanceof PostgresStore)) {
            // Reading the store and building the Armeria server are independent until start: overlap them.
            preloaded = new CompletableFuture<>();
            CompletableFuture<LoadedState> loading = preloaded;
            Thread loader = new Thread(() -> {
                try {
                    loading.complete(LoadedState.read(store));
                } catch (Throwable t) {
                    loading.completeExceptionally(t);
                }
            }, "baton-store-load");
            loader.setDaemon(true);
            loader.start();
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The JVM's own meters: a latency tail is often a GC pause, and heap and threads say why.
        gcMetrics.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        this.leadership = store instanceof PostgresStore shared
                ? new AdvisoryLockElection(shared.endpoint(), shared, config.leaderCheckInterval())
                : new SoleLeader();
        this.engines = store instanceof PostgresStore shared
                ? new EnginePools(config, engineSettings, registry, shared.sharedInstanceId(InstanceId.generate()))
                : new EnginePools(config, engineSettings, registry);
        timeline.step("engines");
        this.plane = new ControlPlane(config, time, store, registry, engines);
        engines.attach(plane);
        this.webhooks = new Webhooks(config.webhooks(), time, store, registry);
        webhooks.attach(plane);
        HealthComponents health = new HealthComponents(plane);
        health.add(engines::health);
        health.add(() -> dev.baton.proto.v1.ComponentStatus.newBuilder().setName("leadership").setStatus("UP")
                                                            .setMessage(leadership.describe()).build());
        WatchStreams watch = new WatchStreams(plane, registry);
        List<BindableService> services = new ArrayList<>();
        services.add(new EngineEndpoint(engines));
        services.add(new WatchEndpoint(watch));
        AdminGate gate = new AdminGate(config.adminAuthMode(), config.adminTokens(), time,
                                       config.adminRateLimitPerSecond(), config.adminRateLimitBurst());
        services.add(new WebhookEndpoint(webhooks));
        services.add(new dev.baton.server.api.LogEndpoint(plane.logs()));
        DecoratingHttpServiceFunction standbyRefusal = (delegate, ctx, req) -> serving
                ? delegate.serve(ctx, req)
                : HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8,
                                  StandbyGate.refusal(leadership.leaderAddress()).getDescription());
        Consumer<ServerBuilder> routes = sb -> {
            // EventSource cannot set headers: the dashboard's stream carries its token in the query.
            // A standby refuses the SSE streams too (they are not gRPC, so the StandbyGate does not see them).
            sb.route().get("/v1/watch").requestTimeout(Duration.ZERO)
              .build(new SseWatchService(watch).decorate(AdminHttpGuard.acceptingQueryToken(gate, "Watch", Role.VIEWER))
                                               .decorate(standbyRefusal));
            sb.route().get("/v1/jobs/{id}/logs/follow").requestTimeout(Duration.ZERO)
              .build(new dev.baton.server.api.SseLogService(plane.logs())
                             .decorate(AdminHttpGuard.acceptingQueryToken(gate, "FollowLogs", Role.VIEWER))
                             .decorate(standbyRefusal));
            sb.decorator(Route.builder().path("/v1/jobs/{id}/logs").build(),
                         dev.baton.server.api.LogEndpoint::checkQuery);
            sb.serverListener(ServerListener.builder().whenStopping(unused -> watch.stop()).build());
            // The dashboard: static files from the jar, no build step.
            ClassLoader resources = BatonServer.class.getClassLoader();
            sb.service("/", HttpFile.builder(resources, "dashboard/index.html")
                                    .cacheControl(ServerCacheControl.REVALIDATED).build().asService());
            sb.serviceUnder("/dashboard/", FileService.builder(resources, "dashboard")
                                                      .cacheControl(ServerCacheControl.REVALIDATED).build());
        };
        timeline.step("control_plane");
        this.server = ApiServer.build(plane, registry, health, grpcHealth, gate,
                                      new StandbyGate(() -> serving, leadership::leaderAddress), services, routes);
        timeline.step("api_build");
    }

    /** Starts a server with wall-clock time. */
    public static BatonServer start(BatonConfig config) {
        return start(config, new SystemTimeSource(), true, Stores::open, defaultEngineSettings(config));
    }

    /** Starts a server whose timers run on {@code time} (a {@code VirtualTimeSource} in tests). */
    public static BatonServer start(BatonConfig config, TimeSource time) {
        return start(config, time, false, Stores::open, defaultEngineSettings(config));
    }

    /** Starts a server on a store of the caller's making (tests wrap the store to inject faults). */
    public static BatonServer start(BatonConfig config, TimeSource time, Function<BatonConfig, BatonStore> store) {
        return start(config, time, false, store, defaultEngineSettings(config));
    }

    /** Starts a server with wall-clock time and the given engine settings (tests: mount roots, breaker). */
    public static BatonServer start(BatonConfig config, EngineSettings engineSettings) {
        return start(config, new SystemTimeSource(), true, Stores::open, engineSettings);
    }

    private static EngineSettings defaultEngineSettings(BatonConfig config) {
        return EngineSettings.defaults(config.engineMountRoots());
    }

    private static BatonServer start(BatonConfig config, TimeSource time, boolean ownsTime,
                                     Function<BatonConfig, BatonStore> storeFactory, EngineSettings engineSettings) {
        BatonServer baton = new BatonServer(config, time, ownsTime, storeFactory, engineSettings);
        try {
            // The port answers first (standbys refuse with the leader's address); the embedded
            // store's sole leader is elected, recovered and serving before this returns.
            baton.server.start().join();
            baton.timeline.step("port_open");
            baton.leadership.start(baton.advertisedAddress(), baton.new LeaderRole());
        } catch (RuntimeException e) {
            baton.close();
            throw e;
        }
        log.info("event=server-started port={} data_dir={} store={} role=\"{}\" admin_auth={} admin_tokens={} "
                 + "startup_ms=\"{}\"",
                 baton.port(), config.dataDir().toAbsolutePath(), config.storeUrl().isEmpty() ? "sqlite" : "postgresql",
                 baton.leadership.describe(), config.adminAuthMode().label(), config.adminTokens().size(),
                 baton.timeline.summary());
        if (config.adminAuthMode() == AuthMode.OFF) {
            log.warn("event=admin-auth-off: ADMIN_AUTH=off, anyone who can reach port {} may run any admin call",
                     baton.port());
        }
        if (config.dockerEnabled() && config.tls() != null && config.engineClientCertFile() == null
            && config.tls().agentClientCert() == TlsConfig.AgentClientCert.REQUIRED) {
            log.warn("event=engines-without-client-certificate: AGENT_CLIENT_CERT=required but ENGINE_CLIENT_CERT_FILE "
                     + "is not set, so pool engines cannot connect; set ENGINE_CLIENT_CERT_FILE and ENGINE_CLIENT_KEY_FILE");
        }
        return baton;
    }

    /** What leading means: recover and serve when elected; stop acting at once when deposed. */
    private final class LeaderRole implements Leadership.Listener {
        @Override
        public void elected() {
            LoadedState loaded = storedState();
            timeline.step("store_read_wait");
            plane.start(loaded.state(), loaded.finished());
            engines.start(port());
            serving = true;
            timeline.step("recover");
            log.info("event=serving-as-leader address={}", advertisedAddress());
        }

        @Override
        public void deposed(String why) {
            serving = false;
            stopActing("this server lost the leadership; reconnect to the new leader");
            engines.close();
            webhooks.close(); // the new leader delivers from the store; this one's copy is stale
            log.warn("event=deposed reason=\"{}\"", why);
            onDeposed.run();
        }
    }

    /** Stops reacting to agents leaving, then tells each connected agent {@code why} and closes its stream. */
    private void stopActing(String why) {
        plane.beginShutdown();
        plane.loop().call(() -> {
            plane.fleet().online().forEach(agent -> agent.session().close(io.grpc.Status.UNAVAILABLE.withDescription(why)));
            return null;
        }).join();
    }

    /** Where other servers and clients are told to find this one: BATON_ADVERTISED_ADDRESS or 127.0.0.1:port. */
    public String advertisedAddress() {
        return config.advertisedAddress().isEmpty() ? "127.0.0.1:" + port() : config.advertisedAddress();
    }

    /** True while this server leads and serves the API; a standby refuses with the leader's address. */
    public boolean serving() {
        return serving;
    }

    /** The leader election (tests inspect and break it). */
    public Leadership leadership() {
        return leadership;
    }

    /**
     * Runs after this server stopped acting as leader (its in-memory state is stale from then on).
     * The process entry point exits so that a supervisor restarts it as a fresh standby.
     */
    public void onDeposed(Runnable action) {
        this.onDeposed = action;
    }

    /**
     * What the store holds now. The embedded store's state was read in the background while
     * Armeria was built (it is the sole leader, elected at once); a shared store is read at election,
     * since what a standby could have read before is stale by then.
     */
    private LoadedState storedState() {
        CompletableFuture<LoadedState> early = preloaded;
        preloaded = null;
        if (early == null) {
            return LoadedState.read(store);
        }
        try {
            return early.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** The stored state and its finished jobs indexed for the job book, both made off the control loop. */
    private record LoadedState(StoredState state, JobBook.FinishedIndex finished) {
        static LoadedState read(BatonStore store) {
            StoredState state = store.load();
            return new LoadedState(state, JobBook.index(state.finishedJobs()));
        }
    }

    /** The port the server listens on (useful with port 0). */
    public int port() {
        return server.activeLocalPort();
    }

    public BatonConfig config() {
        return config;
    }

    /** The engine pools subsystem. */
    public EnginePools engines() {
        return engines;
    }

    /** The control plane (tests use it to wait for the loop and to inspect state). */
    public ControlPlane controlPlane() {
        return plane;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("event=server-stopping");
        grpcHealth.enterTerminalState();
        stopActing("server shutting down; reconnect with the same agent id to keep your jobs");
        server.stop().join();
        engines.close();
        webhooks.close();
        plane.close();
        // Flush with this server's epoch first; closing the leadership then frees the lock.
        store.close();
        leadership.close();
        gcMetrics.close();
        if (ownsTime && time instanceof SystemTimeSource system) {
            system.close();
        }
        log.info("event=server-stopped");
    }
}
