package dev.baton.bench.server;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.baton.server.BatonServer;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.config.ConfigLoader;

/** The server in this JVM, configured exactly as the child would be (same settings, same loader). */
final class InProcessServer implements ServerTarget {

    private final BatonServer server;
    private final Duration startToHealthy;
    private final Duration startToReady;

    private InProcessServer(BatonServer server, Duration startToHealthy, Duration startToReady) {
        this.server = server;
        this.startToHealthy = startToHealthy;
        this.startToReady = startToReady;
    }

    static InProcessServer start(ServerSpec spec) {
        Map<String, String> flags = new HashMap<>(spec.settings());
        flags.put("PORT", Integer.toString(spec.port()));
        flags.put("DATA_DIR", spec.dataDir().toString());
        flags.put("AGENT_TOKEN", TOKEN);
        flags.put("ENGINES_ENABLED", "false");
        // The load generator is one anonymous loopback caller: the per-token admin rate limit would
        // measure the policy, not the server. A scenario may still set it.
        flags.putIfAbsent("ADMIN_RATE_LIMIT_RPS", "0");
        BatonConfig config = ConfigLoader.load(Map.of(), flags);
        long started = System.nanoTime();
        BatonServer server = BatonServer.start(config);
        Health.Readiness ready = Health.await(server.port(), Duration.ofSeconds(60), () -> true);
        if (!ready.serving()) {
            server.close();
            throw new IllegalStateException("in-process server did not answer GET /healthz and GET /v1/status");
        }
        return new InProcessServer(server, Duration.ofNanos(ready.healthyAt() - started),
                                   Duration.ofNanos(ready.servingAt() - started));
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public boolean separateProcess() {
        return false;
    }

    @Override
    public Duration startToHealthy() {
        return startToHealthy;
    }

    @Override
    public Duration startToReady() {
        return startToReady;
    }

    @Override
    public void close() {
        server.close();
    }
}
