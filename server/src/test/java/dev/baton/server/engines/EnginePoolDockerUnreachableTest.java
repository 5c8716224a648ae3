package dev.baton.server.engines;

import static dev.baton.server.engines.EngineDocker.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.proto.v1.ListEnginesRequest;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.proto.v1.PoolStatus;

/** With Docker unreachable the server stays up, pools are still served, and health says why. */
class EnginePoolDockerUnreachableTest {

    @TempDir
    static Path dataDir;
    static EngineTestServer server;

    @BeforeAll
    static void start() {
        server = EngineTestServer.start(EngineTestServer.config(dataDir, 0)
                                                        .dockerHost("unix://" + dataDir.resolve("no-docker.sock"))
                                                        .build(), null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void serverStaysUpAndReportsEnginesDegraded() {
        server.createPool("waiting", PoolSpec.newBuilder().setImage("x:1").setMinFree(1).build());
        await("engines DEGRADED: Docker unreachable", Duration.ofSeconds(10),
              () -> server.baton.engines().health().getMessage().contains("Docker unreachable"));
        assertThat(server.baton.engines().health().getStatus()).isEqualTo("DEGRADED");
        PoolStatus status = server.status("waiting");
        assertThat(status.getHealth()).isEqualTo(PoolStatus.Health.DEGRADED);
        assertThat(status.getMessage()).contains("Docker unreachable").contains("no-docker.sock");
        assertThat(status.getTotal()).isZero();
        assertThat(server.engines.listEngines(ListEnginesRequest.getDefaultInstance()).getEnginesList()).isEmpty();
        // Jobs for the pool are still accepted (they wait for an engine).
        assertThat(server.submit("waiting")).isNotEmpty();
    }
}
