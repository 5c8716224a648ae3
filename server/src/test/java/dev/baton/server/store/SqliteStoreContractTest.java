package dev.baton.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.baton.proto.v1.WebhookDelivery;
import dev.baton.server.testing.Eventually;

/** The store contract on the embedded SQLite store, one fresh directory per test. */
class SqliteStoreContractTest extends StoreContractTest {

    private Path dir;

    @Override
    void createDatabase() throws Exception {
        dir = Files.createTempDirectory("baton-store");
    }

    @Override
    BatonStore openStore() {
        return new SqliteStore(dir);
    }

    @Test
    void onlyBatchesWithADurableWriteWaitForTheDisk() throws Exception {
        SqliteStore sqlite = new SqliteStore(dir);
        try {
            sqlite.writeBehind(List.of(new StoreWrite.PutJob(job("j", "running"), 1))).join();
            assertThat(sqlite.synchronousLevel()).as("write-behind only: NORMAL").isEqualTo(1);

            sqlite.writeBehind(List.of(new StoreWrite.PutJob(job("j", "stopped"), 1)));
            sqlite.write(List.of(new StoreWrite.PutJob(job("k", "submitted"), 2))).join();
            assertThat(sqlite.synchronousLevel()).as("a batch with an acknowledged write: FULL").isEqualTo(2);
        } finally {
            sqlite.close();
        }
    }

    @Test
    void writesAreCountedAsQueuedUntilTheirCommit() throws Exception {
        SqliteStore sqlite = new SqliteStore(dir);
        try {
            // The writer cannot commit while this transaction holds the connection.
            CompletableFuture<Void> written = sqlite.transaction(c -> {
                CompletableFuture<Void> durable =
                        sqlite.write(List.of(new StoreWrite.PutJob(job("j", "submitted"), 1)));
                sqlite.writeBehind(List.of(new StoreWrite.PutJob(job("k", "submitted"), 2)));
                assertThat(sqlite.queuedWrites()).isEqualTo(2);
                return durable;
            });

            written.join();
            Eventually.await("both writes committed", () -> sqlite.queuedWrites() == 0);
        } finally {
            sqlite.close();
        }
    }

    @Test
    void writeBehindThatNoDurableWriteFollowsIsSyncedSoonAfter() {
        SqliteStore sqlite = new SqliteStore(dir);
        try {
            sqlite.writeBehind(List.of(new StoreWrite.PutJob(job("j", "stopped"), 1))).join();

            Eventually.await("a sync of the write-behind commit",
                                                      () -> sqlite.writeBehindSyncs() == 1);
            sqlite.write(List.of(new StoreWrite.PutJob(job("k", "submitted"), 2))).join();
            assertThat(sqlite.writeBehindSyncs()).as("a durable commit needs no extra sync").isEqualTo(1);
        } finally {
            sqlite.close();
        }
    }

