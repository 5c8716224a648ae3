package dev.baton.server.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on PostgreSQL, for several Baton servers sharing one database. The same tables and
 * group commit as the embedded store; in addition every write transaction is fenced: it locks the
 * {@code leadership} row and commits only if that row still carries the epoch this server claimed
 * when it became leader. A server that was deposed (a newer leader bumped the epoch) can therefore
 * never write, whatever it still believes.
 */
public final class PostgresStore extends JdbcStore {

    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);
    /** Advisory lock key that serializes migrations of servers starting together. */
    private static final long MIGRATION_LOCK = 0x6261746f6e01L;

    /** 0 until this server claims leadership; writes are refused while it is 0 or stale. */
    private volatile long epoch;

    /** Where and as whom to connect. */
    public record Endpoint(String url, String user, String password) {
        /** A fresh connection with the settings every Baton connection uses (auto-commit on). */
        public Connection connect() throws SQLException {
            return connect(30);
        }

        /** A fresh connection on which no call blocks longer than {@code socketTimeoutSeconds}. */
        public Connection connect(int socketTimeoutSeconds) throws SQLException {
            Properties props = new Properties();
            if (!user.isEmpty()) {
                props.setProperty("user", user);
            }
            if (!password.isEmpty()) {
                props.setProperty("password", password);
            }
            props.setProperty("ApplicationName", "baton");
            props.setProperty("connectTimeout", "5");
            // Bounds how long a call can hang on a database that vanished without closing the socket.
            props.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
            props.setProperty("tcpKeepAlive", "true");
            return DriverManager.getConnection(url, props);
        }

        @Override
        public String toString() {
            return url + " as " + (user.isEmpty() ? "(driver default user)" : user);
        }
    }

    private final Endpoint endpoint;

    public PostgresStore(Endpoint endpoint) {
        super(SqlDialect.POSTGRES, () -> open(endpoint), "at " + endpoint,
              "SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
        this.endpoint = endpoint;
    }

    /** Where this store connects (the leader election opens its own session there). */
    public Endpoint endpoint() {
        return endpoint;
    }

    private static Connection open(Endpoint endpoint) throws SQLException {
        Connection connection = endpoint.connect();
        connection.setAutoCommit(false);
        return connection;
    }

    /**
     * Makes this server the writer: bumps the fencing epoch (from then on every older epoch's write
     * is refused) and records {@code address} as the leader's. Call only while holding the
     * leadership lock. Returns the new epoch.
     */
    public long claimLeadership(String address, long nowMillis) {
        try {
            long claimed = transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE leadership SET epoch = epoch + 1, leader_address = ?, elected_at = ? WHERE id = 1"
                        + " RETURNING epoch")) {
                    ps.setString(1, address);
                    ps.setLong(2, nowMillis);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
            epoch = claimed;
            log.info("event=leadership-claimed epoch={} address={}", claimed, address);
            return claimed;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim leadership in the store: " + e.getMessage(), e);
        }
    }

    /**
     * The engine instance id shared by every server of this database (created by the first to ask),
     * so that whichever server leads finds and adopts the engine containers of the one before.
     */
    public String sharedInstanceId(String candidate) {
        try {
            return transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE leadership SET instance_id = ? WHERE id = 1 AND instance_id = ''")) {
                    ps.setString(1, candidate);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT instance_id FROM leadership WHERE id = 1");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the shared engine instance id: " + e.getMessage(), e);
        }
    }

    /** Stops writing at once: every later write is refused until leadership is claimed again. */
    public void relinquish() {
        epoch = 0;
    }

    /** The epoch this server writes with; 0 when it is not the leader. */
    public long epoch() {
        return epoch;
    }

    @Override
    protected void beforeCommit(Connection connection) throws SQLException {
        long mine = epoch;
        if (mine == 0) {
            throw new SQLException("this server is not the leader, so it may not write");
        }
        // FOR SHARE conflicts with the new leader's UPDATE: either this commit happens before the
        // epoch moves, or it sees the new epoch and is refused; never a write after a takeover.
        try (PreparedStatement ps = connection.prepareStatement("SELECT epoch FROM leadership WHERE id = 1 FOR SHARE");
             ResultSet rs = ps.executeQuery()) {
            long current = rs.next() ? rs.getLong(1) : -1;
            if (current != mine) {
                throw new SQLException("fenced: this server leads with epoch " + mine + " but the store is at epoch "
                                       + current + " (another server took over)");
            }
        }
    }
}
