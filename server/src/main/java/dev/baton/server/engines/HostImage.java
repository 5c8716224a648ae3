package dev.baton.server.engines;

import dev.baton.server.time.TimeSource;

/** Where a pool's image stands on one Docker host; engines go to a host only once it is READY there. */
final class HostImage {

    /** Checked (inspected, pulled if missing) or not. */
    enum State { UNKNOWN, READY, ERROR }

    State state = State.UNKNOWN;
    /** A check or pull is running; the previous state (e.g. an error) stays visible meanwhile. */
    boolean checking;
    String error = "";
    int failures;
    TimeSource.Timer retry;

    void cancelRetry() {
        if (retry != null) {
            retry.cancel();
            retry = null;
        }
    }
}
