package dev.baton.server.api;

import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.common.logging.RequestLogProperty;
import com.linecorp.armeria.server.ServiceRequestContext;

import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.AgentServiceGrpc;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.error.ErrorMapping;
import dev.baton.server.fleet.AgentSession;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * The agent stream's door: enforces "Hello first, Hello once" per stream and hands everything else
 * to the control loop. A violation ends only this stream, with a status that says what was expected.
 */
final class AgentEndpoint extends AgentServiceGrpc.AgentServiceImplBase {

    private static final Logger log = LoggerFactory.getLogger(AgentEndpoint.class);

    private final ControlPlane plane;

    AgentEndpoint(ControlPlane plane) {
        this.plane = plane;
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ServerMessage> out) {
        keepHelloOutOfTheRequestLog();
        return new Stream(out);
    }

    /**
     * Armeria keeps a stream's first request message in its request log until the stream ends: for
     * an agent that is its Hello, token included, held for the session's whole life (≈ 0.5 KiB per
     * connected agent). Marking the content logged, as none, before the Hello arrives stops that.
     */
    private static void keepHelloOutOfTheRequestLog() {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        if (ctx != null && !ctx.log().isAvailable(RequestLogProperty.REQUEST_CONTENT)) {
            ctx.logBuilder().requestContent(null, null);
        }
    }

    /** One agent stream. gRPC calls these methods one at a time, never concurrently. */
    private final class Stream implements StreamObserver<AgentMessage> {

        private final StreamObserver<ServerMessage> out;
        private boolean helloSeen;
        private boolean ended;
        private volatile AgentSession session;
        /** Messages of this stream handed to the loop and not yet applied (a heartbeat may skip the hop only at 0). */
        private final AtomicInteger queued = new AtomicInteger();

        Stream(StreamObserver<ServerMessage> out) {
            this.out = out;
        }

        @Override
        public void onNext(AgentMessage message) {
            if (ended) {
                return;
            }
            if (!helloSeen) {
                if (message.getMsgCase() != AgentMessage.MsgCase.HELLO) {
                    refuseBeforeHello(Status.FAILED_PRECONDITION.withDescription(
                            "expected Hello as the first message on the agent stream, got " + name(message)));
                    return;
                }
                if (plane.shuttingDown()) {
                    refuseBeforeHello(Status.UNAVAILABLE.withDescription(
                            "server shutting down; reconnect with the same agent id to keep your jobs"));
                    return;
                }
                try {
                    plane.agentProtocol().checkHello(message.getHello());
                } catch (RuntimeException e) {
                    refuseBeforeHello(ErrorMapping.toStatus(e));
                    return;
                }
                helloSeen = true;
                plane.loop().execute(() -> session = plane.agentProtocol().hello(message.getHello(), out));
                return;
            }
            if (message.getMsgCase() == AgentMessage.MsgCase.HELLO) {
                violation("a second Hello on the same stream (expected: one Hello per stream; open a new stream "
                          + "to start a new session)");
                return;
            }
            if (message.getMsgCase() == AgentMessage.MsgCase.MSG_NOT_SET) {
                violation("an empty AgentMessage (expected: exactly one of heartbeat, assignAck, jobUpdate, "
                          + "jobLog, commandAck, goodbye)");
                return;
            }
            AgentSession current = session;
            if (current != null && queued.get() == 0 && plane.agentProtocol().heartbeatOffLoop(current, message)) {
                return;
            }
            queued.incrementAndGet();
            plane.loop().execute(() -> {
                try {
                    if (session != null) {
                        plane.agentProtocol().message(session, message);
                    }
                } finally {
                    queued.decrementAndGet();
                }
            });
        }

        private void refuseBeforeHello(Status status) {
            ended = true;
            plane.fleetMetrics().protocolError();
            log.info("event=agent-stream-refused code={} reason=\"{}\"", status.getCode(), status.getDescription());
            out.onError(status.asRuntimeException());
        }

        private void violation(String what) {
            ended = true;
            plane.fleetMetrics().protocolError();
            Status status = Status.FAILED_PRECONDITION.withDescription("protocol violation: " + what);
            plane.loop().execute(() -> {
                if (session != null) {
                    log.info("event=agent-protocol-violation agent={} reason=\"{}\"", session.agentId(), what);
                    plane.agentProtocol().end(session, status, "protocol violation");
                }
            });
        }

        @Override
        public void onError(Throwable t) {
            ended = true;
            streamGone("stream broken: " + Status.fromThrowable(t).getCode());
        }

        @Override
        public void onCompleted() {
            if (ended) {
                return;
            }
            ended = true;
            plane.loop().execute(() -> {
                if (session == null) {
                    out.onCompleted();
                    return;
                }
                // Complete our side first: marking the session gone would make close() a no-op.
                session.close(Status.OK);
                if (!plane.shuttingDown()) {
                    plane.agentProtocol().closed(session, "stream closed by the agent");
                }
            });
        }

        private void streamGone(String why) {
            plane.loop().execute(() -> {
                if (session != null && !plane.shuttingDown()) {
                    plane.agentProtocol().closed(session, why);
                }
            });
        }
    }

    private static String name(AgentMessage message) {
        return message.getMsgCase() == AgentMessage.MsgCase.MSG_NOT_SET ? "an empty message"
                                                                        : message.getMsgCase().name();
    }
}
