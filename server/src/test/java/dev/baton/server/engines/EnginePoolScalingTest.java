package dev.baton.server.engines;

import static dev.baton.server.engines.EngineDocker.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.google.protobuf.util.Durations;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.GetJobRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.ListAgentsRequest;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.proto.v1.PoolStatus;
import dev.baton.proto.v1.Resources;
import dev.baton.proto.v1.StopJobRequest;

/**
 * A pool on the real Docker engine: min FREE engines whose agents join the fleet, scale-up when one
 * becomes busy, scale-down only after the grace, limits and labels on the containers, containers
 * removed behind Baton's back, a foreign container left alone, and a missing image.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EnginePoolScalingTest {

    private static final String POOL = "scaling";
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    static Path dataDir;
    static EngineDocker docker;
    static EngineTestServer server;
    static String foreignContainer;

    @BeforeAll
    static void start() {
        docker = EngineDocker.require();
        // A container from the same image without Baton's labels: it must survive everything below.
        foreignContainer = docker.client.createContainerCmd(EngineDocker.IMAGE).withCmd("sleep", "300")
                                        .withName("baton-test-foreign-" + System.nanoTime())
                                        .withHostConfig(com.github.dockerjava.api.model.HostConfig.newHostConfig()
                                                                                       .withNetworkMode("host")
                                                                                       .withInit(true))
                                        .exec().getId();
        docker.client.startContainerCmd(foreignContainer).exec();
        server = EngineTestServer.start(EngineTestServer.config(dataDir, 0).build(), docker);
        PoolSpec spec = docker.agentSpec().setMinFree(2).setMaxEngines(5)
                              .setGracePeriod(Durations.fromSeconds(2))
                              .setResources(Resources.newBuilder().setCpus(0.5).setMemoryBytes(256L << 20).setPids(64))
                              .putLabels("zone", "test").build();
        server.createPool(POOL, spec);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            String instance = server.instanceId();
            server.close();
            docker.removeAll(instance);
        }
        if (docker != null) {
            if (foreignContainer != null) {
                docker.client.removeContainerCmd(foreignContainer).withForce(true).exec();
            }
            docker.close();
        }
    }

    @Test
    @Order(1)
    void minFreeEnginesStartAndTheirAgentsJoinTheFleet() {
        await("2 FREE engines", START, () -> server.count(POOL, Engine.State.FREE) == 2);
        List<Engine> engines = server.engines(POOL);
        assertThat(engines).hasSize(2).allSatisfy(e -> {
            assertThat(e.getDockerStatus()).isEqualTo("running");
            assertThat(e.getAgentId()).isEqualTo(e.getId());
            assertThat(e.getConfigHash()).isEqualTo(server.status(POOL).getConfigHash());
        });
        List<Agent> agents = server.fleet.listAgents(ListAgentsRequest.newBuilder()
                                                                      .setLabelSelector("baton.pool=" + POOL).build())
                                         .getAgentsList();
        assertThat(agents).extracting(Agent::getEngineId)
                          .containsExactlyInAnyOrderElementsOf(engines.stream().map(Engine::getId).toList());
        assertThat(agents).allSatisfy(a -> assertThat(a.getLabelsMap()).containsEntry("zone", "test"));
        PoolStatus status = server.status(POOL);
        assertThat(status.getHealth()).isEqualTo(PoolStatus.Health.HEALTHY);
        assertThat(status.getFree()).isEqualTo(2);
        assertThat(status.getTotal()).isEqualTo(2);
    }

    @Test
    @Order(2)
    void limitsLabelsHostNetworkAndInitAreOnTheContainer() {
        Engine engine = server.engines(POOL).get(0);
        InspectContainerResponse inspect = docker.client.inspectContainerCmd(engine.getContainerId()).exec();
        var host = inspect.getHostConfig();
        assertThat(host.getMemory()).isEqualTo(256L << 20);
        assertThat(host.getPidsLimit()).isEqualTo(64L);
        assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
        assertThat(host.getNetworkMode()).isEqualTo("host");
        assertThat(host.getInit()).isTrue();
        assertThat(host.getPrivileged()).isFalse();
        Map<String, String> labels = inspect.getConfig().getLabels();
        assertThat(labels).containsEntry(EngineLabels.MANAGED_BY, server.instanceId())
                          .containsEntry(EngineLabels.POOL, POOL)
                          .containsEntry(EngineLabels.ENGINE_ID, engine.getId())
                          .containsEntry(EngineLabels.CONFIG_HASH, engine.getConfigHash())
                          .containsEntry(EngineLabels.LABEL_PREFIX + "zone", "test")
                          .containsKey(EngineLabels.CREATED_AT);
        assertThat(inspect.getConfig().getEnv()).anyMatch(e -> e.equals("BATON_ENGINE_ID=" + engine.getId()))
                                                .anyMatch(e -> e.startsWith("BATON_LABELS=baton.pool=" + POOL));
    }

    @Test
    @Order(3)
    void aBusyEngineIsBackfilledAndTheSurplusGoesOnlyAfterTheGrace() {
        String job = server.submit(POOL);
        await("job RUNNING", START, () -> status(job) == Job.Status.RUNNING);
        // Min FREE, not total: 1 used + 2 free.
        await("3 engines: 1 used, 2 free", START,
              () -> server.count(POOL, Engine.State.USED) == 1 && server.count(POOL, Engine.State.FREE) == 2);
        assertThat(server.status(POOL).getDesired()).isEqualTo(3);

        server.jobs.stopJob(StopJobRequest.newBuilder().setId(job).build());
        await("job STOPPED", START, () -> status(job) == Job.Status.STOPPED);
        long stoppedAt = System.nanoTime();
        await("3 free engines", Duration.ofSeconds(10), () -> server.count(POOL, Engine.State.FREE) == 3);
        await("surplus engine removed", Duration.ofSeconds(30), () -> server.engines(POOL).size() == 2);
        Duration surplusLived = Duration.ofNanos(System.nanoTime() - stoppedAt);
        assertThat(surplusLived).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(server.count(POOL, Engine.State.FREE)).isEqualTo(2);
    }

    @Test
    @Order(4)
    void aContainerRemovedBehindBatonsBackLeavesTheListAndIsReplaced() {
        await("2 FREE engines", START, () -> server.count(POOL, Engine.State.FREE) == 2);
        Engine victim = server.engines(POOL).get(0);
        docker.client.removeContainerCmd(victim.getContainerId()).withForce(true).exec();
        long removedAt = System.nanoTime();
        await("removed engine gone from the list", Duration.ofSeconds(2),
              () -> server.engines(POOL).stream().noneMatch(e -> e.getId().equals(victim.getId())));
        assertThat(Duration.ofNanos(System.nanoTime() - removedAt)).isLessThanOrEqualTo(Duration.ofSeconds(2));
        await("a replacement is FREE", START, () -> server.count(POOL, Engine.State.FREE) == 2
                                                   && server.engines(POOL).size() == 2);
        Set<String> ids = server.engines(POOL).stream().map(Engine::getId).collect(Collectors.toSet());
        assertThat(ids).doesNotContain(victim.getId());
    }

    @Test
    @Order(5)
    void aForeignContainerIsNeverTouched() {
        InspectContainerResponse foreign = docker.client.inspectContainerCmd(foreignContainer).exec();
        assertThat(foreign.getState().getRunning()).isTrue();
        assertThat(foreign.getConfig().getLabels()).doesNotContainKey(EngineLabels.MANAGED_BY);
        assertThat(server.engines("")).noneMatch(e -> e.getContainerId().equals(foreignContainer));
    }

    @Test
    @Order(6)
    void aMissingImageIsAClearErrorOnThePool() {
        server.createPool("missing-image", PoolSpec.newBuilder().setImage("baton-test/missing:1").addCommand("sleep")
                                                   .addCommand("300").setMinFree(1).build());
        await("IMAGE_ERROR", Duration.ofSeconds(30),
              () -> server.status("missing-image").getHealth() == PoolStatus.Health.IMAGE_ERROR);
        PoolStatus status = server.status("missing-image");
        assertThat(status.getMessage()).contains("baton-test/missing:1").contains("could not be pulled");
        assertThat(status.getTotal()).isZero();
        await("engines health DEGRADED", Duration.ofSeconds(10),
              () -> server.baton.engines().health().getStatus().equals("DEGRADED"));
        assertThat(server.baton.engines().health().getMessage()).contains("missing-image").contains("IMAGE_ERROR");
    }

    private static Job.Status status(String job) {
        return server.jobs.getJob(GetJobRequest.newBuilder().setId(job).build()).getStatus();
    }
}
