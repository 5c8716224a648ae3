package dev.baton.server.testing.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.util.Durations;

import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.AgentServiceGrpc;
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
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;

/**
 * The agent that runs inside engine containers in tests: dials BATON_SERVER, says Hello with
 * BATON_TOKEN / BATON_AGENT_ID / BATON_ENGINE_ID / BATON_LABELS / BATON_SLOTS, heartbeats at the
 * Welcome interval, accepts every Assign (AssignAck, then RUNNING) and reports STOPPED on Stop or
 * Kill. It reconnects (keeping its jobs) when the stream breaks, e.g. across a Baton restart.
 * Started as {@code java -cp <test classpath> dev.baton.server.testing.engine.EngineTestAgent}.
 */
public final class EngineTestAgent {

    private final String server = env("BATON_SERVER", "127.0.0.1:8080");
    private final String token = env("BATON_TOKEN", "");
    private final String engineId = env("BATON_ENGINE_ID", "");
    private final String agentId = env("BATON_AGENT_ID", engineId);
    private final int slots = Integer.parseInt(env("BATON_SLOTS", "1"));
    private final Map<String, String> labels = parseLabels(env("BATON_LABELS", ""));
    /** job id → attempt of the jobs it runs. */
    private final Map<String, Integer> jobs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agent-timer");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile StreamObserver<AgentMessage> out;
    private volatile ScheduledFuture<?> heartbeats;

    public static void main(String[] args) throws InterruptedException {
        EngineTestAgent agent = new EngineTestAgent();
        ManagedChannel channel = channel(agent.server, System.getenv("BATON_CA_FILE"), System.getenv("BATON_CLIENT_CERT"),
                                         System.getenv("BATON_CLIENT_KEY"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.goodbye("container stopping");
            agent.stopped.countDown();
            channel.shutdownNow();
        }));
        log("starting agent=" + agent.agentId + " engine=" + agent.engineId + " server=" + agent.server);
        agent.connect(channel);
        agent.stopped.await();
    }

    /**
     * Plaintext, or TLS trusting {@code caFile} (BATON_CA_FILE, set by Baton when it serves TLS), presenting
     * {@code certFile} and {@code keyFile} when set (BATON_CLIENT_CERT / BATON_CLIENT_KEY), as the reference agent does.
     */
    private static ManagedChannel channel(String server, String caFile, String certFile, String keyFile) {
        if (caFile == null || caFile.isEmpty()) {
            return ManagedChannelBuilder.forTarget(server).usePlaintext().build();
        }
        try {
            io.grpc.TlsChannelCredentials.Builder tls = io.grpc.TlsChannelCredentials.newBuilder()
                                                                               .trustManager(new java.io.File(caFile));
            if (certFile != null && !certFile.isEmpty()) {
                tls.keyManager(new java.io.File(certFile), new java.io.File(keyFile));
            }
            return io.grpc.Grpc.newChannelBuilder(server, tls.build()).build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the TLS files " + caFile + ", " + certFile, e);
        }
    }

    private void connect(ManagedChannel channel) {
        StreamObserver<ServerMessage> in = new StreamObserver<>() {
            @Override
            public void onNext(ServerMessage message) {
                handle(message);
            }

            @Override
            public void onError(Throwable t) {
                reconnectLater(channel, "stream error: " + t.getMessage());
            }

            @Override
            public void onCompleted() {
                reconnectLater(channel, "stream completed");
            }
        };
        StreamObserver<AgentMessage> stream = AgentServiceGrpc.newStub(channel).connect(in);
        out = stream;
        Hello.Builder hello = Hello.newBuilder().setToken(token).setAgentId(agentId).setName(agentId)
                                   .setVersion("engine-test-agent").setEngineId(engineId)
                                   .setCapabilities(Capabilities.newBuilder().setSlots(slots).putAllLabels(labels));
        jobs.forEach((id, attempt) -> hello.addRunningJobs(
                RunningJob.newBuilder().setJobId(id).setAttempt(attempt).setStatus(Job.Status.RUNNING)));
        send(AgentMessage.newBuilder().setHello(hello).build());
    }

    private void reconnectLater(ManagedChannel channel, String why) {
        log("disconnected: " + why);
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        if (stopped.getCount() == 0) {
            return;
        }
        timer.schedule(() -> connect(channel), 500, TimeUnit.MILLISECONDS);
    }

    private void handle(ServerMessage message) {
        switch (message.getMsgCase()) {
            case WELCOME -> {
                long interval = Math.max(100, Durations.toMillis(message.getWelcome().getHeartbeatInterval()));
                message.getWelcome().getRejectedJobIdsList().forEach(jobs::remove);
                if (heartbeats != null) {
                    heartbeats.cancel(false);
                }
                heartbeats = timer.scheduleAtFixedRate(
                        () -> send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build()),
                        interval, interval, TimeUnit.MILLISECONDS);
                log("welcome session=" + message.getWelcome().getSessionId());
            }
            case ASSIGN -> {
                String job = message.getAssign().getJobId();
                int attempt = message.getAssign().getAttempt();
                jobs.put(job, attempt);
                send(AgentMessage.newBuilder().setAssignAck(
                        AssignAck.newBuilder().setJobId(job).setAttempt(attempt).setAccepted(true)).build());
                update(job, attempt, Job.Status.RUNNING);
            }
            case STOP -> {
                var stop = message.getStop();
                stopJob(stop.getJobId(), stop.getAttempt(), stop.getCorrelationId());
            }
            case KILL -> {
                var kill = message.getKill();
                stopJob(kill.getJobId(), kill.getAttempt(), kill.getCorrelationId());
            }
            default -> { }
        }
    }

    private void stopJob(String job, int attempt, String correlationId) {
        if (!correlationId.isEmpty()) {
            send(AgentMessage.newBuilder().setCommandAck(
                    CommandAck.newBuilder().setCorrelationId(correlationId).setSuccess(true)).build());
        }
        if (jobs.remove(job) != null) {
            update(job, attempt, Job.Status.STOPPED);
        }
    }

    private void update(String job, int attempt, Job.Status status) {
        send(AgentMessage.newBuilder().setJobUpdate(
                JobUpdate.newBuilder().setJobId(job).setAttempt(attempt).setStatus(status)).build());
    }

    private void goodbye(String reason) {
        send(AgentMessage.newBuilder().setGoodbye(Goodbye.newBuilder().setReason(reason)).build());
        StreamObserver<AgentMessage> current = out;
        if (current != null) {
            try {
                current.onCompleted();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }

    private synchronized void send(AgentMessage message) {
        StreamObserver<AgentMessage> current = out;
        if (current == null) {
            return;
        }
        try {
            current.onNext(message);
        } catch (RuntimeException e) {
            log("send failed: " + e.getMessage());
        }
    }

    static Map<String, String> parseLabels(String value) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                result.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        return result;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static void log(String line) {
        System.out.println("engine-test-agent: " + line);
    }
}
