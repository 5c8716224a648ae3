package dev.baton.server.ha;

/** The embedded store's case: one server, leader from start to end. */
public final class SoleLeader implements Leadership {

    private volatile String address = "";

    @Override
    public void start(String advertisedAddress, Listener listener) {
        // Named only once elected returns: while the stored state is recovered, callers are told
        // this server is not serving yet, not that it is a standby of itself.
        listener.elected();
        address = advertisedAddress;
    }

    @Override
    public String leaderAddress() {
        return address;
    }

    @Override
    public String describe() {
        return "leader (embedded store, single server)";
    }

    @Override
    public void close() {}
}
