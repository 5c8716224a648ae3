package dev.baton.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.common.ServerCacheControl;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerListener;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.file.HttpFile;

import dev.baton.server.api.ApiServer;
import dev.baton.server.api.EngineEndpoint;
import dev.baton.server.api.HealthComponents;
import dev.baton.server.api.SseWatchService;
import dev.baton.server.api.WatchEndpoint;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.engines.EnginePools;
import dev.baton.server.engines.EngineSettings;
import dev.baton.server.store.BatonStore;
import dev.baton.server.store.PostgresStore;
import dev.baton.server.store.Stores;
import dev.baton.server.engines.InstanceId;
import dev.baton.server.ha.AdvisoryLockElection;
import dev.baton.server.ha.Leadership;
import dev.baton.server.ha.SoleLeader;
import dev.baton.server.ha.StandbyGate;
import dev.baton.server.time.SystemTimeSource;
import dev.baton.server.time.TimeSource;
import dev.baton.server.watch.WatchStreams;
import io.grpc.BindableService;
import io.grpc.protobuf.services.HealthStatusManager;
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
    private final HealthStatusManager grpcHealth = new HealthStatusManager();
    private final Server server;
    private final Leadership leadership;
    private volatile boolean serving;
    private volatile Runnable onDeposed = () -> { };
    private volatile boolean closed;

    private BatonServer(BatonConfig config, TimeSource time, boolean ownsTime,
                        Function<BatonConfig, BatonStore> storeFactory, EngineSettings engineSettings) {
        this.config = config;
        this.time = time;
        this.ownsTime = ownsTime;
        this.store = storeFactory.apply(config);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.leadership = store instanceof PostgresStore shared
                ? new AdvisoryLockElection(shared.endpoint(), shared, config.leaderCheckInterval())
                : new SoleLeader();
        this.engines = store instanceof PostgresStore shared
                ? new EnginePools(config, engineSettings, registry, shared.sharedInstanceId(InstanceId.generate()))
                : new EnginePools(config, engineSettings, registry);
        this.plane = new ControlPlane(config, time, store, registry, engines);
        engines.attach(plane);
        HealthComponents health = new HealthComponents(plane);
        health.add(engines::health);
        health.add(() -> dev.baton.proto.v1.ComponentStatus.newBuilder().setName("leadership").setStatus("UP")
                                                            .setMessage(leadership.describe()).build());
        WatchStreams watch = new WatchStreams(plane, registry);
        List<BindableService> services = new ArrayList<>();
        services.add(new EngineEndpoint(engines));
        services.add(new WatchEndpoint(watch));
        Consumer<ServerBuilder> routes = sb -> {
            sb.decorator(Route.builder().path("/v1/watch").build(), (delegate, ctx, req) -> serving
                    ? delegate.serve(ctx, req)
                    : HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8,
                                      StandbyGate.refusal(leadership.leaderAddress()).getDescription()));
            sb.route().get("/v1/watch").requestTimeout(Duration.ZERO).build(new SseWatchService(watch));
            sb.serverListener(ServerListener.builder().whenStopping(unused -> watch.stop()).build());
            // The dashboard: static files from the jar, no build step.
            ClassLoader resources = BatonServer.class.getClassLoader();
            sb.service("/", HttpFile.builder(resources, "dashboard/index.html")
                                    .cacheControl(ServerCacheControl.REVALIDATED).build().asService());
            sb.serviceUnder("/dashboard/", FileService.builder(resources, "dashboard")
                                                      .cacheControl(ServerCacheControl.REVALIDATED).build());
        };
        this.server = ApiServer.build(plane, registry, health, grpcHealth, services, routes,
                                      List.of(new StandbyGate(() -> serving, leadership::leaderAddress)));
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
            baton.leadership.start(baton.advertisedAddress(), baton.new Role());
        } catch (RuntimeException e) {
            baton.close();
            throw e;
        }
        log.info("event=server-started port={} data_dir={} store={} role=\"{}\"", baton.port(),
                 config.dataDir().toAbsolutePath(), config.storeUrl().isEmpty() ? "sqlite" : "postgresql",
                 baton.leadership.describe());
        return baton;
    }

    /** What leading means: recover and serve when elected; stop acting at once when deposed. */
    private final class Role implements Leadership.Listener {
        @Override
        public void elected() {
            plane.start();
            engines.start(port());
            serving = true;
            log.info("event=serving-as-leader address={}", advertisedAddress());
        }

        @Override
        public void deposed(String why) {
            serving = false;
            stopActing("this server lost the leadership; reconnect to the new leader");
            engines.close();
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
        plane.close();
        // Flush with this server's epoch first; closing the leadership then frees the lock.
        store.close();
        leadership.close();
        if (ownsTime && time instanceof SystemTimeSource system) {
            system.close();
        }
        log.info("event=server-stopped");
    }
}
