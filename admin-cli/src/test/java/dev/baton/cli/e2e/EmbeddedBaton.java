package dev.baton.cli.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.baton.cli.Cli;
import dev.baton.proto.v1.Endpoint;
import dev.baton.server.BatonServer;
import dev.baton.server.config.BatonConfig;

/**
 * A real Baton server on an ephemeral loopback port, plus the test agents connected to it. One per test class:
 * a server takes about two seconds to stop.
 */
final class EmbeddedBaton implements AutoCloseable {

    static final String AGENT_TOKEN = "test-token";

    private final BatonServer server;
    private final List<TestAgent> agents = new ArrayList<>();

    private EmbeddedBaton(BatonServer server) {
        this.server = server;
    }

    static EmbeddedBaton start(Path dataDir) {
        return start(dataDir, config -> { });
    }

    /** A server with more configuration (admin tokens, auth mode). */
    static EmbeddedBaton start(Path dataDir, Consumer<BatonConfig.Builder> customize) {
        // Docker off: these tests are about the CLI, and engines are another module's business. A short shutdown
        // grace because every client has gone by the time the server closes.
        BatonConfig.Builder config = BatonConfig.builder()
                                                .port(0)
                                                .dataDir(dataDir)
                                                .agentToken(AGENT_TOKEN)
                                                .dockerEnabled(false)
                                                .shutdownGrace(Duration.ofSeconds(1));
        customize.accept(config);
        return new EmbeddedBaton(BatonServer.start(config.build()));
    }

    /** {@code 127.0.0.1:port}, for {@code --server}. */
    String address() {
        return "127.0.0.1:" + server.port();
    }

    /** Runs batonctl against this server. */
    Cli.Result run(String... args) {
        return Cli.run(withServer(args));
    }

    /** Starts batonctl against this server in the background. */
    Cli.Running start(String... args) {
        return Cli.start(withServer(args));
    }

    /** Runs batonctl against this server with {@code stdin} as standard input. */
    Cli.Result runWithStdin(String stdin, String... args) {
        return Cli.runWithStdin(stdin, withServer(args));
    }

    private String[] withServer(String... args) {
        String[] withServer = Arrays.copyOf(args, args.length + 2);
        withServer[args.length] = "--server";
        withServer[args.length + 1] = address();
        return withServer;
    }

    /** Connects an agent and returns once the server welcomed it. */
    TestAgent connectAgent(String id, int slots, Map<String, String> labels) {
        return connectAgent(id, slots, labels, List.of());
    }

    /** An agent that advertises {@code endpoints}. */
    TestAgent connectAgent(String id, int slots, Map<String, String> labels,
                           List<Endpoint> endpoints) {
        TestAgent agent = TestAgent.connect(server.port(), id, slots, labels, endpoints);
        agents.add(agent);
        return agent;
    }

    @Override
    public void close() {
        agents.forEach(TestAgent::close);
        server.close();
    }
}
