package dev.baton.server.watch;

/**
 * The wire under one watch stream (a gRPC call, an SSE response). Every method is called on the
 * stream's executor only, one at a time.
 */
public interface WatchTransport {

    /** True when the wire can take another event now without buffering it without bound. */
    boolean isReady();

    /** Sends one event; encode it through the frame, whose wire forms every stream that sends it shares. */
    void send(WatchFrame frame);

    /** The watcher fell behind and is cut off; {@code message} says how to resume. */
    void fellBehind(String message);

    /** The server is stopping; {@code message} says how to resume. */
    void serverStopping(String message);
}
