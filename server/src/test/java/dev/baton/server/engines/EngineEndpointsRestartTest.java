package dev.baton.server.engines;

import static dev.baton.server.engines.EngineDocker.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.ScalePoolRequest;
import dev.baton.server.config.BatonConfig;

/**
 * After a restart, Baton re-reserves the ports of the engines it adopts from their labels: they keep
 * their ports and still answer there, and a new engine gets a port none of them holds. Ports 19450-19459.
 */
class EngineEndpointsRestartTest {

    private static final String POOL = "web-restart";
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    static Path dataDir;
    static EngineDocker docker;
    static EngineTestServer server;
    static String instanceId;

    @BeforeAll
    static void connect() {
        docker = EngineDocker.require();
    }

    @AfterAll
    static void cleanUp() {
        if (server != null) {
            server.close();
        }
        if (docker != null) {
            if (instanceId != null) {
                docker.removeAll(instanceId);
            }
            docker.close();
        }
    }

    @Test
    void adoptedEnginesKeepTheirPortsAndANewEngineGetsAnotherOne() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        BatonConfig config = EngineTestServer.config(dataDir, port).build();
        server = EngineTestServer.start(config, docker);
        instanceId = server.instanceId();
        server.createPool(POOL, HttpEngines.spec(docker, HttpEngines.range(19450, 19459)).setMinFree(2)
                                           .setMaxEngines(4).build());
        await("2 FREE engines", START, () -> server.count(POOL, Engine.State.FREE) == 2);
        Map<String, Integer> before = ports();
        assertThat(before.values()).doesNotHaveDuplicates().allSatisfy(p -> assertThat(p).isBetween(19450, 19459));

        server.close();
        server = EngineTestServer.start(config, docker);
        await("adopted engines FREE again", START, () -> server.count(POOL, Engine.State.FREE) == 2);
        assertThat(ports()).isEqualTo(before);
        before.forEach((engine, p) -> assertThat(HttpEngines.get("http://127.0.0.1:" + p)).isEqualTo(engine));

        server.engines.scalePool(ScalePoolRequest.newBuilder().setName(POOL).setMinFree(3).build());
        await("3 FREE engines", START, () -> server.count(POOL, Engine.State.FREE) == 3);
        Map<String, Integer> after = ports();
        assertThat(after).containsAllEntriesOf(before).hasSize(3);
        int fresh = after.entrySet().stream().filter(e -> !before.containsKey(e.getKey())).findFirst().orElseThrow()
                         .getValue();
        assertThat(fresh).isBetween(19450, 19459).isNotIn(before.values());
    }

    /** Engine id → its http port, as ListEngines shows it. */
    private static Map<String, Integer> ports() {
        return server.engines(POOL).stream().collect(Collectors.toMap(Engine::getId, e -> e.getEndpoints(0).getPort()));
    }
}
