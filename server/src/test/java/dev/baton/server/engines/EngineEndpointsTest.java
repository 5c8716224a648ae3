package dev.baton.server.engines;

import static dev.baton.server.engines.EngineDocker.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Frame;
import com.google.protobuf.util.Durations;

import dev.baton.proto.v1.Endpoint;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.GetJobRequest;
import dev.baton.proto.v1.HealthProbe;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.PoolStatus;
import dev.baton.proto.v1.ScalePoolRequest;
import dev.baton.server.testing.Rest;

/**
 * Named ports on the real Docker engine: each engine gets its own port from the pool's range (env,
 * label, endpoint), answers there, a job shows where it is served, a port another process holds is
 * skipped, a full range is a pool error, and an engine that fails its health probe is replaced.
 * Ports 19400-19449 (other Docker test classes use other ranges).
 */
class EngineEndpointsTest {

    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    static Path dataDir;
    static EngineDocker docker;
    static EngineTestServer server;
    static Rest rest;

    @BeforeAll
    static void start() {
        docker = EngineDocker.require();
        server = EngineTestServer.start(EngineTestServer.config(dataDir, 0).build(), docker);
        rest = new Rest("http://127.0.0.1:" + server.baton.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            String instance = server.instanceId();
            server.close();
            docker.removeAll(instance);
        }
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    void twoEnginesGetDistinctPortsAndAnswerAtTheEndpointsThatTheApiShows() {
        server.createPool("web", HttpEngines.spec(docker, HttpEngines.range(19400, 19409)).setMinFree(2)
                                            .setMaxEngines(3).build());
        await("2 FREE engines", START, () -> server.count("web", Engine.State.FREE) == 2);

        JsonNode listed = rest.get("/v1/engines?pool=web").json().get("engines");
        assertThat(listed).hasSize(2);
        Set<Integer> ports = new java.util.HashSet<>();
        for (JsonNode engine : listed) {
            String id = engine.get("id").asText();
            JsonNode endpoint = engine.get("endpoints").get(0);
            int port = endpoint.get("port").asInt();
            assertThat(endpoint.get("name").asText()).isEqualTo("http");
            assertThat(endpoint.get("url").asText()).isEqualTo("http://127.0.0.1:" + port);
            assertThat(port).isBetween(19400, 19409);
            ports.add(port);
            // The container itself serves at the endpoint: its index.html is its engine id.
            assertThat(HttpEngines.get(endpoint.get("url").asText())).isEqualTo(id);
            InspectContainerResponse inspect = docker.client.inspectContainerCmd(engine.get("containerId").asText())
                                                            .exec();
            assertThat(inspect.getConfig().getLabels()).containsEntry("baton.port.http", Integer.toString(port));
            assertThat(inspect.getConfig().getEnv()).contains("BATON_PORT_HTTP=" + port);
        }
        assertThat(ports).hasSize(2);

        // A job on the pool shows the endpoint of the engine that runs it: GetJob, and the lookup.
        String jobId = server.submit("web");
        await("job RUNNING", START, () -> job(jobId).getStatus() == Job.Status.RUNNING);
        Job job = job(jobId);
        Engine engine = server.engines("web").stream().filter(e -> e.getJobIdsList().contains(jobId)).findFirst()
                              .orElseThrow();
        assertThat(job.getEndpointsList()).extracting(Endpoint::getUrl)
                                          .containsExactly(engine.getEndpoints(0).getUrl());
        Rest.Response route = rest.get("/v1/jobs/" + jobId + "/endpoint");
        assertThat(route.status()).isEqualTo(200);
        assertThat(route.json().get("url").asText()).isEqualTo(engine.getEndpoints(0).getUrl());
        assertThat(route.json().get("engineId").asText()).isEqualTo(engine.getId());
        assertThat(HttpEngines.get(route.json().get("url").asText())).isEqualTo(engine.getId());
        assertThat(rest.get("/v1/jobs/" + jobId + "/endpoint?name=https").status()).isEqualTo(404);

        server.jobs.stopJob(dev.baton.proto.v1.StopJobRequest.newBuilder().setId(jobId).build());
        await("job STOPPED", START, () -> job(jobId).getStatus() == Job.Status.STOPPED);
        Rest.Response ended = rest.get("/v1/jobs/" + jobId + "/endpoint");
        assertThat(ended.status()).isEqualTo(409);
        assertThat(ended.body()).contains("served nowhere");
    }

    @Test
    void aPortHeldByAnotherProcessIsSkippedAndAFullRangeIsAPoolError() throws Exception {
        try (ServerSocket held = new ServerSocket()) {
            held.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 19420));
            server.createPool("held", HttpEngines.spec(docker, HttpEngines.range(19420, 19421)).setMinFree(1)
                                                 .setMaxEngines(3).build());
            await("1 FREE engine", START, () -> server.count("held", Engine.State.FREE) == 1);
            assertThat(server.engines("held").get(0).getEndpoints(0).getPort()).isEqualTo(19421);

            // Two free engines wanted, one port left in the range, held by this test: a pool error.
            server.engines.scalePool(ScalePoolRequest.newBuilder().setName("held").setMinFree(2).build());
            await("PORTS_EXHAUSTED", START,
                  () -> server.status("held").getHealth() == PoolStatus.Health.PORTS_EXHAUSTED);
            assertThat(server.status("held").getMessage())
                    .contains("no free host port for \"http\" in 19420-19421 (1 held by engines, 1 in use on the host)");
            assertThat(docker.managed(server.instanceId()).stream()
                             .filter(c -> "held".equals(c.getLabels().get(EngineLabels.POOL)))).hasSize(1);
        }
        // The port is free again: the next pass takes it.
        await("2 FREE engines", START, () -> server.count("held", Engine.State.FREE) == 2);
        assertThat(server.engines("held")).extracting(e -> e.getEndpoints(0).getPort())
                                          .containsExactlyInAnyOrder(19420, 19421);
        assertThat(server.status("held").getHealth()).isEqualTo(PoolStatus.Health.HEALTHY);
    }

    @Test
    void anEngineThatFailsItsHealthProbeGetsNoJobsAndIsReplaced() {
        Engine sick = probedPool("probed", 19430, 19439, 3);

        // Its web server stops answering /health (404) while the agent stays connected.
        exec(sick.getContainerId(), "/bin/busybox", "rm", "/tmp/www/health");
        await("engine UNHEALTHY", START, () -> state(sick) == Engine.State.UNHEALTHY);
        Engine unhealthy = server.engines("probed").stream().filter(e -> e.getId().equals(sick.getId())).findFirst()
                                 .orElseThrow();
        assertThat(unhealthy.getEndpoints(0).getHealth()).isEqualTo(Endpoint.Health.UNHEALTHY);
        assertThat(unhealthy.getReason()).contains("unhealthy: port http: GET http://127.0.0.1:"
                                                   + sick.getEndpoints(0).getPort() + "/health answered 404 (2 times in a row)");
        // No new jobs: its agent is drained, so a job goes to the replacement.
        String jobId = server.submit("probed");
        await("job RUNNING", START, () -> job(jobId).getStatus() == Job.Status.RUNNING);
        assertThat(job(jobId).getAgentId()).isNotEqualTo(sick.getAgentId());

        await("the unhealthy engine is removed", START,
              () -> server.engines("probed").stream().noneMatch(e -> e.getId().equals(sick.getId())));
        assertThat(docker.managed(server.instanceId())).noneMatch(c -> c.getId().equals(sick.getContainerId()));
        awaitHealthyFree("probed");
    }

    @Test
    void anEngineWhoseProbePassesAgainBeforeItsReplacementTakesJobsAgain() {
        Engine flaky = probedPool("flaky", 19440, 19449, 600);

        exec(flaky.getContainerId(), "/bin/busybox", "rm", "/tmp/www/health");
        await("engine UNHEALTHY and its agent drained", START, () -> state(flaky) == Engine.State.UNHEALTHY
                                                                     && agent(flaky).getDrain());
        exec(flaky.getContainerId(), "/bin/sh", "-c", "echo ok > /tmp/www/health");
        await("engine FREE again and its agent undrained", START, () -> state(flaky) == Engine.State.FREE
                                                                        && !agent(flaky).getDrain());
        assertThat(server.engines("flaky").stream().filter(e -> e.getId().equals(flaky.getId())).findFirst()
                         .orElseThrow().getEndpoints(0).getHealth()).isEqualTo(Endpoint.Health.HEALTHY);
    }

    /** A pool whose engines' /health is probed every 500 ms (2 failures: UNHEALTHY); its first healthy FREE engine. */
    private static Engine probedPool(String name, int first, int last, long replaceAfterSeconds) {
        HealthProbe probe = HealthProbe.newBuilder().setHttpPath("/health").setInterval(Durations.fromMillis(500))
                                       .setTimeout(Durations.fromSeconds(1)).setFailureThreshold(2).build();
        server.createPool(name, HttpEngines.spec(docker, HttpEngines.range(first, last).setProbe(probe))
                                           .setMinFree(1).setMaxEngines(3)
                                           .setReplaceUnhealthyAfter(Durations.fromSeconds(replaceAfterSeconds))
                                           .build());
        return awaitHealthyFree(name);
    }

    private static Engine awaitHealthyFree(String pool) {
        java.util.function.Supplier<java.util.Optional<Engine>> healthyFree = () -> server.engines(pool).stream().filter(
                e -> e.getState() == Engine.State.FREE && e.getEndpoints(0).getHealth() == Endpoint.Health.HEALTHY)
                .findFirst();
        await("a FREE engine of " + pool + " with a HEALTHY endpoint", START, () -> healthyFree.get().isPresent());
        return healthyFree.get().orElseThrow();
    }

    private static Engine.State state(Engine engine) {
        return server.engines(engine.getPool()).stream().filter(e -> e.getId().equals(engine.getId()))
                     .map(Engine::getState).findFirst().orElse(Engine.State.STATE_UNSPECIFIED);
    }

    private static dev.baton.proto.v1.Agent agent(Engine engine) {
        return server.fleet.getAgent(dev.baton.proto.v1.GetAgentRequest.newBuilder().setId(engine.getAgentId())
                                                                        .build());
    }

    private static Job job(String id) {
        return server.jobs.getJob(GetJobRequest.newBuilder().setId(id).build());
    }

    private static void exec(String containerId, String... command) {
        String exec = docker.client.execCreateCmd(containerId).withCmd(command).exec().getId();
        try {
            docker.client.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
