package dev.baton.server.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.proto.v1.CordonHostRequest;
import dev.baton.proto.v1.CreateHostRequest;
import dev.baton.proto.v1.DeleteHostRequest;
import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.GetHostRequest;
import dev.baton.proto.v1.ListHostsRequest;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.proto.v1.PoolStatus;
import dev.baton.proto.v1.UpdateHostRequest;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.testing.Rest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The Docker host API with engines disabled (no Docker call is made): hosts are validated, stored,
 * served over gRPC and REST, and their definition and cordon/drain state survive a restart.
 */
class HostApiTest {

    @TempDir
    static Path dataDir;
    static BatonConfig config;
    static EngineTestServer server;
    static Rest rest;

    @BeforeAll
    static void start() {
        config = EngineTestServer.config(dataDir, 0).dockerEnabled(false).dockerHost("unix:///var/run/docker.sock")
                                 .build();
        server = EngineTestServer.start(config, null);
        rest = new Rest("http://127.0.0.1:" + server.baton.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theLocalHostIsDockerHostAndCannotBeDeleted() {
        DockerHost local = server.engines.getHost(GetHostRequest.newBuilder().setName("local").build());
        assertThat(local.getEndpoint()).isEqualTo("unix:///var/run/docker.sock");
        assertThat(local.getState()).isEqualTo(DockerHost.State.ENABLED);
        assertThat(local.getStatus().getReachable()).isFalse();

        assertThat(code(() -> server.engines.deleteHost(DeleteHostRequest.newBuilder().setName("local").build())))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        Rest.Response moved = rest.put("/v1/hosts/local", "{\"endpoint\": \"unix:///tmp/other.sock\"}");
        assertThat(moved.status()).isEqualTo(400);
        assertThat(moved.body()).contains("host.endpoint").contains("DOCKER_HOST");
    }

    @Test
    void badHostsAreRefusedNamingTheField() {
        assertRefused("{\"name\": \"x y\", \"endpoint\": \"unix:///d.sock\"}", 400, "host.name");
        assertRefused("{\"name\": \"x\", \"endpoint\": \"http://h:2375\"}", 400, "host.endpoint");
        assertRefused("{\"name\": \"x\", \"endpoint\": \"unix://relative.sock\"}", 400, "host.endpoint");
        assertRefused("{\"name\": \"x\", \"endpoint\": \"tcp://h:99999\"}", 400, "port 99999");
        assertRefused("{\"name\": \"x\", \"endpoint\": \"tcp://h:2376\", \"tlsCertDir\": \"/nonexistent\"}", 400,
                      "ca.pem");
        assertRefused("{\"name\": \"x\", \"endpoint\": \"unix:///d.sock\", \"tlsCertDir\": \"/etc\"}", 400,
                      "host.tlsCertDir");
        assertRefused("{\"name\": \"x\", \"endpoint\": \"unix:///d.sock\", \"maxEngines\": -1}", 400,
                      "host.maxEngines");
        assertRefused("{\"name\": \"x\", \"endpoint\": \"unix:///var/run/docker.sock\"}", 409, "already host");
        assertThat(rest.get("/v1/hosts/nope").status()).isEqualTo(404);
        assertThat(rest.post("/v1/hosts/nope/cordon", "{}").status()).isEqualTo(404);
        assertThat(server.engines.listHosts(ListHostsRequest.getDefaultInstance()).getHostsList())
                .extracting(DockerHost::getName).doesNotContain("x");
    }

    @Test
    void aPoolWhoseHostLabelsNoHostCarriesIsDegradedAndSaysWhy() {
        server.createPool("gpu-only", PoolSpec.newBuilder().setImage("baton/engine:1").putHostLabels("gpu", "true")
                                              .build());
        assertThat(server.status("gpu-only").getHealth()).isEqualTo(PoolStatus.Health.DEGRADED);
        assertThat(code(() -> server.createPool("bad-selector", PoolSpec.newBuilder().setImage("baton/engine:1")
                                                                     .putHostLabels("bad key!", "x").build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void hostsAndTheirStateSurviveARestart() {
        Rest.Response created = rest.post("/v1/hosts", "{\"name\": \"gpu-1\", \"endpoint\": \"tcp://127.0.0.1:2375\","
                                                       + " \"labels\": {\"gpu\": \"true\"}, \"maxEngines\": 3}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().get("state").asText()).isEqualTo("ENABLED");
        assertThat(code(() -> server.engines.createHost(CreateHostRequest.newBuilder().setHost(
                DockerHost.newBuilder().setName("gpu-1").setEndpoint("tcp://127.0.0.1:2376")).build())))
                .isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(rest.post("/v1/hosts/gpu-1/drain", "{}").json().get("state").asText()).isEqualTo("DRAINING");
        server.engines.cordonHost(CordonHostRequest.newBuilder().setName("local").build());
        server.engines.updateHost(UpdateHostRequest.newBuilder().setName("gpu-1").setHost(
                DockerHost.newBuilder().putLabels("gpu", "true").putLabels("zone", "a").setMaxEngines(4)).build());

        server.close();
        server = EngineTestServer.start(config, null);
        rest = new Rest("http://127.0.0.1:" + server.baton.port());

        DockerHost gpu = server.engines.getHost(GetHostRequest.newBuilder().setName("gpu-1").build());
        assertThat(gpu.getEndpoint()).isEqualTo("tcp://127.0.0.1:2375");
        assertThat(gpu.getLabelsMap()).containsEntry("zone", "a").containsEntry("gpu", "true");
        assertThat(gpu.getMaxEngines()).isEqualTo(4);
        assertThat(gpu.getState()).isEqualTo(DockerHost.State.DRAINING);
        assertThat(server.engines.getHost(GetHostRequest.newBuilder().setName("local").build()).getState())
                .isEqualTo(DockerHost.State.CORDONED);
        assertThat(rest.post("/v1/hosts/local/uncordon", "{}").json().get("state").asText()).isEqualTo("ENABLED");

        assertThat(rest.delete("/v1/hosts/gpu-1").status()).isEqualTo(200);
        assertThat(rest.get("/v1/hosts/gpu-1").status()).isEqualTo(404);
    }

    private static void assertRefused(String body, int status, String message) {
        Rest.Response response = rest.post("/v1/hosts", body);
        assertThat(response.status()).as(body).isEqualTo(status);
        assertThat(response.body()).as(body).contains(message);
    }

    private static Status.Code code(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        throw new AssertionError("expected the call to fail");
    }
}
