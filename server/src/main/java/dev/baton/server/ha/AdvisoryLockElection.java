package dev.baton.server.ha;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.server.store.PostgresStore;

/**
 * Leader election through PostgreSQL itself: the leader is the server holding a session-level
 * advisory lock on a connection of its own. PostgreSQL releases the lock when that session ends,
 * whether the leader exits, is killed, or loses the network (the server notices a dead peer through
 * TCP keepalives set on the session). Every check interval a standby tries the lock and reads the
 * leader's address; the leader checks that its lock session is alive, and on any failure stops
 * leading at once. Safety does not rest on that check: taking leadership bumps the fencing epoch
 * in the store, which refuses every write of an older epoch ({@link PostgresStore}).
 */
public final class AdvisoryLockElection implements Leadership {

    private static final Logger log = LoggerFactory.getLogger(AdvisoryLockElection.class);
    /** The advisory lock key of "the Baton leader" (ASCII "baton" and 2). */
    static final long LEADER_LOCK = 0x6261746f6e02L;

    private final PostgresStore.Endpoint endpoint;
    private final PostgresStore store;
    private final Duration interval;
    private final ScheduledExecutorService thread;
    private Connection lockSession;
    private Listener listener;
    private String advertisedAddress;
    private volatile boolean leading;
    private volatile String leaderAddress = "";
    private volatile long epoch;
    private volatile boolean closed;

    public AdvisoryLockElection(PostgresStore.Endpoint endpoint, PostgresStore store, Duration interval) {
        this.endpoint = endpoint;
        this.store = store;
        this.interval = interval;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "baton-leader-election");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void start(String advertisedAddress, Listener listener) {
        this.advertisedAddress = advertisedAddress;
        this.listener = listener;
        thread.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String leaderAddress() {
        return leaderAddress;
    }

    @Override
    public String describe() {
        if (leading) {
            return "leader (epoch " + epoch + ")";
        }
        return leaderAddress.isEmpty() ? "standby; no leader yet" : "standby; leader at " + leaderAddress;
    }

    /** True while this server holds the lock. */
    public boolean leading() {
        return leading;
    }

    /** The backend pid of the lock session (tests end it to simulate a lost connection); -1 without one. */
    public int lockSessionPid() {
        Connection session = lockSession;
        try (Statement s = session.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException | NullPointerException e) {
            return -1;
        }
    }

    private void check() {
        if (closed) {
            return;
        }
        try {
            if (leading) {
                confirmLock();
            } else {
                tryToLead();
            }
        } catch (SQLException e) {
            dropSession();
            if (leading) {
                stepDown("the leadership lock session failed: " + e.getMessage());
            } else {
                log.warn("event=election-check-failed error=\"{}\"", e.getMessage());
            }
        } catch (RuntimeException e) {
            log.error("event=election-error", e);
            if (leading) {
                stepDown("leadership failed: " + e);
            }
        }
    }

    private void tryToLead() throws SQLException {
        Connection session = session();
        try (Statement s = session.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + LEADER_LOCK + ")")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    readLeader(s);
                    return;
                }
            }
        }
        epoch = store.claimLeadership(advertisedAddress, System.currentTimeMillis());
        leaderAddress = advertisedAddress;
        leading = true;
        log.info("event=leader-elected epoch={} address={}", epoch, advertisedAddress);
        listener.elected();
    }

    private void readLeader(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT leader_address FROM leadership WHERE id = 1")) {
            String recorded = rs.next() ? rs.getString(1) : "";
            // This server restarted after leading: the row still names it, but it leads no more.
            String seen = recorded.equals(advertisedAddress) ? "" : recorded;
            if (!seen.equals(leaderAddress)) {
                log.info("event=leader-seen address={}", seen);
            }
            leaderAddress = seen;
        }
    }

    private void confirmLock() throws SQLException {
        try (Statement s = session().createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
        }
    }

    /** A deposed server takes no further part: its memory is stale until it restarts as a standby. */
    private void stepDown(String why) {
        closed = true;
        leading = false;
        store.relinquish();
        leaderAddress = "";
        log.warn("event=leadership-lost epoch={} reason=\"{}\"", epoch, why);
        listener.deposed(why);
    }

    private Connection session() throws SQLException {
        if (lockSession == null) {
            int timeout = (int) Math.max(2, interval.toSeconds() * 3);
            lockSession = endpoint.connect(timeout);
            lockSession.setAutoCommit(true);
            try (Statement s = lockSession.createStatement()) {
                // The database notices a vanished leader (power loss, cut network) within ~9 s and
                // then releases its lock; a process that dies closes its socket and frees it at once.
                s.execute("SET tcp_keepalives_idle = 5");
                s.execute("SET tcp_keepalives_interval = 2");
                s.execute("SET tcp_keepalives_count = 2");
            }
        }
        return lockSession;
    }

    private void dropSession() {
        Connection session = lockSession;
        lockSession = null;
        if (session != null) {
            try {
                session.close();
            } catch (SQLException ignored) {
                // already gone
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leading = false;
        store.relinquish();
        // Closing the session releases the lock: a standby takes over within one check interval.
        dropSession();
    }
}
