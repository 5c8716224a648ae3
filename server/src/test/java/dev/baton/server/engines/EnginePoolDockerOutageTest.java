package dev.baton.server.engines;

import static dev.baton.server.engines.EngineDocker.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.dockerjava.api.model.Container;

import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.PoolStatus;
import dev.baton.proto.v1.ScalePoolRequest;

/**
 * Docker goes away in the middle of scaling up and comes back: the pool reports DEGRADED meanwhile,
 * nothing is created while Docker is gone, scaling resumes by itself when it returns, and the pool
 * ends with exactly the engines it wants (no duplicates, no orphans).
 */
class EnginePoolDockerOutageTest {

    private static final String POOL = "outage";

    @TempDir
    static Path dataDir;
    static EngineDocker docker;
    static DockerSocketProxy proxy;
    static EngineTestServer server;

    @BeforeAll
    static void start() throws Exception {
        docker = EngineDocker.require();
        proxy = new DockerSocketProxy(dataDir.resolve("docker.sock"),
                                      Path.of(EngineDocker.HOST.replaceFirst("^unix://", "")));
        server = EngineTestServer.start(EngineTestServer.config(dataDir.resolve("data"), 0)
                                                        .dockerHost(proxy.dockerHost()).build(), docker);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            String instance = server.instanceId();
            proxy.restore();
            server.close();
            docker.removeAll(instance);
        }
        if (proxy != null) {
            proxy.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    void scalingResumesWhenDockerReturnsWithoutDuplicateEngines() {
        server.createPool(POOL, docker.agentSpec().setMinFree(1).setMaxEngines(4).build());
        await("1 FREE engine", Duration.ofSeconds(90), () -> server.count(POOL, Engine.State.FREE) == 1);

        proxy.cut();
        server.engines.scalePool(ScalePoolRequest.newBuilder().setName(POOL).setMinFree(3).build());
        await("pool DEGRADED: Docker unreachable", Duration.ofSeconds(30),
              () -> server.status(POOL).getHealth() == PoolStatus.Health.DEGRADED);
        assertThat(server.status(POOL).getMessage()).contains("Docker unreachable");
        assertThat(docker.managed(server.instanceId())).as("nothing created while Docker is gone").hasSize(1);

        proxy.restore();
        await("3 FREE engines after Docker returned", Duration.ofSeconds(120),
              () -> server.count(POOL, Engine.State.FREE) == 3);
        assertThat(server.status(POOL).getHealth()).isEqualTo(PoolStatus.Health.HEALTHY);
        assertThat(docker.managed(server.instanceId())).extracting(Container::getId).as("no duplicates, no orphans")
                .containsExactlyInAnyOrderElementsOf(server.engines(POOL).stream().map(Engine::getContainerId).toList());
        assertThat(server.engines(POOL)).hasSize(3);
    }
}
