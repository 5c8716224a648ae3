package dev.baton.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL back into the database file on a thread of its own, with a connection of its own.
 * SQLite would otherwise do it inside whichever commit pushed the WAL past its threshold: that
 * commit then also waits for the copy and two more fsyncs, several milliseconds in which every
 * write queued behind it (an acknowledged submit among them) waits too. In WAL mode a checkpoint
 * runs beside the writer, and a PASSIVE one never waits for a lock.
 *
 * <p>The writer starts the WAL file over at a commit that finds every frame copied. A checkpoint
 * copies the frames that existed when it began, so each request repeats it until a pass finds no
 * frame added meanwhile (the writer paused), a few times at most; {@link #walFrames} tells the
 * writer how large the WAL was at the last pass, so it can step in when that never happens.
 */
final class SqliteCheckpointer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SqliteCheckpointer.class);

    private final JdbcStore.ConnectionSource source;
    private final Thread thread;
    private final Object signal = new Object();
    /** Passes per request: the first copies the bulk, later ones the few frames committed meanwhile. */
    private static final int MAX_PASSES = 5;

    private final AtomicLong checkpoints = new AtomicLong();
    private volatile long walFrames;
    private boolean requested;
    private boolean closed;
    private Connection connection;

    SqliteCheckpointer(JdbcStore.ConnectionSource source) {
        this.source = source;
        this.thread = new Thread(this::run, "baton-store-checkpoint");
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks for a checkpoint soon; never blocks (requests made while one runs are served by the next). */
    void request() {
        synchronized (signal) {
            requested = true;
            signal.notifyAll();
        }
    }

    /**
     * Frames in the WAL at the last pass when the checkpoint did not catch up with the writer; 0 when
     * it did (the file then starts over at the next commit).
     */
    long walFrames() {
        return walFrames;
    }

    /** After the writer checkpointed itself: the next pass will tell. */
    void forgetWalSize() {
        walFrames = 0;
    }

    /** Checkpoints run so far (tests read it). */
    long checkpoints() {
        return checkpoints.get();
    }

    private void run() {
        while (true) {
            synchronized (signal) {
                while (!requested && !closed) {
                    try {
                        signal.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                requested = false;
            }
            checkpoint();
        }
    }

    private void checkpoint() {
        try {
            if (connection == null) {
                connection = source.open();
                // Its own reads and writes are none; a connection left in a transaction would pin the WAL.
                connection.setAutoCommit(true);
            }
            long previousFrames = -1;
            for (int pass = 0; pass < MAX_PASSES; pass++) {
                try (Statement s = connection.createStatement();
                     ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                    rs.next();
                    boolean busy = rs.getInt(1) != 0;
                    long frames = rs.getLong(2);
                    walFrames = frames;
                    if (busy) {
                        break;
                    }
                    if (frames == previousFrames) {
                        // Nothing was added since the last pass: the writer's next commit starts over.
                        walFrames = 0;
                        break;
                    }
                    previousFrames = frames;
                }
            }
            checkpoints.incrementAndGet();
        } catch (SQLException e) {
            // The WAL only grows until a later checkpoint succeeds; nothing written is at risk.
            log.warn("event=store-checkpoint-failed error=\"{}\"", e.getMessage());
            closeConnection();
        }
    }

    private void closeConnection() {
        JdbcStore.closeQuietly(connection);
        connection = null;
    }

    @Override
    public void close() {
        synchronized (signal) {
            closed = true;
            signal.notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }
}
