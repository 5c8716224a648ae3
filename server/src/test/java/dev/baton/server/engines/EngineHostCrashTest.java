package dev.baton.server.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.proto.v1.CreateHostRequest;
import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.GetHostRequest;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.testing.Eventually;

/**
 * A second Docker daemon without live-restore crashes (SIGKILL): its API is gone at once while its
 * containers run on under their shims, so Baton only sees the host go silent. Its engine is marked
 * lost and replaced on the main daemon; when the daemon restarts it stops the orphaned container
 * (no live-restore), and Baton removes it: the pool ends with exactly its engines, none twice.
 */
class EngineHostCrashTest {

    private static final String POOL = "crash-host";
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path dataDir;
    static EngineDocker docker;
    static ExtraDockerDaemon daemonB;
    static EngineTestServer server;

    @BeforeAll
    static void start() throws Exception {
        docker = EngineDocker.require();
        daemonB = ExtraDockerDaemon.start(docker, EngineDocker.IMAGE);
        BatonConfig config = EngineTestServer.config(dataDir, 0).engineHostLostAfter(Duration.ofSeconds(3)).build();
        server = EngineTestServer.startWith(config, EngineSettings.defaults(docker.mountRoots())
                                                                  .withRetry(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        server.engines.createHost(CreateHostRequest.newBuilder().setHost(
                DockerHost.newBuilder().setName("b").setEndpoint(daemonB.endpoint)).build());
        Eventually.await("b answers", WAIT, () -> host("b").getStatus().getReachable());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        ExtraDockerDaemon.closeAll(server, daemonB, docker);
    }

    @Test
    void aCrashedHostsEngineIsLostReplacedAndRemovedWhenTheHostRestarts() throws Exception {
        server.createPool(POOL, docker.agentSpec().setMinFree(2).setMaxEngines(4).build());
        Eventually.await("one free engine on each host", WAIT, () -> {
            List<Engine> engines = server.engines(POOL);
            return engines.size() == 2 && engines.stream().allMatch(e -> e.getState() == Engine.State.FREE)
                   && engines.stream().map(Engine::getHost).distinct().count() == 2;
        });
        String onB = server.engines(POOL).stream().filter(e -> e.getHost().equals("b")).findFirst().orElseThrow()
                           .getId();

        daemonB.killProcess();

        Eventually.await("b's engine LOST and replaced: two free engines on local", WAIT, () -> {
            List<Engine> engines = server.engines(POOL);
            return engines.stream().anyMatch(e -> e.getId().equals(onB) && e.getState() == Engine.State.LOST)
                   && engines.stream().filter(e -> e.getHost().equals("local") && e.getState() == Engine.State.FREE)
                             .count() == 2;
        });
        assertThat(host("b").getStatus().getLost()).isTrue();

        daemonB.startProcess();

        Eventually.await("the lost engine is gone from b and from the pool", WAIT,
                         () -> server.engines(POOL).stream().noneMatch(e -> e.getId().equals(onB))
                               && containersOnB() == 0);
        List<Engine> engines = server.engines(POOL);
        assertThat(engines).hasSize(2).extracting(Engine::getHost).containsOnly("local");
        assertThat(engines).extracting(Engine::getState).containsOnly(Engine.State.FREE);
        assertThat(docker.managed(server.instanceId())).hasSize(2);
        assertThat(host("b").getStatus().getReachable()).isTrue();
    }

    private static DockerHost host(String name) {
        return server.engines.getHost(GetHostRequest.newBuilder().setName(name).build());
    }

    private static int containersOnB() {
        return daemonB.client.listContainersCmd().withShowAll(true)
                             .withLabelFilter(Map.of(EngineLabels.MANAGED_BY, server.instanceId())).exec().size();
    }
}
