package dev.baton.agent.testing;

import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.AgentServiceGrpc;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.Welcome;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real gRPC AgentService on loopback whose every move is the test's: it records what agents
 * send and sends what the test says. For protocol details and faults the real server cannot be
 * asked to produce on demand (an exact Welcome, a dropped stream at a chosen moment).
 */
public final class ScriptedAgentServer implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);

    private final Server server;
    private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();

    private ScriptedAgentServer(int port) throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                                   .addService(new Service())
                                   .build()
                                   .start();
    }

    public static ScriptedAgentServer start() throws IOException {
        return new ScriptedAgentServer(0);
    }

    /** A new server on the port of a closed one (a "restart"). */
    public static ScriptedAgentServer startOn(int port) throws IOException {
        return new ScriptedAgentServer(port);
    }

    public int port() {
        return server.getPort();
    }

    public String target() {
        return "127.0.0.1:" + port();
    }

    /** The next agent stream, waiting for it. */
    public Connection nextConnection() throws InterruptedException {
        Connection connection = connections.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (connection == null) {
            throw new AssertionError("no agent connected within " + WAIT);
        }
        return connection;
    }

    /** A connection that came and is still unclaimed, or null. */
    public Connection pollConnection() {
        return connections.poll();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(10, TimeUnit.SECONDS);
    }

    private final class Service extends AgentServiceGrpc.AgentServiceImplBase {
        @Override
        public StreamObserver<AgentMessage> connect(StreamObserver<ServerMessage> responses) {
            Connection connection = new Connection((ServerCallStreamObserver<ServerMessage>) responses);
            connections.add(connection);
            return connection;
        }
    }

    /** One agent stream, seen from the server. */
    public static final class Connection implements StreamObserver<AgentMessage> {

        private final ServerCallStreamObserver<ServerMessage> out;
        private final BlockingQueue<AgentMessage> received = new LinkedBlockingQueue<>();
        private final CompletableFuture<Status> ended = new CompletableFuture<>();

        Connection(ServerCallStreamObserver<ServerMessage> out) {
            this.out = out;
        }

        @Override
        public void onNext(AgentMessage message) {
            received.add(message);
        }

        @Override
        public void onError(Throwable error) {
            ended.complete(Status.fromThrowable(error));
        }

        @Override
        public void onCompleted() {
            ended.complete(Status.OK);
            synchronized (this) {
                out.onCompleted(); // like the real server: the agent's half-close ends the stream
            }
        }

        /** The next message that is not a heartbeat. */
        public AgentMessage next() throws InterruptedException {
            while (true) {
                AgentMessage message = nextIncludingHeartbeats();
                if (!message.hasHeartbeat()) {
                    return message;
                }
            }
        }

        public AgentMessage nextIncludingHeartbeats() throws InterruptedException {
            AgentMessage message = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("the agent sent nothing within " + WAIT);
            }
            return message;
        }

        /** Asserts nothing but heartbeats arrives for {@code quiet}. */
        public void expectSilence(Duration quiet) throws InterruptedException {
            long deadline = System.nanoTime() + quiet.toNanos();
            while (true) {
                AgentMessage message = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (message == null) {
                    return;
                }
                if (!message.hasHeartbeat()) {
                    throw new AssertionError("expected no message, got: " + message);
                }
            }
        }

        public synchronized void send(ServerMessage message) {
            out.onNext(message);
        }

        public void welcome(Duration heartbeatInterval) {
            send(ServerMessage.newBuilder().setWelcome(Welcome.newBuilder()
                    .setSessionId("session-" + System.nanoTime())
                    .setHeartbeatInterval(proto(heartbeatInterval))
                    .setStopGrace(proto(Duration.ofSeconds(2)))
                    .setKillAfter(proto(Duration.ofSeconds(2)))
                    .setServerVersion("scripted")).build());
        }

        public void welcome(Welcome welcome) {
            send(ServerMessage.newBuilder().setWelcome(welcome).build());
        }

        /** Breaks the stream as a crashing server would. */
        public synchronized void fail(Status status) {
            out.onError(status.asRuntimeException());
        }

        public CompletableFuture<Status> ended() {
            return ended;
        }

        public static com.google.protobuf.Duration proto(Duration duration) {
            return com.google.protobuf.Duration.newBuilder().setSeconds(duration.getSeconds())
                                               .setNanos(duration.getNano()).build();
        }
    }
}
