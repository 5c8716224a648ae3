package dev.baton.server.ha;

/**
 * Whether this server is the one that acts: owns the agents, schedules, writes. With the embedded
 * store there is one server and it always leads ({@link SoleLeader}); servers sharing PostgreSQL
 * elect one ({@link AdvisoryLockElection}).
 */
public interface Leadership extends AutoCloseable {

    /** What the server does when leadership changes; called on the election's thread, in order. */
    interface Listener {
        /** This server became leader: recover state and start acting. Returns once it serves. */
        void elected();

        /** This server is leader no longer: stop acting at once. */
        void deposed(String why);
    }

    /** Starts taking part; {@code advertisedAddress} is where others are told to find this server. */
    void start(String advertisedAddress, Listener listener);

    /** The address of the current leader as last seen ("" when unknown); this server's own when it leads. */
    String leaderAddress();

    /** One line for /healthz: the role, and the epoch or the leader's address. */
    String describe();

    @Override
    void close();
}
