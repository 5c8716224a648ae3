package dev.baton.server.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import dev.baton.server.config.BatonConfig;

/**
 * The embedded default: one SQLite file in WAL mode with {@code synchronous=FULL}, so a write that
 * completed survives kill -9 and power loss. Entities are stored as protobuf bytes; the columns
 * beside them exist for ordering and lookups.
 *
 * <p>A batch of write-behind writes only is committed with {@code synchronous=NORMAL}: in WAL
 * mode that commit is safe against a crash of the process (the frames are in the WAL file) but
 * waits for no fsync. The next {@code FULL} commit syncs the WAL file, and with it every earlier
 * frame, in order; if none comes within {@link JdbcStore#WRITE_BEHIND_SYNC}, a passive checkpoint
 * (which syncs the WAL first) does it. So an acknowledged write never waits behind the fsync of a
 * write nobody is waiting for.
 *
 * <p>SQLite's own checkpoints (copying the WAL back into the database file) are off on the writer's
 * connection: they ran inside whichever commit crossed the threshold, and every write queued behind
 * it waited. {@link SqliteCheckpointer} runs them beside the writer instead. The WAL file starts over
 * only at a commit that finds every frame copied, which a checkpoint running beside a busy writer may
 * never see; the writer then checkpoints itself (copying only what is left) once the WAL has grown
 * past a limit.
 */
public final class SqliteStore extends JdbcStore {

    /** When to checkpoint; SQLite's own default threshold is 1,000 pages. */
    record CheckpointPolicy(int commitsBetweenRequests, long writerCheckpointAboveFrames) {
        /** A commit adds a few pages to the WAL; the writer steps in at about 16 MiB of WAL. */
        static final CheckpointPolicy DEFAULT = new CheckpointPolicy(200, 4000);
    }

    private static final long WAL_FILE_KEPT_BYTES = 16L << 20;

    /** The connection whose synchronous level is known, and that level (FULL as opened). */
    private Connection tunedConnection;
    private boolean full = true;
    private final CheckpointPolicy policy;
    private final SqliteCheckpointer checkpointer;
    /** Commits since the last checkpoint request (writer thread only). */
    private int commitsSinceRequest;
    /** Checkpoints the writer ran because the checkpointer lagged (tests read it). */
    private volatile int writerCheckpoints;

    public SqliteStore(BatonConfig config) {
        this(config.dataDir());
    }

    public SqliteStore(Path dataDir) {
        this(dataDir, CheckpointPolicy.DEFAULT);
    }

    SqliteStore(Path dataDir, CheckpointPolicy policy) {
        super(SqlDialect.SQLITE, () -> open(dataDir), "in " + dataDir.toAbsolutePath(), null);
        this.policy = policy;
        this.checkpointer = new SqliteCheckpointer(() -> open(dataDir));
    }

    private static Connection open(Path dataDir) throws SQLException {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new SQLException("cannot create the data directory: " + e, e);
        }
        SqliteNativeLibrary.useCopyIn(dataDir);
        Properties properties = new Properties();
        // No statement here reads generated keys; fetching them costs a regex match per INSERT.
        properties.setProperty("jdbc.get_generated_keys", "false");
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("baton.db"), properties);
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA busy_timeout=5000");
            s.execute("PRAGMA wal_autocheckpoint=0");
            // When the WAL starts over, a file that grew under a burst is cut back to this size.
            s.execute("PRAGMA journal_size_limit=" + WAL_FILE_KEPT_BYTES);
        }
        connection.setAutoCommit(false);
        return connection;
    }

    @Override
    protected void beforeBatch(Connection connection, boolean durable) throws SQLException {
        if (connection != tunedConnection) {
            tunedConnection = connection;
            full = true;
        }
        if (durable == full) {
            return;
        }
        // SQLite refuses to change the level inside a transaction, and the driver keeps one open.
        connection.setAutoCommit(true);
        try (Statement s = connection.createStatement()) {
            s.execute(durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
        } finally {
            connection.setAutoCommit(false);
        }
        full = durable;
    }

    /** A passive checkpoint syncs the WAL first; it cannot while the checkpointer holds the checkpoint lock. */
    @Override
    protected boolean syncWriteBehind(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
            return rs.getInt(1) == 0;
        }
    }

    @Override
    protected void afterCommit(Connection connection) throws SQLException {
        if (++commitsSinceRequest < policy.commitsBetweenRequests() || checkpointer == null) {
            return;
        }
        commitsSinceRequest = 0;
        if (checkpointer.walFrames() > policy.writerCheckpointAboveFrames()) {
            // The checkpointer copied all but the latest frames; what is left is quick to copy.
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(PASSIVE)");
            }
            writerCheckpoints++;
            checkpointer.forgetWalSize();
            return;
        }
        checkpointer.request();
    }

    /** Checkpoints the background checkpointer ran (tests read it). */
    long checkpoints() {
        return checkpointer.checkpoints();
    }

    int writerCheckpoints() {
        return writerCheckpoints;
    }

    /** Stops the checkpointer first, so that closing the writer's connection, the last one, checkpoints. */
    @Override
    public void close() {
        checkpointer.close();
        super.close();
    }

    /** The synchronous level of the open connection (1 NORMAL, 2 FULL); tests only. */
    int synchronousLevel() throws SQLException {
        return transaction(c -> {
            try (Statement s = c.createStatement(); var rs = s.executeQuery("PRAGMA synchronous")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
