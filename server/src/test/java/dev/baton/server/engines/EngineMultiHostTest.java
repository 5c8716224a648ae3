package dev.baton.server.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.CordonHostRequest;
import dev.baton.proto.v1.CreateHostRequest;
import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.DrainHostRequest;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.GetAgentRequest;
import dev.baton.proto.v1.GetHostRequest;
import dev.baton.proto.v1.ScalePoolRequest;
import dev.baton.proto.v1.UncordonHostRequest;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.testing.Eventually;

/**
 * One pool on two real Docker daemons: the main one ({@code local}) and a second dockerd this test
 * starts, stops and restarts ({@code b}). The steps run in order on one server, as an operator would
 * see them: spread, host loss, host return, cordon, drain. Daemon b runs with live-restore, so that
 * its engines keep running while its API is gone: Baton cannot see them stop, only the host go
 * silent, and must mark them lost, replace them, and clean up the survivors when b returns.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EngineMultiHostTest {

    private static final Logger log = LoggerFactory.getLogger(EngineMultiHostTest.class);
    private static final String POOL = "spread";
    private static final Duration LOST_AFTER = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path dataDir;
    static EngineDocker docker;
    static ExtraDockerDaemon daemonB;
    static EngineTestServer server;

    @BeforeAll
    static void start() throws Exception {
        docker = EngineDocker.require();
        daemonB = ExtraDockerDaemon.start(docker, EngineDocker.IMAGE, "--live-restore");
        BatonConfig config = EngineTestServer.config(dataDir, 0).engineHostLostAfter(LOST_AFTER).build();
        // Monitor retries at most every 2 s, so a returning host is seen within seconds.
        EngineSettings settings = EngineSettings.defaults(docker.mountRoots())
                                                .withRetry(Duration.ofSeconds(1), Duration.ofSeconds(2));
        server = EngineTestServer.startWith(config, settings);
        server.engines.createHost(CreateHostRequest.newBuilder().setHost(
                DockerHost.newBuilder().setName("b").setEndpoint(daemonB.endpoint).putLabels("zone", "b")).build());
        Eventually.await("both hosts answer", WAIT, () -> host("b").getStatus().getReachable()
                                                          && host("local").getStatus().getReachable());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        ExtraDockerDaemon.closeAll(server, daemonB, docker);
    }

    @Test
    @Order(1)
    void aPoolWithMinFreeFourSpreadsTwoAndTwo() {
        assertThat(host("b").getStatus().getEngineVersion()).isNotEmpty();
        server.createPool(POOL, docker.agentSpec().setMinFree(4).setMaxEngines(8).build());

        Map<String, Long> perHost = awaitFree("4 free engines", engines -> engines.size() == 4);
        assertThat(perHost).containsEntry("local", 2L).containsEntry("b", 2L);
        assertThat(containersOn(daemonB)).isEqualTo(2);
        assertThat(host("b").getStatus().getEngines()).isEqualTo(2);
    }

    @Test
    @Order(2)
    void aStoppedHostsEnginesAreMarkedLostAndReplacedOnTheOtherHost() throws Exception {
        long stoppedAt = System.nanoTime();
        daemonB.stopProcess();

        Eventually.await("b's two engines are LOST", WAIT, () -> server.engines(POOL).stream()
                .filter(e -> e.getHost().equals("b") && e.getState() == Engine.State.LOST).count() == 2);
        long lostAfterMs = (System.nanoTime() - stoppedAt) / 1_000_000;
        Map<String, Long> perHost = awaitFree("4 free engines on local",
                                              engines -> engines.size() == 4
                                                         && engines.stream().allMatch(e -> e.getHost().equals("local")));
        long replacedAfterMs = (System.nanoTime() - stoppedAt) / 1_000_000;
        log.info("measured host_lost_after_ms={} replaced_after_ms={} (ENGINE_HOST_LOST_AFTER_S={})", lostAfterMs,
                 replacedAfterMs, LOST_AFTER.toSeconds());

        assertThat(lostAfterMs).isGreaterThanOrEqualTo(LOST_AFTER.toMillis());
        assertThat(perHost).containsOnlyKeys("local");
        DockerHost b = host("b");
        assertThat(b.getStatus().getReachable()).isFalse();
        assertThat(b.getStatus().getLost()).isTrue();
        assertThat(b.getStatus().getLastError()).contains(daemonB.endpoint);
        assertThat(server.engines(POOL).stream().filter(e -> e.getState() == Engine.State.LOST))
                .hasSize(2).allSatisfy(e -> assertThat(e.getReason()).contains("host b unreachable"));
        // Their agents still run (live-restore kept the containers) but take no new jobs.
        assertThat(server.engines(POOL).stream().filter(e -> e.getState() == Engine.State.LOST))
                .allSatisfy(e -> assertThat(agent(e.getAgentId()).getState()).isNotEqualTo(Agent.State.OFFLINE))
                .allSatisfy(e -> assertThat(agent(e.getAgentId()).getDrain()).isTrue());
    }

    @Test
    @Order(3)
    void aReturningHostLeavesNoDuplicates() throws Exception {
        daemonB.startProcess();

        Eventually.await("b answers again and its old containers are gone", WAIT,
                         () -> host("b").getStatus().getReachable() && containersOn(daemonB) == 0
                               && server.engines(POOL).size() == 4);
        List<Engine> engines = server.engines(POOL);
        assertThat(engines).extracting(Engine::getHost).containsOnly("local");
        assertThat(engines).extracting(Engine::getState).containsOnly(Engine.State.FREE);
        assertThat(engines.stream().map(Engine::getId).distinct()).hasSize(4);
        assertThat(docker.managed(server.instanceId())).hasSize(4);
        assertThat(host("b").getStatus().getLost()).isFalse();
    }

    @Test
    @Order(4)
    void aCordonedHostGetsNoNewEngines() {
        DockerHost cordoned = server.engines.cordonHost(CordonHostRequest.newBuilder().setName("local").build());
        assertThat(cordoned.getState()).isEqualTo(DockerHost.State.CORDONED);
        server.engines.scalePool(ScalePoolRequest.newBuilder().setName(POOL).setMinFree(5).build());

        Map<String, Long> perHost = awaitFree("5 free engines", engines -> engines.size() == 5);
        // The new engine went to b although local has more room and fewer pools' engines would not matter.
        assertThat(perHost).containsEntry("local", 4L).containsEntry("b", 1L);
        assertThat(containersOn(daemonB)).isEqualTo(1);
        server.engines.uncordonHost(UncordonHostRequest.newBuilder().setName("local").build());
        assertThat(host("local").getState()).isEqualTo(DockerHost.State.ENABLED);
    }

    @Test
    @Order(5)
    void aDrainedHostsEnginesAreReplacedElsewhereThenRemoved() {
        String onB = server.engines(POOL).stream().filter(e -> e.getHost().equals("b")).findFirst().orElseThrow()
                           .getId();
        DockerHost draining = server.engines.drainHost(DrainHostRequest.newBuilder().setName("b").build());
        assertThat(draining.getState()).isEqualTo(DockerHost.State.DRAINING);

        Map<String, Long> perHost = awaitFree("5 free engines, none on b",
                                              engines -> engines.size() == 5
                                                         && engines.stream().noneMatch(e -> e.getHost().equals("b")));
        assertThat(perHost).containsOnly(Map.entry("local", 5L));
        assertThat(server.engines(POOL)).extracting(Engine::getId).doesNotContain(onB);
        Eventually.await("b has no container left", WAIT, () -> containersOn(daemonB) == 0);
        assertThat(host("b").getStatus().getEngines()).isZero();
    }

    private static DockerHost host(String name) {
        return server.engines.getHost(GetHostRequest.newBuilder().setName(name).build());
    }

    /** Waits until the pool has only FREE engines and {@code condition} holds for them; returns engines per host. */
    private static Map<String, Long> awaitFree(String what, Predicate<List<Engine>> condition) {
        List<List<Engine>> last = new java.util.ArrayList<>(List.of(List.of()));
        Eventually.await(what, WAIT, () -> {
            List<Engine> counted = server.engines(POOL).stream().filter(e -> e.getState() != Engine.State.LOST)
                                         .toList();
            last.set(0, counted);
            return counted.stream().allMatch(e -> e.getState() == Engine.State.FREE) && condition.test(counted);
        });
        return last.get(0).stream().collect(Collectors.groupingBy(Engine::getHost, Collectors.counting()));
    }

    private static Agent agent(String id) {
        return server.fleet.getAgent(GetAgentRequest.newBuilder().setId(id).build());
    }

    private static int containersOn(ExtraDockerDaemon daemon) {
        return daemon.client.listContainersCmd().withShowAll(true)
                            .withLabelFilter(Map.of(EngineLabels.MANAGED_BY, server.instanceId())).exec().size();
    }
}
