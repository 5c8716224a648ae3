package dev.baton.server.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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
 */
public final class SqliteStore extends JdbcStore {

    /** The connection whose synchronous level is known, and that level (FULL as opened). */
    private Connection tunedConnection;
    private boolean full = true;

    public SqliteStore(BatonConfig config) {
        this(config.dataDir());
    }

    public SqliteStore(Path dataDir) {
        super(SqlDialect.SQLITE, () -> open(dataDir), "in " + dataDir.toAbsolutePath(), null);
    }

    private static Connection open(Path dataDir) throws SQLException {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new SQLException("cannot create the data directory: " + e, e);
        }
        Properties properties = new Properties();
        // No statement here reads generated keys; fetching them costs a regex match per INSERT.
        properties.setProperty("jdbc.get_generated_keys", "false");
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("baton.db"), properties);
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA busy_timeout=5000");
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

    @Override
    protected void syncWriteBehind(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(PASSIVE)");
        }
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
