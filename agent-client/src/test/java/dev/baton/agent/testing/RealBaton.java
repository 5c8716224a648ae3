package dev.baton.agent.testing;

import dev.baton.agent.internal.Structs;
import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.FleetServiceGrpc;
import dev.baton.proto.v1.GetAgentRequest;
import dev.baton.proto.v1.GetJobRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobServiceGrpc;
import dev.baton.proto.v1.MuteJobRequest;
import dev.baton.proto.v1.StopJobRequest;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.server.BatonServer;
import dev.baton.server.config.BatonConfig;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real Baton server on loopback, on wall-clock time (the agents under test run on it too),
 * with the admin API a test needs. {@link #restart()} stops it and starts it again on the same
 * port and data directory, as an operator's restart would.
 */
public final class RealBaton implements AutoCloseable {

    public static final String TOKEN = "test-token";
    public static final Duration STOP_GRACE = Duration.ofSeconds(1);
    public static final Duration KILL_AFTER = Duration.ofSeconds(4);
    public static final Duration WAIT = Duration.ofSeconds(20);

    private final Path dataDir;
    private BatonServer server;
    private ManagedChannel admin;
    private int stoppedPort;

    private RealBaton(Path dataDir) {
        this.dataDir = dataDir;
        boot(0);
    }

    public static RealBaton start(Path dataDir) {
        return new RealBaton(dataDir);
    }

    private void boot(int port) {
        BatonConfig config = BatonConfig.builder().port(port).dataDir(dataDir).agentToken(TOKEN)
                .heartbeatInterval(Duration.ofMillis(500)).heartbeatTimeout(Duration.ofSeconds(5))
                .stopGrace(STOP_GRACE).killAfter(KILL_AFTER)
                .dockerEnabled(false).shutdownGrace(Duration.ZERO).build();
        server = BatonServer.start(config);
        admin = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    public int port() {
        return server.port();
    }

    public String target() {
        return "127.0.0.1:" + port();
    }

    /** Stops the server (agents see their streams end) and starts it again on the same port and store. */
    public void restart() throws InterruptedException {
        stopServer();
        startAgain();
    }

    /** Stops the server; {@link #startAgain()} brings it back on the same port and store. */
    public void stopServer() throws InterruptedException {
        stoppedPort = port();
        shutdown();
    }

    public void startAgain() {
        boot(stoppedPort);
    }

    public Job submit(Map<String, ?> config) {
        return jobs().submitJob(SubmitJobRequest.newBuilder().setInlineConfig(Structs.toStruct(config))
                                                .build()).getJob();
    }

    public Job job(String id) {
        return jobs().getJob(GetJobRequest.newBuilder().setId(id).build());
    }

    public Job stop(String id) {
        return jobs().stopJob(StopJobRequest.newBuilder().setId(id).build());
    }

    public Job mute(String id) {
        return jobs().muteJob(MuteJobRequest.newBuilder().setId(id).build());
    }

    public Agent agent(String id) {
        return FleetServiceGrpc.newBlockingStub(admin).withDeadlineAfter(10, TimeUnit.SECONDS)
                               .getAgent(GetAgentRequest.newBuilder().setId(id).build());
    }

    /** Polls the job until {@code condition} holds; fails with the job's last state. */
    public Job awaitJob(String id, String what, Predicate<Job> condition) {
        Job[] last = new Job[1];
        try {
            Await.until("job " + id + " " + what, WAIT, () -> condition.test(last[0] = job(id)));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen: " + last[0], e);
        }
        return last[0];
    }

    public Job awaitStatus(String id, Job.Status status) {
        return awaitJob(id, "to be " + status, job -> job.getStatus() == status);
    }

    /** Polls the agent record until {@code condition} holds. */
    public Agent awaitAgent(String id, String what, Predicate<Agent> condition) {
        Agent[] last = new Agent[1];
        try {
            Await.until("agent " + id + " " + what, WAIT, () -> {
                try {
                    return condition.test(last[0] = agent(id));
                } catch (StatusRuntimeException e) {
                    return false; // not registered yet
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen: " + last[0], e);
        }
        return last[0];
    }

    private JobServiceGrpc.JobServiceBlockingStub jobs() {
        return JobServiceGrpc.newBlockingStub(admin).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private void shutdown() throws InterruptedException {
        admin.shutdownNow();
        admin.awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    @Override
    public void close() throws InterruptedException {
        shutdown();
    }
}
