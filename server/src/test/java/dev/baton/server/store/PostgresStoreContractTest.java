package dev.baton.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.baton.server.testing.TestPostgres;

/**
 * The store contract on a real PostgreSQL 15, one fresh database per test, plus what only the
 * shared store does: migrations recorded once, and fencing by leadership epoch.
 */
class PostgresStoreContractTest extends StoreContractTest {

    private PostgresStore.Endpoint endpoint;

    @Override
    void createDatabase() {
        endpoint = TestPostgres.freshDatabase();
    }

    @Override
    BatonStore openStore() {
        PostgresStore store = new PostgresStore(endpoint);
        store.claimLeadership("127.0.0.1:1", 0);
        return store;
    }

    @Test
    void aWriteWithADeposedLeadersEpochIsRefusedAndChangesNothing() throws Exception {
        PostgresStore old = (PostgresStore) reopen();
        long oldEpoch = old.epoch();
        PostgresStore next = (PostgresStore) reopen();

        assertThat(next.epoch()).isGreaterThan(oldEpoch);
        assertThatThrownBy(() -> write(old, new StoreWrite.PutJob(job("stale", "x"), 1)))
                .hasMessageContaining("fenced: this server leads with epoch " + oldEpoch);
        write(next, new StoreWrite.PutJob(job("fresh", "y"), 2));
        assertThat(next.load().jobs()).extracting(j -> j.job().getId()).containsExactly("fresh");
        try (Connection c = endpoint.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT leader_address FROM leadership")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("127.0.0.1:1");
        }
    }

    @Test
    void aServerThatNeverLedCannotWriteButCanRead() {
        PostgresStore standby = new PostgresStore(endpoint);
        try {
            assertThatThrownBy(() -> write(standby, new StoreWrite.PutJob(job("j", "x"), 1)))
                    .hasMessageContaining("not the leader");
            assertThat(standby.load().jobs()).isEmpty();
        } finally {
            standby.close();
        }
    }

    @Test
    void migrationsRunOnceAndAreRecorded() throws Exception {
        reopen();
        reopen();
        List<Integer> versions = new ArrayList<>();
        try (Connection c = endpoint.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM schema_migrations ORDER BY version")) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        assertThat(versions).containsExactly(1, 2, 3, 4);
    }
}
