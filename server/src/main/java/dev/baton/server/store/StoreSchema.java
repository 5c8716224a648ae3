package dev.baton.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's schema as numbered migrations, applied in order at start-up and recorded in
 * {@code schema_migrations}. A new table is a new migration at the end of {@link #MIGRATIONS};
 * an applied migration is never edited. Column types are written {@code {bytes}} and
 * {@code {int64}} so one list serves SQLite and PostgreSQL.
 */
final class StoreSchema {

    private static final Logger log = LoggerFactory.getLogger(StoreSchema.class);

    /** One schema change. */
    record Migration(int version, String description, List<String> statements) {}

    // Version 1 uses IF NOT EXISTS: embedded stores created before migrations existed adopt it as is.
    static final List<Migration> MIGRATIONS = List.of(
        new Migration(1, "jobs, templates, pools, idempotency keys", List.of(
            "CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, seq {int64} NOT NULL, data {bytes} NOT NULL)",
            "CREATE INDEX IF NOT EXISTS jobs_seq ON jobs(seq)",
            "CREATE TABLE IF NOT EXISTS templates (id TEXT PRIMARY KEY, data {bytes} NOT NULL)",
            "CREATE TABLE IF NOT EXISTS pools (name TEXT PRIMARY KEY, data {bytes} NOT NULL)",
            "CREATE TABLE IF NOT EXISTS idempotency_keys (key TEXT PRIMARY KEY, job_id TEXT NOT NULL,"
            + " request_digest TEXT NOT NULL, expires_at {int64} NOT NULL)")),
        new Migration(2, "leadership epoch and engine instance id (servers sharing one PostgreSQL)", List.of(
            "CREATE TABLE IF NOT EXISTS leadership (id INTEGER PRIMARY KEY, epoch {int64} NOT NULL,"
            + " leader_address TEXT NOT NULL, elected_at {int64} NOT NULL, instance_id TEXT NOT NULL)",
            "INSERT INTO leadership (id, epoch, leader_address, elected_at, instance_id) VALUES (1, 0, '', 0, '')")),
        // IF NOT EXISTS again: embedded stores written by servers before migrations existed already
        // have these tables (same columns) and adopt them as they are.
        new Migration(3, "webhooks, webhook deliveries, job logs", List.of(
            "CREATE TABLE IF NOT EXISTS webhooks (id TEXT PRIMARY KEY, secret TEXT NOT NULL, data {bytes} NOT NULL)",
            "CREATE TABLE IF NOT EXISTS webhook_deliveries (id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL,"
            + " seq {int64} NOT NULL, body {bytes} NOT NULL, data {bytes} NOT NULL)",
            // One row per flushed batch of an attempt's lines, never one per line.
            "CREATE TABLE IF NOT EXISTS job_logs (job_id TEXT NOT NULL, attempt INTEGER NOT NULL,"
            + " first_seq {int64} NOT NULL, last_seq {int64} NOT NULL, written_at {int64} NOT NULL,"
            + " data {bytes} NOT NULL, PRIMARY KEY (job_id, attempt, first_seq))",
            "CREATE INDEX IF NOT EXISTS job_logs_written ON job_logs(written_at)")),
        new Migration(4, "docker hosts engines are placed on", List.of(
            "CREATE TABLE docker_hosts (name TEXT PRIMARY KEY, data {bytes} NOT NULL)")));

    private StoreSchema() {}

    /**
     * Applies the migrations {@code connection} has not seen, each in its own transaction.
     * {@code serialize} runs first in every transaction: on PostgreSQL it takes a lock so that
     * servers starting together migrate one after the other.
     */
    static void migrate(Connection connection, SqlDialect dialect, String serialize) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            for (Migration migration : MIGRATIONS) {
                try (Statement s = connection.createStatement()) {
                    if (serialize != null) {
                        s.execute(serialize);
                    }
                    s.execute(dialect.ddl("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                                          + " description TEXT NOT NULL, applied_at {int64} NOT NULL)"));
                    if (applied(connection, migration.version())) {
                        connection.commit();
                        continue;
                    }
                    for (String statement : migration.statements()) {
                        s.execute(dialect.ddl(statement));
                    }
                }
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)")) {
                    ps.setInt(1, migration.version());
                    ps.setString(2, migration.description());
                    ps.setLong(3, System.currentTimeMillis());
                    ps.executeUpdate();
                }
                connection.commit();
                log.info("event=schema-migrated version={} description=\"{}\"", migration.version(),
                         migration.description());
            }
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static boolean applied(Connection connection, int version) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM schema_migrations WHERE version = ?")) {
            ps.setInt(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
