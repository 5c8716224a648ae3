package dev.baton.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.Template;

/**
 * How each {@link StoreWrite} becomes SQL and how {@link StoredState} is read back: the one place
 * a table's statements live, shared by SQLite and PostgreSQL. Adding a table: a migration in
 * {@link StoreSchema}, a write here, a read in {@link #load}.
 */
final class StoreTables {

    /** Runs one parameterised update (the caller caches prepared statements). */
    @FunctionalInterface
    interface Updater {
        void update(String sql, Object... args) throws SQLException;
    }

    private StoreTables() {}

    static void apply(StoreWrite write, Updater db) throws SQLException {
        if (write instanceof StoreWrite.PutJob put) {
            db.update("INSERT INTO jobs (id, seq, data) VALUES (?, ?, ?)"
                      + " ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, data = excluded.data",
                      put.job().getId(), put.sequence(), put.job().toByteArray());
        } else if (write instanceof StoreWrite.PutTemplate put) {
            db.update("INSERT INTO templates (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                      put.template().getId(), put.template().toByteArray());
        } else if (write instanceof StoreWrite.DeleteTemplate delete) {
            db.update("DELETE FROM templates WHERE id = ?", delete.id());
        } else if (write instanceof StoreWrite.PutPool put) {
            db.update("INSERT INTO pools (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data",
                      put.pool().getName(), put.pool().toByteArray());
        } else if (write instanceof StoreWrite.DeletePool delete) {
            db.update("DELETE FROM pools WHERE name = ?", delete.name());
        } else if (write instanceof StoreWrite.PutIdempotencyKey put) {
            db.update("INSERT INTO idempotency_keys (key, job_id, request_digest, expires_at) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT (key) DO UPDATE SET job_id = excluded.job_id,"
                      + " request_digest = excluded.request_digest, expires_at = excluded.expires_at",
                      put.record().key(), put.record().jobId(), put.record().requestDigest(),
                      put.record().expiresAt().toEpochMilli());
        } else if (write instanceof StoreWrite.ExpireIdempotencyKeys expire) {
            db.update("DELETE FROM idempotency_keys WHERE expires_at < ?", expire.now().toEpochMilli());
        }
    }

    static StoredState load(Connection connection) throws SQLException {
        List<StoredState.StoredJob> jobs = new ArrayList<>();
        List<Template> templates = new ArrayList<>();
        List<Pool> pools = new ArrayList<>();
        List<IdempotencyRecord> keys = new ArrayList<>();
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT seq, data FROM jobs ORDER BY seq")) {
                while (rs.next()) {
                    jobs.add(new StoredState.StoredJob(Job.parseFrom(rs.getBytes(2)), rs.getLong(1)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT data FROM templates ORDER BY id")) {
                while (rs.next()) {
                    templates.add(Template.parseFrom(rs.getBytes(1)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT data FROM pools ORDER BY name")) {
                while (rs.next()) {
                    pools.add(Pool.parseFrom(rs.getBytes(1)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT key, job_id, request_digest, expires_at FROM idempotency_keys")) {
                while (rs.next()) {
                    keys.add(new IdempotencyRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                                                   Instant.ofEpochMilli(rs.getLong(4))));
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new SQLException("a stored entity does not parse: " + e.getMessage(), e);
        }
        return new StoredState(jobs, templates, pools, keys);
    }
}
