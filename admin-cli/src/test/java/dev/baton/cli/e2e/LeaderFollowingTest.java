package dev.baton.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.Cli;
import dev.baton.server.BatonServer;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.store.PostgresStore;
import dev.baton.server.testing.Eventually;
import dev.baton.server.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** batonctl given several servers of one PostgreSQL store reaches the leader, whichever it names first. */
class LeaderFollowingTest {

    /** The first call into a cold server can take seconds on a busy 2-core machine; success returns at once. */
    private static final String SLOW_MACHINE = "60s";

    private static BatonServer start(PostgresStore.Endpoint database, Path dataDir) {
        return BatonServer.start(BatonConfig.builder().port(0).dataDir(dataDir).agentToken("t").dockerEnabled(false)
                                            .shutdownGrace(Duration.ZERO).storeUrl(database.url())
                                            .storeUser(database.user()).storePassword(database.password())
                                            .leaderCheckInterval(Duration.ofMillis(100)).build());
    }

    @Test
    void aStandbyNamedFirstRedirectsToTheLeaderAndADeadServerIsSkipped(@TempDir Path dir) throws Exception {
        PostgresStore.Endpoint database = TestPostgres.freshDatabase();
        try (BatonServer leader = start(database, dir.resolve("a"))) {
            Eventually.await("first server leads", leader::serving);
            try (BatonServer standby = start(database, dir.resolve("b"))) {
                Eventually.await("standby knows the leader", () -> !standby.leadership().leaderAddress().isEmpty());
                int deadPort;
                try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                    deadPort = socket.getLocalPort();
                }
                String servers = "127.0.0.1:" + deadPort + ",127.0.0.1:" + standby.port();

                Cli.Result alone = Cli.run("jobs", "list", "--server", "127.0.0.1:" + standby.port(), "--timeout", SLOW_MACHINE);
                Cli.Result submitted = Cli.run("jobs", "submit", "--set", "n=1", "--server", servers, "--timeout", SLOW_MACHINE);
                Cli.Result listed = Cli.run("jobs", "list", "--server", servers, "--timeout", SLOW_MACHINE);
                Cli.Result watched = Cli.run("watch", "--kind", "job", "--snapshot-only", "--server", servers,
                                             "--timeout", SLOW_MACHINE);

                assertThat(alone.exitCode()).as("one standby alone still finds the leader: " + alone).isZero();
                assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
                assertThat(listed.exitCode()).as(listed.toString()).isZero();
                assertThat(listed.out()).contains("PENDING");
                assertThat(watched.exitCode()).as("a watch stream follows the leader too: " + watched).isZero();
                assertThat(watched.out()).contains("SNAPSHOT").contains("PENDING").contains("SNAPSHOT_END");
            }
        }
    }
}
