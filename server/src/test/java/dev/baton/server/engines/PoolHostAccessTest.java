package dev.baton.server.engines;

import static dev.baton.server.engines.EngineDocker.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.GetPoolRequest;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.server.config.EngineHostAccess;
import dev.baton.server.testing.Rest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Pools are not a way into the host, on the real Docker engine: privileged mode, host PID/IPC, added
 * capabilities and devices are refused unless ENGINE_HOST_ACCESS allows them (here only cap:NET_ADMIN),
 * over gRPC and REST, and nothing is created; pool env and labels cannot ask for any of it; secret env
 * values reach the container but never the logs or the config hash label.
 */
class PoolHostAccessTest {

    private static final String POOL = "host-access";
    private static final String SECRET = "s3cret-" + UUID.randomUUID();

    @TempDir
    static Path dataDir;
    static EngineDocker docker;
    static EngineTestServer server;
    static ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void start() {
        docker = EngineDocker.require();
        Logger baton = (Logger) LoggerFactory.getLogger("dev.baton");
        baton.setLevel(Level.DEBUG);
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        server = EngineTestServer.start(EngineTestServer.config(dataDir, 0)
                                                        .engineHostAccess(EngineHostAccess.parse("cap:NET_ADMIN"))
                                                        .build(), docker);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("dev.baton")).setLevel(null);
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
    void hostAccessIsRefusedNamingTheFieldAndTheSettingThatWouldAllowIt() {
        refused(PoolSpec.newBuilder().setPrivileged(true), "pool.spec.privileged: true is not allowed",
                "ENGINE_HOST_ACCESS including \"privileged\"");
        refused(PoolSpec.newBuilder().setHostPid(true), "pool.spec.hostPid: true is not allowed",
                "ENGINE_HOST_ACCESS including \"hostPid\"");
        refused(PoolSpec.newBuilder().setHostIpc(true), "pool.spec.hostIpc: true is not allowed",
                "ENGINE_HOST_ACCESS including \"hostIpc\"");
        refused(PoolSpec.newBuilder().addCapAdd("NET_ADMIN").addCapAdd("SYS_ADMIN"),
                "pool.spec.capAdd[1]: \"SYS_ADMIN\" is not allowed", "ENGINE_HOST_ACCESS including \"cap:SYS_ADMIN\"");
        refused(PoolSpec.newBuilder().addCapAdd("FLY"), "pool.spec.capAdd[0]: \"FLY\" is not a Linux capability", "");
        refused(PoolSpec.newBuilder().addDevices("/dev/fuse"), "pool.spec.devices[0]: \"/dev/fuse\" is not allowed",
                "ENGINE_HOST_ACCESS including \"device:/dev/fuse\"");
        refused(PoolSpec.newBuilder().addMounts(dev.baton.proto.v1.Mount.newBuilder().setSource("/etc")
                                                                        .setTarget("/host-etc")),
                "pool.spec.mounts[0].source: \"/etc\" is not under an allowed mount root", "ENGINE_MOUNT_ROOTS");

        // The same over REST: 400 with the message, and still nothing created.
        Rest.Response response = new Rest("http://127.0.0.1:" + server.baton.port()).post("/v1/pools",
                "{\"name\": \"rest-privileged\", \"spec\": {\"image\": \"" + EngineDocker.IMAGE
                + "\", \"privileged\": true}}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(response.json().get("message").asText()).contains("pool.spec.privileged")
                                                            .contains("ENGINE_HOST_ACCESS");
        assertNoPool("rest-privileged");
        assertThat(docker.managed(server.instanceId()))
                .noneMatch(c -> !POOL.equals(c.getLabels().get(EngineLabels.POOL)));
    }

    @Test
    void envAndLabelsCannotAskForHostAccessAndSecretsStayOutOfLogsAndTheHash() {
        PoolSpec spec = docker.agentSpec().setMinFree(1).setMaxEngines(1)
                              .putEnv("PRIVILEGED", "true").putEnv("PID", "host").putEnv("IPC", "host")
                              .putEnv("CAP_ADD", "ALL").putEnv("DEVICES", "/dev/mem")
                              .putLabels("privileged", "true").putLabels("pid", "host").putLabels("cap-add", "ALL")
                              .putEnv("API_KEY", SECRET).addSecretEnv("API_KEY")
                              .addCapAdd("net_admin").build();
        server.createPool(POOL, spec);
        await("1 FREE engine", Duration.ofSeconds(90), () -> server.count(POOL, Engine.State.FREE) == 1);
        Engine engine = server.engines(POOL).get(0);
        InspectContainerResponse inspect = docker.client.inspectContainerCmd(engine.getContainerId()).exec();
        var host = inspect.getHostConfig();
        assertThat(host.getPrivileged()).isFalse();
        assertThat(host.getPidMode()).isNullOrEmpty();
        assertThat(host.getIpcMode()).isNotEqualTo("host");
        assertThat(host.getCapAdd()).containsExactly(Capability.NET_ADMIN);
        assertThat(host.getDevices()).isNullOrEmpty();
        assertThat(host.getBinds()).allSatisfy(bind -> assertThat(docker.mountRoots())
                .anyMatch(root -> root.toString().equals(bind.getPath())));
        // The secret reaches the engine, as it must ...
        assertThat(inspect.getConfig().getEnv()).contains("API_KEY=" + SECRET);
        // ... but the config hash only carries its digest: another secret, another hash; the label never the value.
        String label = inspect.getConfig().getLabels().get(EngineLabels.CONFIG_HASH);
        assertThat(label).isEqualTo(engine.getConfigHash()).doesNotContain(SECRET);
        assertThat(ConfigHash.of(spec)).isNotEqualTo(ConfigHash.of(spec.toBuilder().putEnv("API_KEY", "other").build()));
        PoolSpec stored = server.engines.getPool(GetPoolRequest.newBuilder().setName(POOL).build()).getSpec();
        assertThat(stored.getEnvMap()).containsEntry("API_KEY", SecretEnv.REDACTED);
        assertThat(inspect.getConfig().getLabels().values()).noneMatch(v -> v.contains(SECRET));
        // Nothing Baton logged, at DEBUG, carries the secret.
        List<String> lines = logs.list.stream().map(e -> e.getFormattedMessage()
                                                         + (e.getThrowableProxy() == null ? ""
                                                            : e.getThrowableProxy().getMessage())).toList();
        assertThat(lines).anyMatch(line -> line.contains(POOL));
        assertThat(lines).noneMatch(line -> line.contains(SECRET));
    }

    @Test
    void aStoredPoolGetsNoEnginesOnceTheServerNoLongerAllowsItsHostAccess(@TempDir Path otherData) {
        PoolSpec spec = docker.agentSpec().setMinFree(1).setMaxEngines(1).setHostIpc(true).build();
        try (EngineTestServer permissive = EngineTestServer.start(EngineTestServer.config(otherData, 0)
                .dockerEnabled(false).engineHostAccess(EngineHostAccess.parse("hostIpc")).build(), docker)) {
            permissive.createPool("narrowed", spec);
        }
        try (EngineTestServer strict = EngineTestServer.start(EngineTestServer.config(otherData, 0).build(), docker)) {
            try {
                await("the pool says why it does not scale", Duration.ofSeconds(60),
                      () -> strict.status("narrowed").getMessage().contains("pool.spec.hostIpc"));
                assertThat(strict.status("narrowed").getMessage()).contains("ENGINE_HOST_ACCESS");
                assertThat(docker.managed(strict.instanceId())).isEmpty();
            } finally {
                docker.removeAll(strict.instanceId());
            }
        }
    }

    private static void refused(PoolSpec.Builder spec, String message, String remedy) {
        String name = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        PoolSpec full = spec.setImage(EngineDocker.IMAGE).addCommand("sleep").addCommand("60").build();
        assertThatThrownBy(() -> server.createPool(name, full))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains(message).contains(remedy);
                });
        assertNoPool(name);
    }

    private static void assertNoPool(String name) {
        assertThatThrownBy(() -> server.engines.getPool(GetPoolRequest.newBuilder().setName(name).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }
}
