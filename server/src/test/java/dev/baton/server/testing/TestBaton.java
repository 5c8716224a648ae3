package dev.baton.server.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import dev.baton.proto.v1.FleetServiceGrpc;
import dev.baton.proto.v1.GetJobRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobServiceGrpc;
import dev.baton.proto.v1.TemplateServiceGrpc;
import dev.baton.proto.v1.RunningJob;
import dev.baton.server.BatonServer;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.time.VirtualTimeSource;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/**
 * A real Baton server on an ephemeral port whose timers run in virtual time, with a gRPC channel
 * to it. Tests talk to it over the wire and move time with {@link #advance}.
 */
public final class TestBaton implements AutoCloseable {

    public static final String TOKEN = "test-agent-token";

    private final VirtualTimeSource time;
    private final Path dataDir;
    private final BatonServer server;
    private final ManagedChannel channel;

    private TestBaton(BatonConfig config, VirtualTimeSource time, Path dataDir,
                      java.util.function.Function<BatonConfig, dev.baton.server.store.BatonStore> store) {
        this.time = time;
        this.dataDir = dataDir;
        this.server = BatonServer.start(config, time, store);
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    /** A server with test defaults (heartbeat timeout 10 s, ack timeout 5 s, lost-after 60 s, engines off, no admin rate limit). */
    public static TestBaton start() {
        return start(b -> { });
    }

    public static TestBaton start(Consumer<BatonConfig.Builder> customize) {
        try {
            return start(Files.createTempDirectory("baton-test"), customize, new VirtualTimeSource());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A server on {@code dataDir} (to restart on the same store). */
    public static TestBaton start(Path dataDir, Consumer<BatonConfig.Builder> customize, VirtualTimeSource time) {
        return start(dataDir, customize, time, c -> new dev.baton.server.store.SqliteStore(c.dataDir()));
    }

    /** A server on a store of the test's making (e.g. one that fails on demand). */
    public static TestBaton start(Path dataDir, Consumer<BatonConfig.Builder> customize, VirtualTimeSource time,
                                  java.util.function.Function<BatonConfig, dev.baton.server.store.BatonStore> store) {
        BatonConfig.Builder builder = BatonConfig.builder().port(0).dataDir(dataDir).agentToken(TOKEN)
                                                 .dockerEnabled(false).shutdownGrace(Duration.ZERO)
                                                 // Virtual time never refills a rate bucket on its own, and tests
                                                 // poll: only the rate-limit tests turn the limit on.
                                                 .adminRateLimitPerSecond(0);
        customize.accept(builder);
        return new TestBaton(builder.build(), time, dataDir, store);
    }

    public BatonServer server() {
        return server;
    }

    public Path dataDir() {
        return dataDir;
    }

    public VirtualTimeSource time() {
        return time;
    }

    public int port() {
        return server.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public ManagedChannel channel() {
        return channel;
    }

    public JobServiceGrpc.JobServiceBlockingStub jobs() {
        return JobServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    public FleetServiceGrpc.FleetServiceBlockingStub fleet() {
        return FleetServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    public TemplateServiceGrpc.TemplateServiceBlockingStub templates() {
        return TemplateServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    /** Moves virtual time forward and waits until the control loop has handled what fell due. */
    public void advance(Duration duration) {
        time.advance(duration);
        server.controlPlane().loop().sync();
    }

    /**
     * Moves virtual time forward in heartbeat-sized steps, each agent heartbeating (and the server
     * seeing it) before every step, so that only the agents left out go silent.
     */
    public void advanceKeepingAlive(Duration duration, SimulatedAgent... agents) {
        Duration step = Duration.ofSeconds(2);
        for (Duration left = duration; !left.isNegative() && !left.isZero(); left = left.minus(step)) {
            for (SimulatedAgent agent : agents) {
                agent.heartbeat();
            }
            for (SimulatedAgent agent : agents) {
                long now = time.now().toEpochMilli();
                Eventually.await("heartbeat of " + agent.id() + " seen", () -> com.google.protobuf.util.Timestamps
                        .toMillis(fleet().getAgent(dev.baton.proto.v1.GetAgentRequest.newBuilder().setId(agent.id())
                                                           .build()).getLastSeenAt()) == now);
            }
            advance(left.compareTo(step) < 0 ? left : step);
        }
    }

    /** Waits until everything queued on the control loop so far has run. */
    public void sync() {
        server.controlPlane().loop().sync();
    }

    public SimulatedAgent agent(String id, int slots) {
        return SimulatedAgent.connect(channel, TOKEN, id, slots, Map.of());
    }

    public SimulatedAgent agent(String id, int slots, Map<String, String> labels, RunningJob... running) {
        return SimulatedAgent.connect(channel, TOKEN, id, slots, labels, running);
    }

    public Job job(String id) {
        return jobs().getJob(GetJobRequest.newBuilder().setId(id).build());
    }

    /** Waits until job {@code id} satisfies {@code condition}. */
    public Job awaitJob(String id, String what, Predicate<Job> condition) {
        return Eventually.await("job " + id + " " + what, () -> job(id), condition);
    }

    public Job awaitStatus(String id, Job.Status status) {
        return awaitJob(id, "is " + status, j -> j.getStatus() == status);
    }

    @Override
    public void close() {
        // The server first stops reacting to agents leaving: otherwise the test's own channel closing
        // first looks like every agent's stream breaking, and that would be recorded as agent loss.
        server.controlPlane().beginShutdown();
        channel.shutdownNow();
        server.close();
    }
}
