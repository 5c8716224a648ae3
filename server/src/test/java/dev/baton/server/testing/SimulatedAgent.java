package dev.baton.server.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.AgentServiceGrpc;
import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.AssignAck;
import dev.baton.proto.v1.Capabilities;
import dev.baton.proto.v1.CommandAck;
import dev.baton.proto.v1.Goodbye;
import dev.baton.proto.v1.Heartbeat;
import dev.baton.proto.v1.Hello;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobUpdate;
import dev.baton.proto.v1.RunningJob;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.Welcome;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * A scripted agent over a real gRPC stream: the test decides every message it sends and reads
 * every message the server sends, in order.
 */
public final class SimulatedAgent implements AutoCloseable {

    private final BlockingQueue<ServerMessage> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> closed = new CompletableFuture<>();
    private final StreamObserver<AgentMessage> out;
    private final String id;
    private Welcome welcome;
    private boolean halfClosed;

    private SimulatedAgent(ManagedChannel channel, String id) {
        this.id = id;
        this.out = AgentServiceGrpc.newStub(channel).connect(new StreamObserver<>() {
            @Override
            public void onNext(ServerMessage message) {
                inbox.add(message);
            }

            @Override
            public void onError(Throwable t) {
                closed.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                closed.complete(Status.OK);
            }
        });
    }

    /** Opens a stream without saying anything yet. */
    public static SimulatedAgent open(ManagedChannel channel, String id) {
        return new SimulatedAgent(channel, id);
    }

    /** Opens a stream, says Hello and waits for Welcome. */
    public static SimulatedAgent connect(ManagedChannel channel, String token, String id, int slots,
                                         Map<String, String> labels, RunningJob... running) {
        SimulatedAgent agent = open(channel, id);
        agent.send(AgentMessage.newBuilder().setHello(hello(token, id, slots, labels, running)).build());
        agent.welcome = agent.next(ServerMessage.MsgCase.WELCOME).getWelcome();
        return agent;
    }

    public static Hello hello(String token, String id, int slots, Map<String, String> labels, RunningJob... running) {
        return Hello.newBuilder().setToken(token).setAgentId(id).setName("sim-" + id).setVersion("test")
                    .setCapabilities(Capabilities.newBuilder().setSlots(slots).putAllLabels(labels))
                    .addAllRunningJobs(List.of(running)).build();
    }

    public String id() {
        return id;
    }

    public Welcome welcome() {
        return welcome;
    }

    /** Sends a message; after {@link #close} sending is a no-op, as for an agent that has gone. */
    public void send(AgentMessage message) {
        synchronized (out) {
            if (!halfClosed) {
                out.onNext(message);
            }
        }
    }

    /** The next server message, which must be of {@code kind}. */
    public ServerMessage next(ServerMessage.MsgCase kind) {
        ServerMessage message = poll(20);
        if (message == null) {
            throw new AssertionError(id + ": no " + kind + " within 20 s (stream closed: " + closed.getNow(null) + ")");
        }
        if (message.getMsgCase() != kind) {
            throw new AssertionError(id + ": expected " + kind + " but got " + message);
        }
        return message;
    }

    /** The next server message, or null after {@code seconds}. */
    public ServerMessage poll(long seconds) {
        try {
            return inbox.poll(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Messages received and not yet read. */
    public List<ServerMessage> drainInbox() {
        List<ServerMessage> messages = new java.util.ArrayList<>();
        inbox.drainTo(messages);
        return messages;
    }

    public Assign nextAssign() {
        return next(ServerMessage.MsgCase.ASSIGN).getAssign();
    }

    public void ack(Assign assign, boolean accepted) {
        send(AgentMessage.newBuilder().setAssignAck(AssignAck.newBuilder().setJobId(assign.getJobId())
                .setAttempt(assign.getAttempt()).setAccepted(accepted).setReason(accepted ? "" : "busy")).build());
    }

    public void update(String jobId, int attempt, Job.Status status) {
        send(AgentMessage.newBuilder().setJobUpdate(JobUpdate.newBuilder().setJobId(jobId).setAttempt(attempt)
                .setStatus(status)).build());
    }

    public void fail(String jobId, int attempt, String error, int exitCode) {
        send(AgentMessage.newBuilder().setJobUpdate(JobUpdate.newBuilder().setJobId(jobId).setAttempt(attempt)
                .setStatus(Job.Status.FAILED).setError(error).setExitCode(exitCode)).build());
    }

    /** Takes the next assignment: ack, then RUNNING. */
    public Assign acceptAndRun() {
        Assign assign = nextAssign();
        ack(assign, true);
        update(assign.getJobId(), assign.getAttempt(), Job.Status.RUNNING);
        return assign;
    }

    public void commandAck(String correlationId, boolean success, String error) {
        send(AgentMessage.newBuilder().setCommandAck(CommandAck.newBuilder().setCorrelationId(correlationId)
                .setSuccess(success).setError(error)).build());
    }

    public void heartbeat() {
        send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
    }

    public void goodbye() {
        send(AgentMessage.newBuilder().setGoodbye(Goodbye.newBuilder().setReason("test")).build());
    }

    /** How the server ended the stream (waits for it). */
    public Status awaitClosed() {
        try {
            return closed.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(id + ": stream not closed within 20 s", e);
        }
    }

    public boolean isClosed() {
        synchronized (out) {
            return closed.isDone() || halfClosed;
        }
    }

    /** Half-closes the stream, as an agent that exits cleanly would. */
    @Override
    public void close() {
        try {
            synchronized (out) {
                if (!halfClosed) {
                    halfClosed = true;
                    out.onCompleted();
                }
            }
        } catch (RuntimeException ignored) {
            // already closed by the server
        }
    }
}
