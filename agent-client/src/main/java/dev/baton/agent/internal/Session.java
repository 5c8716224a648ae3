package dev.baton.agent.internal;

import dev.baton.agent.AgentTimer;
import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.AgentServiceGrpc;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.Welcome;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

/**
 * One Connect stream on its own channel: from the Hello to the end of the stream. Its callbacks
 * are handed to the agent's event loop, which owns every field.
 */
final class Session implements ClientResponseObserver<AgentMessage, ServerMessage> {

    final long id;
    private final AgentCore core;
    private final ManagedChannel channel;
    private ClientCallStreamObserver<AgentMessage> out;

    Welcome welcome;
    AgentTimer.Cancellable helloTimeout;
    AgentTimer.Cancellable nextHeartbeat;
    boolean ended;

    private Session(long id, AgentCore core, ManagedChannel channel) {
        this.id = id;
        this.core = core;
        this.channel = channel;
    }

    /** Opens the stream and sends {@code hello} as its first message. */
    static Session open(long id, AgentCore core, ManagedChannel channel, AgentMessage hello) {
        Session session = new Session(id, core, channel);
        AgentServiceGrpc.newStub(channel).connect(session);
        session.send(hello);
        return session;
    }

    boolean welcomed() {
        return welcome != null && !ended;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
        this.out = requestStream;
    }

    @Override
    public void onNext(ServerMessage message) {
        core.post(() -> core.connection.onServerMessage(this, message));
    }

    @Override
    public void onError(Throwable error) {
        core.post(() -> core.connection.onSessionEnded(this, Status.fromThrowable(error),
                                                       Status.trailersFromThrowable(error)));
    }

    @Override
    public void onCompleted() {
        core.post(() -> core.connection.onSessionEnded(this, Status.OK.withDescription("server closed the stream"),
                                                       null));
    }

    void send(AgentMessage message) {
        if (ended) {
            return;
        }
        try {
            out.onNext(message);
        } catch (RuntimeException e) {
            // The call is already closed; onError reports why, and the next session resends state.
        }
    }

    /** Half-closes: the agent will send nothing more (after its Goodbye). */
    void finishSending() {
        try {
            out.onCompleted();
        } catch (RuntimeException e) {
            // Already closed: nothing left to finish.
        }
    }

    /** Ends the stream from this side and releases the channel. */
    void close(String why) {
        cancelTimers();
        ended = true;
        try {
            out.cancel(why, null);
        } catch (RuntimeException e) {
            // Already closed.
        }
        channel.shutdownNow();
    }

    /** Releases the channel after the server ended the stream. */
    void release() {
        cancelTimers();
        ended = true;
        channel.shutdownNow();
    }

    ManagedChannel channel() {
        return channel;
    }

    private void cancelTimers() {
        if (helloTimeout != null) {
            helloTimeout.cancel();
        }
        if (nextHeartbeat != null) {
            nextHeartbeat.cancel();
        }
    }
}
