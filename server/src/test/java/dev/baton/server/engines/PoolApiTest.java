package dev.baton.server.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.util.Durations;

import dev.baton.proto.v1.DeletePoolRequest;
import dev.baton.proto.v1.GetPoolRequest;
import dev.baton.proto.v1.ListPoolsRequest;
import dev.baton.proto.v1.Mount;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.proto.v1.PoolStatus;
import dev.baton.proto.v1.ScalePoolRequest;
import dev.baton.proto.v1.UpdatePoolRequest;
import dev.baton.server.config.BatonConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The pool API with engines disabled (ENGINES_ENABLED=false): pools are validated, stored, served
 * over gRPC and REST and survive a restart; POOLS_FILE is applied; health says DEGRADED. No Docker.
 */
class PoolApiTest {

    @TempDir
    static Path dataDir;
    static Path poolsFile;
    static EngineTestServer server;
    static BatonConfig config;

    @BeforeAll
    static void start() throws Exception {
        poolsFile = dataDir.resolve("pools.json");
        Files.writeString(poolsFile, """
                {"pools": [{"name": "from-file", "spec": {"image": "baton/engine:1", "command": ["agent"],
                  "env": {"API_KEY": "s3cret"}, "secretEnv": ["API_KEY"], "maxEngines": 4}}]}
                """);
        config = EngineTestServer.config(dataDir.resolve("data"), 0).dockerEnabled(false).minReplicas(1)
                                 .poolsFile(poolsFile).build();
        server = EngineTestServer.start(config, null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void createAppliesDefaultsAndShowsLiveStatus() {
        Pool pool = server.createPool("defaults", PoolSpec.newBuilder().setImage("baton/engine:1").setMinFree(1).build());
        PoolSpec spec = pool.getSpec();
        assertThat(spec.getResources().getCpus()).isEqualTo(2.0);
        assertThat(spec.getResources().getMemoryBytes()).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(spec.getResources().getPids()).isEqualTo(100);
        assertThat(spec.getMaxEngines()).isEqualTo(10);
        assertThat(Durations.toSeconds(spec.getGracePeriod())).isEqualTo(2);
        assertThat(spec.getSlots()).isEqualTo(1);
        assertThat(pool.getStatus().getConfigHash()).hasSize(16);
        assertThat(pool.getStatus().getHealth()).isEqualTo(PoolStatus.Health.DEGRADED);
        assertThat(pool.getStatus().getMessage()).contains("ENGINES_ENABLED=false");
        // Switched off on purpose: the server is not unhealthy for it.
        assertThat(server.baton.engines().health().getStatus()).isEqualTo("UP");
        assertThat(server.baton.engines().health().getMessage()).contains("disabled");
    }

    @Test
    void invalidSpecsAreRefusedNamingTheField() {
        assertCode(() -> server.createPool("bad name!", PoolSpec.newBuilder().setImage("x:1").build()),
                   Status.Code.INVALID_ARGUMENT, "pool.name");
        assertCode(() -> server.createPool("no-image", PoolSpec.getDefaultInstance()),
                   Status.Code.INVALID_ARGUMENT, "pool.spec.image");
        assertCode(() -> server.createPool("min-over-max", PoolSpec.newBuilder().setImage("x:1").setMinFree(5)
                                                                    .setMaxEngines(2).build()),
                   Status.Code.INVALID_ARGUMENT, "pool.spec.minFree");
        assertCode(() -> server.createPool("negative", PoolSpec.newBuilder().setImage("x:1")
                                                                .setGracePeriod(Durations.fromSeconds(-1)).build()),
                   Status.Code.INVALID_ARGUMENT, "pool.spec.gracePeriod");
        assertCode(() -> server.createPool("reserved-env", PoolSpec.newBuilder().setImage("x:1")
                                                                    .putEnv("BATON_TOKEN", "x").build()),
                   Status.Code.INVALID_ARGUMENT, "pool.spec.env");
    }

    @Test
    void hostMountsOutsideTheAllowListAndTheDockerSocketAreRefused() {
        Mount etc = Mount.newBuilder().setSource("/etc").setTarget("/host-etc").setReadOnly(true).build();
        assertCode(() -> server.createPool("mounts", PoolSpec.newBuilder().setImage("x:1").addMounts(etc).build()),
                   Status.Code.INVALID_ARGUMENT, "pool.spec.mounts[0].source");
        Mount socket = Mount.newBuilder().setSource("/var/run/docker.sock").setTarget("/var/run/docker.sock").build();
        assertCode(() -> server.createPool("socket", PoolSpec.newBuilder().setImage("x:1").addMounts(socket).build()),
                   Status.Code.INVALID_ARGUMENT, "Docker socket");
    }

    @Test
    void duplicatesAndUnknownPoolsHaveTheirCodes() {
        server.createPool("dup", PoolSpec.newBuilder().setImage("x:1").build());
        assertCode(() -> server.createPool("dup", PoolSpec.newBuilder().setImage("x:1").build()),
                   Status.Code.ALREADY_EXISTS, "already exists");
        assertCode(() -> server.status("nope"), Status.Code.NOT_FOUND, "pool \"nope\" not found");
        assertCode(() -> server.engines.scalePool(ScalePoolRequest.newBuilder().setName("nope").setMinFree(1).build()),
                   Status.Code.NOT_FOUND, "nope");
    }

    @Test
    void updateScaleAndDeleteChangeTheStoredPool() {
        Pool created = server.createPool("changing", PoolSpec.newBuilder().setImage("x:1").setMinFree(1).build());
        Pool updated = server.engines.updatePool(UpdatePoolRequest.newBuilder().setName("changing").setPool(
                Pool.newBuilder().setSpec(PoolSpec.newBuilder().setImage("x:2").setMinFree(1))).build());
        assertThat(updated.getStatus().getConfigHash()).isNotEqualTo(created.getStatus().getConfigHash());
        assertThat(updated.getCreatedAt()).isEqualTo(created.getCreatedAt());

        Pool scaled = server.engines.scalePool(ScalePoolRequest.newBuilder().setName("changing").setMinFree(3)
                                                               .setMaxEngines(6).build());
        assertThat(scaled.getSpec().getMinFree()).isEqualTo(3);
        assertThat(scaled.getSpec().getMaxEngines()).isEqualTo(6);
        // Scaling knobs are not part of the config hash: no engine would be replaced.
        assertThat(scaled.getStatus().getConfigHash()).isEqualTo(updated.getStatus().getConfigHash());
        assertCode(() -> server.engines.scalePool(ScalePoolRequest.newBuilder().setName("changing").setMinFree(9)
                                                                  .build()),
                   Status.Code.INVALID_ARGUMENT, "minFree");

        server.engines.deletePool(DeletePoolRequest.newBuilder().setName("changing").build());
        assertCode(() -> server.status("changing"), Status.Code.NOT_FOUND, "changing");
    }

    @Test
    void poolsFileIsAppliedAndSecretsAreNeverShown() {
        Pool pool = server.engines.getPool(GetPoolRequest.newBuilder().setName("from-file").build());
        assertThat(pool.getSpec().getMinFree()).isEqualTo(1); // MIN_REPLICAS, the file sets none
        assertThat(pool.getSpec().getMaxEngines()).isEqualTo(4);
        assertThat(pool.getSpec().getEnvMap()).containsEntry("API_KEY", SecretEnv.REDACTED);
        // A GET-edit-PUT round trip keeps the stored secret (the hash does not change).
        Pool again = server.engines.updatePool(UpdatePoolRequest.newBuilder().setName("from-file")
                                                                .setPool(Pool.newBuilder().setSpec(pool.getSpec()))
                                                                .build());
        assertThat(again.getStatus().getConfigHash()).isEqualTo(pool.getStatus().getConfigHash());
    }

    @Test
    void restApiServesPoolsAndEngines() throws Exception {
        server.createPool("rest", PoolSpec.newBuilder().setImage("x:1").build());
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.baton.port();
        HttpResponse<String> pool = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/pools/rest")).build(),
                                              HttpResponse.BodyHandlers.ofString());
        assertThat(pool.statusCode()).isEqualTo(200);
        assertThat(pool.body()).contains("\"name\":\"rest\"").contains("\"configHash\"");
        HttpResponse<String> engines = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/engines")).build(),
                                                 HttpResponse.BodyHandlers.ofString());
        assertThat(engines.statusCode()).isEqualTo(200);
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/pools/none")).build(),
                                                 HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/pools")).header("content-type", "application/json")
                           .POST(HttpRequest.BodyPublishers.ofString(
                                   "{\"name\": \"rest-created\", \"spec\": {\"image\": \"x:1\", \"minFree\": 1}}"))
                           .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(200);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                                                HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).contains("\"name\":\"engines\"").contains("ENGINES_ENABLED=false");
    }

    @Test
    void poolsSurviveARestart() {
        server.createPool("durable", PoolSpec.newBuilder().setImage("x:1").setMinFree(2).build());
        server.close();
        server = EngineTestServer.start(config, null);
        List<String> names = server.engines.listPools(ListPoolsRequest.getDefaultInstance()).getPoolsList().stream()
                                           .map(Pool::getName).toList();
        assertThat(names).contains("durable", "from-file");
        assertThat(server.status("durable").getConfigHash()).hasSize(16);
    }

    private static void assertCode(Runnable call, Status.Code code, String messagePart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(messagePart);
        });
    }
}
