package dev.baton.server.engines;

import static dev.baton.server.engines.EngineDocker.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.dockerjava.api.model.Container;

import dev.baton.proto.v1.Engine;
import dev.baton.server.config.BatonConfig;

/** A restart of Baton on the same data directory adopts the running engines; it never wipes them. */
class EnginePoolRestartTest {

    private static final String POOL = "restart";

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
    void aRestartAdoptsTheRunningEnginesWithTheSameContainers() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // The engines dial the advertised address back, so the second server listens where the first did.
        BatonConfig config = EngineTestServer.config(dataDir, port).build();
        server = EngineTestServer.start(config, docker);
        instanceId = server.instanceId();
        server.createPool(POOL, docker.agentSpec().setMinFree(2).setMaxEngines(4).build());
        await("2 FREE engines", Duration.ofSeconds(90), () -> server.count(POOL, Engine.State.FREE) == 2);
        Set<String> before = containerIds();

        server.close();
        server = null;
        assertThat(docker.managed(instanceId)).extracting(Container::getId)
                                              .containsExactlyInAnyOrderElementsOf(before);

        server = EngineTestServer.start(config, docker);
        assertThat(server.instanceId()).isEqualTo(instanceId);
        await("adopted engines FREE again", Duration.ofSeconds(60),
              () -> server.count(POOL, Engine.State.FREE) == 2);
        assertThat(containerIds()).isEqualTo(before);
        // Nothing was created on top of the adopted engines.
        assertThat(docker.managed(instanceId)).extracting(Container::getId)
                                              .containsExactlyInAnyOrderElementsOf(before);
    }

    private static Set<String> containerIds() {
        return server.engines(POOL).stream().map(Engine::getContainerId).collect(Collectors.toSet());
    }
}
