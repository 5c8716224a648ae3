package dev.baton.server.engines;

import static dev.baton.server.engines.EngineDocker.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.GetPoolRequest;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.proto.v1.UpdatePoolRequest;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.server.watch.WatchHub;

/** A changed spec replaces every engine (new config hash) without free engines ever dropping below min free. */
class EnginePoolDriftTest {

    private static final String POOL = "drift";

    @TempDir
    static Path dataDir;
    static EngineDocker docker;
    static EngineTestServer server;

    @BeforeAll
    static void start() {
        docker = EngineDocker.require();
        server = EngineTestServer.start(EngineTestServer.config(dataDir, 0).build(), docker);
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
    void aSpecChangeReplacesEnginesWithoutDroppingBelowMinFree() {
        PoolSpec first = docker.agentSpec().setMinFree(2).setMaxEngines(5).putEnv("ENGINE_VERSION", "1").build();
        server.createPool(POOL, first);
        await("2 FREE engines", Duration.ofSeconds(90), () -> server.count(POOL, Engine.State.FREE) == 2);
        String oldHash = server.status(POOL).getConfigHash();

        // Every pool event carries the live counts: the lowest free count seen from now on.
        AtomicInteger lowestFree = new AtomicInteger(Integer.MAX_VALUE);
        server.baton.controlPlane().hub().add(new WatchHub.Watcher() {
            @Override
            public boolean offer(WatchEvent event) {
                if (event.getKind() == EntityKind.ENTITY_KIND_POOL && event.getPool().getName().equals(POOL)) {
                    lowestFree.accumulateAndGet(event.getPool().getStatus().getFree(), Math::min);
                }
                return true;
            }

            @Override
            public void overflowed(long lastDeliveredRevision) { }
        });

        Pool updated = server.engines.updatePool(UpdatePoolRequest.newBuilder().setName(POOL).setPool(
                Pool.newBuilder().setSpec(first.toBuilder().putEnv("ENGINE_VERSION", "2"))).build());
        String newHash = updated.getStatus().getConfigHash();
        assertThat(newHash).isNotEqualTo(oldHash);

        await("all engines replaced with the new hash", Duration.ofSeconds(120), () -> {
            var engines = server.engines(POOL);
            return engines.size() == 2 && engines.stream().allMatch(
                    e -> e.getConfigHash().equals(newHash) && e.getState() == Engine.State.FREE);
        });
        assertThat(lowestFree.get()).as("free engines during the replacement").isGreaterThanOrEqualTo(2);
        assertThat(server.engines.getPool(GetPoolRequest.newBuilder().setName(POOL).build()).getSpec().getEnvMap())
                .containsEntry("ENGINE_VERSION", "2");
    }
}
