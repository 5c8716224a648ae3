package dev.baton.cli.e2e;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Value;

import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.AgentServiceGrpc;
import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.AssignAck;
import dev.baton.proto.v1.Capabilities;
import dev.baton.proto.v1.CommandAck;
import dev.baton.proto.v1.Endpoint;
import dev.baton.proto.v1.Goodbye;
import dev.baton.proto.v1.Hello;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobUpdate;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.Welcome;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;

/**
 * An agent speaking the real agent protocol over loopback: it accepts every Assign and reports RUNNING (or
 * FAILED when the job's config has {@code "fail": true}), confirms stops, and acknowledges mute and unmute.
 */
final class TestAgent implements AutoCloseable {

    static final String FAILURE = "encoder crashed (test agent)";

    private final ManagedChannel channel;
    private final String id;
    private final CompletableFuture<Welcome> welcome = new CompletableFuture<>();
    private StreamObserver<AgentMessage> toServer;

    private TestAgent(ManagedChannel channel, String id) {
        this.channel = channel;
        this.id = id;
    }

    static TestAgent connect(int port, String id, int slots, Map<String, String> labels) {
        return connect(port, id, slots, labels, List.of());
    }

    /** An agent that advertises {@code endpoints} in its Hello. */
    static TestAgent connect(int port, String id, int slots, Map<String, String> labels,
                             List<Endpoint> endpoints) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port,
                                                                  InsecureChannelCredentials.create()).build();
        TestAgent agent = new TestAgent(channel, id);
        agent.toServer = AgentServiceGrpc.newStub(channel).connect(agent.new FromServer());
        agent.send(AgentMessage.newBuilder().setHello(Hello.newBuilder()
                .setToken(EmbeddedBaton.AGENT_TOKEN)
                .setAgentId(id)
                .setName(id + " (test)")
                .setVersion("test-1")
                .setCapabilities(Capabilities.newBuilder().setSlots(slots).putAllLabels(labels)
                                         .addAllEndpoints(endpoints))).build());
        agent.welcome.orTimeout(10, TimeUnit.SECONDS).join();
        return agent;
    }

    String id() {
        return id;
    }

    // gRPC stream observers are not thread-safe; the test thread (Hello) and the callback thread both send.
    private synchronized void send(AgentMessage message) {
        toServer.onNext(message);
    }

    private void onAssign(Assign assign) {
        send(AgentMessage.newBuilder().setAssignAck(AssignAck.newBuilder()
                .setJobId(assign.getJobId()).setAttempt(assign.getAttempt()).setAccepted(true)).build());
        Value fail = assign.getConfig().getFieldsOrDefault("fail", Value.getDefaultInstance());
        JobUpdate.Builder update = JobUpdate.newBuilder().setJobId(assign.getJobId()).setAttempt(assign.getAttempt());
        if (fail.getBoolValue()) {
            update.setStatus(Job.Status.FAILED).setError(FAILURE).setExitCode(3);
        } else {
            update.setStatus(Job.Status.RUNNING);
        }
        send(AgentMessage.newBuilder().setJobUpdate(update).build());
    }

    /** Sends output lines of attempt 1 of a job it runs. */
    void log(String jobId, long sequence, dev.baton.proto.v1.LogStream stream, String... lines) {
        dev.baton.proto.v1.JobLog.Builder log = dev.baton.proto.v1.JobLog.newBuilder().setJobId(jobId).setAttempt(1)
                .setSequence(sequence).setStream(stream);
        for (String line : lines) {
            log.addLines(com.google.protobuf.ByteString.copyFromUtf8(line));
        }
        send(AgentMessage.newBuilder().setJobLog(log).build());
    }

    /** Reports attempt 1 of a job it runs as STOPPED (exit 0). */
    void finish(String jobId) {
        send(AgentMessage.newBuilder().setJobUpdate(JobUpdate.newBuilder()
                .setJobId(jobId).setAttempt(1).setStatus(Job.Status.STOPPED).setExitCode(0)).build());
    }

    private void onStop(String jobId, int attempt, String correlationId) {
        send(AgentMessage.newBuilder().setJobUpdate(JobUpdate.newBuilder()
                .setJobId(jobId).setAttempt(attempt).setStatus(Job.Status.STOPPED).setExitCode(0)).build());
        ack(correlationId);
    }

    private void ack(String correlationId) {
        if (!correlationId.isEmpty()) {
            send(AgentMessage.newBuilder().setCommandAck(CommandAck.newBuilder()
                    .setCorrelationId(correlationId).setSuccess(true)).build());
        }
    }

    @Override
    public void close() {
        try {
            send(AgentMessage.newBuilder().setGoodbye(Goodbye.newBuilder().setReason("test over")).build());
            synchronized (this) {
                toServer.onCompleted();
            }
        } catch (IllegalStateException alreadyClosed) {
            // the server ended the stream first
        }
        channel.shutdownNow();
    }

    private final class FromServer implements StreamObserver<ServerMessage> {
        @Override
        public void onNext(ServerMessage message) {
            switch (message.getMsgCase()) {
                case WELCOME -> welcome.complete(message.getWelcome());
                case ASSIGN -> onAssign(message.getAssign());
                case STOP -> onStop(message.getStop().getJobId(), message.getStop().getAttempt(),
                                    message.getStop().getCorrelationId());
                case KILL -> onStop(message.getKill().getJobId(), message.getKill().getAttempt(),
                                    message.getKill().getCorrelationId());
                case MUTE -> ack(message.getMute().getCorrelationId());
                case UNMUTE -> ack(message.getUnmute().getCorrelationId());
                default -> { }
            }
        }

        @Override
        public void onError(Throwable t) {
            welcome.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            welcome.completeExceptionally(new IllegalStateException("server ended the stream before Welcome"));
        }
    }
}
