package dev.baton.server.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.Template;
import dev.baton.proto.v1.Webhook;
import dev.baton.proto.v1.WebhookDelivery;
import dev.baton.server.error.BatonException;

/**
 * SQLite in WAL mode with {@code synchronous=FULL}: a write that completed survives kill -9 and power
 * loss. One writer thread commits whatever has queued up in one transaction (group commit), so the
 * fsync per commit is shared by every write in it instead of capping throughput.
 * Entities are stored as protobuf bytes; the columns beside them exist for ordering and lookups.
 */
public final class SqliteStore implements BatonStore {

    private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);
    private static final int MAX_BATCH = 1000;

    private final Connection connection;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closing;
    private volatile String problem;
    /** Prepared once, used by the writer thread only. */
    private final java.util.Map<String, PreparedStatement> statements = new java.util.HashMap<>();

    private record Pending(List<StoreWrite> writes, CompletableFuture<Void> done) {}

    private static final Pending STOP = new Pending(List.of(), new CompletableFuture<>());

    public SqliteStore(dev.baton.server.config.BatonConfig config) {
        this(config.dataDir());
    }

    public SqliteStore(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("baton.db"));
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, data BLOB NOT NULL)");
                s.execute("CREATE INDEX IF NOT EXISTS jobs_seq ON jobs(seq)");
                s.execute("CREATE TABLE IF NOT EXISTS templates (id TEXT PRIMARY KEY, data BLOB NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS pools (name TEXT PRIMARY KEY, data BLOB NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS idempotency_keys (key TEXT PRIMARY KEY, job_id TEXT NOT NULL,"
                          + " request_digest TEXT NOT NULL, expires_at INTEGER NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS webhooks (id TEXT PRIMARY KEY, secret TEXT NOT NULL, data BLOB NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS webhook_deliveries (id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL,"
                          + " seq INTEGER NOT NULL, body BLOB NOT NULL, data BLOB NOT NULL)");
                // Job logs: one row per flushed batch of an attempt's lines, never one per line.
                s.execute("CREATE TABLE IF NOT EXISTS job_logs (job_id TEXT NOT NULL, attempt INTEGER NOT NULL,"
                          + " first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, written_at INTEGER NOT NULL,"
                          + " data BLOB NOT NULL, PRIMARY KEY (job_id, attempt, first_seq))");
                s.execute("CREATE INDEX IF NOT EXISTS job_logs_written ON job_logs(written_at)");
            }
            connection.setAutoCommit(false);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the store in " + dataDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        writer = new Thread(this::writeLoop, "baton-store-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public StoredState load() {
        try {
            List<StoredState.StoredJob> jobs = new ArrayList<>();
            List<Template> templates = new ArrayList<>();
            List<Pool> pools = new ArrayList<>();
            List<IdempotencyRecord> keys = new ArrayList<>();
            List<StoredState.StoredWebhook> webhooks = new ArrayList<>();
            List<StoredState.StoredDelivery> deliveries = new ArrayList<>();
            synchronized (connection) {
                try (Statement s = connection.createStatement()) {
                    List<byte[]> rows = new ArrayList<>();
                    List<Long> sequences = new ArrayList<>();
                    try (ResultSet rs = s.executeQuery("SELECT seq, data FROM jobs ORDER BY seq")) {
                        while (rs.next()) {
                            sequences.add(rs.getLong(1));
                            rows.add(rs.getBytes(2));
                        }
                    }
                    jobs.addAll(parseJobs(rows, sequences));
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
                    try (ResultSet rs = s.executeQuery(
                            "SELECT key, job_id, request_digest, expires_at FROM idempotency_keys")) {
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
                }
                connection.commit();
            }
            return new StoredState(jobs, templates, pools, keys, webhooks, deliveries);
        } catch (SQLException | InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot read the store: " + e.getMessage(), e);
        }
    }

    /** Parsing is most of a large store's load time, and rows are independent: parse on every core. */
    private static List<StoredState.StoredJob> parseJobs(List<byte[]> rows, List<Long> sequences) {
        StoredState.StoredJob[] jobs = new StoredState.StoredJob[rows.size()];
        java.util.stream.IntStream.range(0, rows.size()).parallel().forEach(i -> {
            try {
                jobs[i] = new StoredState.StoredJob(Job.parseFrom(rows.get(i)), sequences.get(i));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("cannot read the store: job row " + sequences.get(i) + ": "
                                                + e.getMessage(), e);
            }
        });
        return java.util.Arrays.asList(jobs);
    }

    @Override
    public CompletableFuture<Void> write(List<StoreWrite> writes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closing) {
            done.completeExceptionally(BatonException.unavailable("the store is closed (server shutting down)"));
            return done;
        }
        queue.add(new Pending(List.copyOf(writes), done));
        return done;
    }

    @Override
    public List<byte[]> readLogLines(String jobId, int attempt) {
        synchronized (connection) {
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
                connection.commit();
                return batches;
            } catch (SQLException e) {
                rollbackQuietly();
                throw BatonException.unavailable("cannot read the logs of job %s attempt %d: %s", jobId, attempt,
                                                 e.getMessage());
            }
        }
    }

    @Override
    public String problem() {
        return problem;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                boolean stop = batch.remove(STOP);
                commit(batch);
                batch.clear();
                if (stop) {
                    List<Pending> rest = new ArrayList<>();
                    queue.drainTo(rest);
                    commit(rest);
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void commit(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        synchronized (connection) {
            try {
                for (StoreWrite write : collapse(batch)) {
                    apply(write);
                }
                connection.commit();
                if (problem != null) {
                    log.info("event=store-recovered");
                }
                problem = null;
                batch.forEach(p -> p.done().complete(null));
            } catch (SQLException e) {
                rollbackQuietly();
                problem = "store write failed: " + e.getMessage();
                log.warn("event=store-write-failed writes={} error=\"{}\"", batch.size(), e.getMessage());
                BatonException failure = BatonException.unavailable("%s; nothing was changed, retry later", problem);
                batch.forEach(p -> p.done().completeExceptionally(failure));
            }
        }
    }

    /**
     * The batch's writes in order, except that of several snapshots of one job only the last is
     * written: a job that went ASSIGNED, ACCEPTED and RUNNING within one commit costs one row write.
     */
    private static List<StoreWrite> collapse(List<Pending> batch) {
        java.util.Map<String, Integer> lastJobWrite = new java.util.HashMap<>();
        List<StoreWrite> writes = new ArrayList<>();
        for (Pending pending : batch) {
            for (StoreWrite write : pending.writes()) {
                if (write instanceof StoreWrite.PutJob put) {
                    lastJobWrite.put(put.job().getId(), writes.size());
                }
                writes.add(write);
            }
        }
        List<StoreWrite> result = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            StoreWrite write = writes.get(i);
            if (write instanceof StoreWrite.PutJob put && lastJobWrite.get(put.job().getId()) != i) {
                continue;
            }
            result.add(write);
        }
        return result;
    }

    private void apply(StoreWrite write) throws SQLException {
        if (write instanceof StoreWrite.PutJob put) {
            update("INSERT OR REPLACE INTO jobs (id, seq, data) VALUES (?, ?, ?)",
                   put.job().getId(), put.sequence(), put.job().toByteArray());
        } else if (write instanceof StoreWrite.PutTemplate put) {
            update("INSERT OR REPLACE INTO templates (id, data) VALUES (?, ?)",
                   put.template().getId(), put.template().toByteArray());
        } else if (write instanceof StoreWrite.DeleteTemplate delete) {
            update("DELETE FROM templates WHERE id = ?", delete.id());
        } else if (write instanceof StoreWrite.PutPool put) {
            update("INSERT OR REPLACE INTO pools (name, data) VALUES (?, ?)", put.pool().getName(),
                   put.pool().toByteArray());
        } else if (write instanceof StoreWrite.DeletePool delete) {
            update("DELETE FROM pools WHERE name = ?", delete.name());
        } else if (write instanceof StoreWrite.PutIdempotencyKey put) {
            update("INSERT OR REPLACE INTO idempotency_keys (key, job_id, request_digest, expires_at) VALUES (?, ?, ?, ?)",
                   put.record().key(), put.record().jobId(), put.record().requestDigest(),
                   put.record().expiresAt().toEpochMilli());
        } else if (write instanceof StoreWrite.ExpireIdempotencyKeys expire) {
            update("DELETE FROM idempotency_keys WHERE expires_at < ?", expire.now().toEpochMilli());
        } else if (write instanceof StoreWrite.PutWebhook put) {
            update("INSERT OR REPLACE INTO webhooks (id, secret, data) VALUES (?, ?, ?)", put.webhook().getId(),
                   put.secret(), put.webhook().toByteArray());
        } else if (write instanceof StoreWrite.DeleteWebhook delete) {
            update("DELETE FROM webhooks WHERE id = ?", delete.id());
            update("DELETE FROM webhook_deliveries WHERE webhook_id = ?", delete.id());
        } else if (write instanceof StoreWrite.PutWebhookDelivery put) {
            update("INSERT OR REPLACE INTO webhook_deliveries (id, webhook_id, seq, body, data) VALUES (?, ?, ?, ?, ?)",
                   put.delivery().getId(), put.delivery().getWebhookId(), put.sequence(), put.body(),
                   put.delivery().toByteArray());
        } else if (write instanceof StoreWrite.DeleteWebhookDelivery delete) {
            update("DELETE FROM webhook_deliveries WHERE id = ?", delete.id());
        } else if (write instanceof StoreWrite.PutLogLines put) {
            update("INSERT OR REPLACE INTO job_logs (job_id, attempt, first_seq, last_seq, written_at, data)"
                   + " VALUES (?, ?, ?, ?, ?, ?)", put.jobId(), put.attempt(), put.firstSeq(), put.lastSeq(),
                   put.writtenAt().toEpochMilli(), put.lines());
        } else if (write instanceof StoreWrite.TrimLogLines trim) {
            update("DELETE FROM job_logs WHERE job_id = ? AND attempt = ? AND last_seq < ?", trim.jobId(),
                   trim.attempt(), trim.keepFromSeq());
        } else if (write instanceof StoreWrite.ExpireLogLines expire) {
            update("DELETE FROM job_logs WHERE written_at < ?", expire.cutoff().toEpochMilli());
        }
    }

    private void update(String sql, Object... args) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        ps.executeUpdate();
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.warn("event=store-rollback-failed error=\"{}\"", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        queue.add(STOP);
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (connection) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.warn("event=store-close-failed error=\"{}\"", e.getMessage());
            }
        }
    }
}
