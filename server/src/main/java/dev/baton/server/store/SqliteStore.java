package dev.baton.server.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import dev.baton.server.config.BatonConfig;

/**
 * The embedded default: one SQLite file in WAL mode with {@code synchronous=FULL}, so a write that
 * completed survives kill -9 and power loss. Entities are stored as protobuf bytes; the columns
 * beside them exist for ordering and lookups.
 */
public final class SqliteStore extends JdbcStore {

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
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("baton.db"));
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA busy_timeout=5000");
        }
        connection.setAutoCommit(false);
        return connection;
    }
}