    @Test
    void checkpointsRunBesideTheWriterAndTheWalStartsOverEvenUnderASteadyLoad() throws Exception {
        SqliteStore.CheckpointPolicy policy = new SqliteStore.CheckpointPolicy(20, 200);
        SqliteStore sqlite = new SqliteStore(dir, policy);
        int commits = 600;
        try {
            int autocheckpoint = sqlite.transaction(c -> pragma(c, "wal_autocheckpoint"));
            assertThat(autocheckpoint).as("no checkpoint inside the writer's commits").isZero();
            // Back-to-back commits: the checkpointer rarely finds the writer paused.
            for (int i = 0; i < commits; i++) {
                sqlite.write(List.of(new StoreWrite.PutJob(job("job-" + i, "x".repeat(200)), i))).join();
            }
            assertThat(sqlite.checkpoints() + sqlite.writerCheckpoints()).isGreaterThan(0);
            // Each commit added at least two frames (the row and its id index), 1,200 or more in
            // all: the WAL holds far fewer, so it started over.
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("baton.db"));
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                rs.next();
                assertThat(rs.getLong(2)).as("frames in the WAL")
                        .isLessThan(policy.writerCheckpointAboveFrames() + policy.commitsBetweenRequests() * 20L);
            }
        } finally {
            sqlite.close();
        }
        SqliteStore reopened = new SqliteStore(dir);
        try {
            assertThat(reopened.load().jobs()).hasSize(commits);
        } finally {
            reopened.close();
        }
    }

    private static int pragma(Connection c, String name) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aDataFileWrittenBeforeMigrationsExistedIsAdoptedWithItsWebhooksAndLogs() throws Exception {
        Path old = Files.createTempDirectory("baton-store-old");
        // The tables exactly as servers before numbered migrations created them, with one row each.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old.resolve("baton.db"));
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE jobs (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, data BLOB NOT NULL)");
            s.execute("CREATE INDEX jobs_seq ON jobs(seq)");
            s.execute("CREATE TABLE templates (id TEXT PRIMARY KEY, data BLOB NOT NULL)");
            s.execute("CREATE TABLE pools (name TEXT PRIMARY KEY, data BLOB NOT NULL)");
            s.execute("CREATE TABLE idempotency_keys (key TEXT PRIMARY KEY, job_id TEXT NOT NULL,"
                      + " request_digest TEXT NOT NULL, expires_at INTEGER NOT NULL)");
            s.execute("CREATE TABLE webhooks (id TEXT PRIMARY KEY, secret TEXT NOT NULL, data BLOB NOT NULL)");
            s.execute("CREATE TABLE webhook_deliveries (id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL,"
                      + " seq INTEGER NOT NULL, body BLOB NOT NULL, data BLOB NOT NULL)");
            s.execute("CREATE TABLE job_logs (job_id TEXT NOT NULL, attempt INTEGER NOT NULL,"
                      + " first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, written_at INTEGER NOT NULL,"
                      + " data BLOB NOT NULL, PRIMARY KEY (job_id, attempt, first_seq))");
            s.execute("CREATE INDEX job_logs_written ON job_logs(written_at)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs VALUES (?, ?, ?)")) {
                ps.setString(1, "j1");
                ps.setLong(2, 1);
                ps.setBytes(3, job("j1", "old").toByteArray());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhooks VALUES (?, ?, ?)")) {
                ps.setString(1, "w1");
                ps.setString(2, "s1");
                ps.setBytes(3, webhook("w1", "http://127.0.0.1/a").toByteArray());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_deliveries VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, "d1");
                ps.setString(2, "w1");
                ps.setLong(3, 7);
                ps.setBytes(4, bytes("body"));
                ps.setBytes(5, delivery("d1", "w1", WebhookDelivery.State.PENDING).toByteArray());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_logs VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, "j1");
                ps.setInt(2, 1);
                ps.setLong(3, 1);
                ps.setLong(4, 4);
                ps.setLong(5, 1_800_000_000_000L);
                ps.setBytes(6, bytes("lines 1-4"));
                ps.executeUpdate();
            }
        }

        SqliteStore adopted = new SqliteStore(old);
        try {
            StoredState state = adopted.load();
            assertThat(state.jobs()).extracting(j -> j.job().getStatusReason()).containsExactly("old");
            assertThat(state.webhooks()).extracting(StoredState.StoredWebhook::secret).containsExactly("s1");
            assertThat(state.webhookDeliveries()).extracting(StoredState.StoredDelivery::sequence).containsExactly(7L);
            assertThat(adopted.readLogLines("j1", 1)).extracting(b -> new String(b, StandardCharsets.UTF_8))
                                                    .containsExactly("lines 1-4");
            write(adopted, new StoreWrite.PutLogLines("j1", 1, 5, 6, bytes("lines 5-6"), java.time.Instant.now()));
            assertThat(adopted.readLogLines("j1", 1)).hasSize(2);
        } finally {
            adopted.close();
        }
        List<Integer> versions = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old.resolve("baton.db"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM schema_migrations ORDER BY version")) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        assertThat(versions).containsExactly(1, 2, 3, 4);
    }
}
