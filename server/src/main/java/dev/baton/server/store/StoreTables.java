package dev.baton.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.Template;
import dev.baton.proto.v1.Webhook;
import dev.baton.proto.v1.WebhookDelivery;

/**
 * How each {@link StoreWrite} becomes SQL and how {@link StoredState} is read back: the one place
 * a table's statements live, shared by SQLite and PostgreSQL. Finished jobs are read as bytes and
 * left unparsed ({@link FinishedJobs}). Adding a table: a migration in
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
        } else if (write instanceof StoreWrite.PutDockerHost put) {
            db.update("INSERT INTO docker_hosts (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET"
                      + " data = excluded.data", put.host().getName(), put.host().toByteArray());
        } else if (write instanceof StoreWrite.DeleteDockerHost delete) {
            db.update("DELETE FROM docker_hosts WHERE name = ?", delete.name());
        } else if (write instanceof StoreWrite.PutIdempotencyKey put) {
            db.update("INSERT INTO idempotency_keys (key, job_id, request_digest, expires_at) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT (key) DO UPDATE SET job_id = excluded.job_id,"
                      + " request_digest = excluded.request_digest, expires_at = excluded.expires_at",
                      put.record().key(), put.record().jobId(), put.record().requestDigest(),
                      put.record().expiresAt().toEpochMilli());
        } else if (write instanceof StoreWrite.ExpireIdempotencyKeys expire) {
            db.update("DELETE FROM idempotency_keys WHERE expires_at < ?", expire.now().toEpochMilli());
        } else if (write instanceof StoreWrite.PutWebhook put) {
            db.update("INSERT INTO webhooks (id, secret, data) VALUES (?, ?, ?)"
                      + " ON CONFLICT (id) DO UPDATE SET secret = excluded.secret, data = excluded.data",
                      put.webhook().getId(), put.secret(), put.webhook().toByteArray());
        } else if (write instanceof StoreWrite.DeleteWebhook delete) {
            db.update("DELETE FROM webhooks WHERE id = ?", delete.id());
            db.update("DELETE FROM webhook_deliveries WHERE webhook_id = ?", delete.id());
        } else if (write instanceof StoreWrite.PutWebhookDelivery put) {
            db.update("INSERT INTO webhook_deliveries (id, webhook_id, seq, body, data) VALUES (?, ?, ?, ?, ?)"
                      + " ON CONFLICT (id) DO UPDATE SET webhook_id = excluded.webhook_id, seq = excluded.seq,"
                      + " body = excluded.body, data = excluded.data",
                      put.delivery().getId(), put.delivery().getWebhookId(), put.sequence(), put.body(),
                      put.delivery().toByteArray());
        } else if (write instanceof StoreWrite.DeleteWebhookDelivery delete) {
            db.update("DELETE FROM webhook_deliveries WHERE id = ?", delete.id());
        } else if (write instanceof StoreWrite.PutLogLines put) {
            db.update("INSERT INTO job_logs (job_id, attempt, first_seq, last_seq, written_at, data)"
                      + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, attempt, first_seq) DO UPDATE SET"
                      + " last_seq = excluded.last_seq, written_at = excluded.written_at, data = excluded.data",
                      put.jobId(), put.attempt(), put.firstSeq(), put.lastSeq(), put.writtenAt().toEpochMilli(),
                      put.lines());
        } else if (write instanceof StoreWrite.TrimLogLines trim) {
            db.update("DELETE FROM job_logs WHERE job_id = ? AND attempt = ? AND last_seq < ?", trim.jobId(),
                      trim.attempt(), trim.keepFromSeq());
        } else if (write instanceof StoreWrite.ExpireLogLines expire) {
            db.update("DELETE FROM job_logs WHERE written_at < ?", expire.cutoff().toEpochMilli());
        }
    }

    /** The stored log batches of one job attempt (StoredLogLines bytes), oldest first. */
    static List<byte[]> readLogLines(Connection connection, String jobId, int attempt) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT data FROM job_logs WHERE job_id = ? AND attempt = ? ORDER BY first_seq")) {
            ps.setString(1, jobId);
            ps.setInt(2, attempt);
            List<byte[]> batches = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    batches.add(rs.getBytes(1));
                }
            }
            return batches;
        }
    }

    static StoredState load(Connection connection) throws SQLException {
        List<StoredState.StoredJob> jobs;
        FinishedJobs.Builder finished = new FinishedJobs.Builder();
        List<Template> templates = new ArrayList<>();
        List<Pool> pools = new ArrayList<>();
        List<DockerHost> hosts = new ArrayList<>();
        List<IdempotencyRecord> keys = new ArrayList<>();
        List<StoredState.StoredWebhook> webhooks = new ArrayList<>();
        List<StoredState.StoredDelivery> deliveries = new ArrayList<>();
        try (Statement s = connection.createStatement()) {
            List<byte[]> rows = new ArrayList<>();
            List<Long> sequences = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT id, seq, data FROM jobs ORDER BY seq")) {
                while (rs.next()) {
                    long sequence = rs.getLong(2);
                    byte[] row = rs.getBytes(3);
                    Job.Status status = peekStatus(row, sequence);
                    if (FinishedJobs.isFinished(status)) {
                        finished.add(rs.getString(1), sequence, status, row);
                    } else {
                        sequences.add(sequence);
                        rows.add(row);
                    }
                }
            }
            jobs = parseJobs(rows, sequences);
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
            try (ResultSet rs = s.executeQuery("SELECT data FROM docker_hosts ORDER BY name")) {
                while (rs.next()) {
                    hosts.add(DockerHost.parseFrom(rs.getBytes(1)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT key, job_id, request_digest, expires_at FROM idempotency_keys")) {
                while (rs.next()) {
                    keys.add(new IdempotencyRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                                                   Instant.ofEpochMilli(rs.getLong(4))));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT secret, data FROM webhooks ORDER BY id")) {
                while (rs.next()) {
                    webhooks.add(new StoredState.StoredWebhook(Webhook.parseFrom(rs.getBytes(2)), rs.getString(1)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT seq, body, data FROM webhook_deliveries ORDER BY seq")) {
                while (rs.next()) {
                    deliveries.add(new StoredState.StoredDelivery(WebhookDelivery.parseFrom(rs.getBytes(3)),
                                                                  rs.getLong(1), rs.getBytes(2)));
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new SQLException("a stored entity does not parse: " + e.getMessage(), e);
        }
        return new StoredState(jobs, templates, pools, keys, webhooks, deliveries, hosts, finished.build());
    }

    private static Job.Status peekStatus(byte[] row, long sequence) throws InvalidProtocolBufferException {
        try {
            return FinishedJobs.peekStatus(row);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidProtocolBufferException("job row " + sequence + ": " + e.getMessage());
        }
    }

    /** Parsing was most of a large store's load time, and rows are independent: parse on every core. */
    private static List<StoredState.StoredJob> parseJobs(List<byte[]> rows, List<Long> sequences)
            throws InvalidProtocolBufferException {
        StoredState.StoredJob[] jobs = new StoredState.StoredJob[rows.size()];
        try {
            IntStream.range(0, rows.size()).parallel().forEach(i -> {
                try {
                    jobs[i] = new StoredState.StoredJob(Job.parseFrom(rows.get(i)), sequences.get(i));
                } catch (InvalidProtocolBufferException e) {
                    throw new UncheckedParseFailure(sequences.get(i), e);
                }
            });
        } catch (UncheckedParseFailure failure) {
            throw new InvalidProtocolBufferException("job row " + failure.sequence + ": "
                                                     + failure.getCause().getMessage());
        }
        return Arrays.asList(jobs);
    }

    /** Carries a job row's parse failure out of the parallel stream. */
    private static final class UncheckedParseFailure extends RuntimeException {
        final long sequence;

        UncheckedParseFailure(long sequence, InvalidProtocolBufferException cause) {
            super(cause);
            this.sequence = sequence;
        }
    }
}
