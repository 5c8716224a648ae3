package dev.baton.server.logs;

import dev.baton.proto.v1.FollowLogsResponse;

/** Where a follower writes: a gRPC call or an SSE response. Called on the follower's event loop. */
public interface LogFollowTransport {

    /** True when the client can take another message now (pacing: never queue without bound). */
    boolean isReady();

    void send(FollowLogsResponse response);

    /** The attempt ended and everything was sent. */
    void complete();
}
