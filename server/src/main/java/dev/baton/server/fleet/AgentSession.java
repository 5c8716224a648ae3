package dev.baton.server.fleet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.proto.v1.ServerMessage;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * One agent stream after a valid Hello. Only the control loop sends on it, so the observer is never
 * called concurrently. A closed (or superseded) session ignores every later send: fencing.
 */
public final class AgentSession {

    private static final Logger log = LoggerFactory.getLogger(AgentSession.class);

    private final String sessionId;
    private final String agentId;
    private final StreamObserver<ServerMessage> out;
    private volatile boolean closed;
    /** The agent this session belongs to; set on the loop before the stream learns of the session. */
    AgentRecord agent;

    public AgentSession(String sessionId, String agentId, StreamObserver<ServerMessage> out) {
        this.sessionId = sessionId;
        this.agentId = agentId;
        this.out = out;
    }

    public String id() {
        return sessionId;
    }

    public String agentId() {
        return agentId;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Sends a message unless the session is closed. */
    public void send(ServerMessage message) {
        if (closed) {
            return;
        }
        try {
            out.onNext(message);
        } catch (RuntimeException e) {
            // The transport is gone; the stream's own close callback will tell the loop.
            log.debug("event=send-failed agent={} session={} error=\"{}\"", agentId, sessionId, e.getMessage());
        }
    }

    /** Ends the stream with {@code status} (OK completes it normally). */
    public void close(Status status) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (status.isOk()) {
                out.onCompleted();
            } else {
                out.onError(status.asRuntimeException());
            }
        } catch (RuntimeException e) {
            log.debug("event=close-failed agent={} session={} error=\"{}\"", agentId, sessionId, e.getMessage());
        }
    }

    /** Marks the session closed without touching the transport (the peer already closed it). */
    public void markClosed() {
        closed = true;
    }
}
