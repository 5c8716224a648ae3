package dev.baton.server.engines;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.Durations;

import dev.baton.proto.v1.CreatePoolRequest;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.EngineServiceGrpc;
import dev.baton.proto.v1.FleetServiceGrpc;
import dev.baton.proto.v1.GetPoolRequest;
import dev.baton.proto.v1.JobRequirements;
import dev.baton.proto.v1.JobServiceGrpc;
import dev.baton.proto.v1.ListEnginesRequest;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.proto.v1.PoolStatus;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.server.BatonServer;
import dev.baton.server.config.BatonConfig;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/** A real Baton with short engine intervals, and gRPC stubs to it. */
final class EngineTestServer implements AutoCloseable {

    static final String TOKEN = "engine-test-token";

    final BatonServer baton;
    final ManagedChannel channel;
    final EngineServiceGrpc.EngineServiceBlockingStub engines;
    final JobServiceGrpc.JobServiceBlockingStub jobs;
    final FleetServiceGrpc.FleetServiceBlockingStub fleet;

    private EngineTestServer(BatonServer baton, ManagedChannel channel) {
        this.baton = baton;
        this.channel = channel;
        this.engines = EngineServiceGrpc.newBlockingStub(channel);
        this.jobs = JobServiceGrpc.newBlockingStub(channel);
        this.fleet = FleetServiceGrpc.newBlockingStub(channel);
    }

    static BatonConfig.Builder config(Path dataDir, int port) {
        return BatonConfig.builder().port(port).dataDir(dataDir).agentToken(TOKEN)
                          .monitorInterval(Duration.ofSeconds(1)).autoscaleInterval(Duration.ofSeconds(1))
                          .engineGracePeriod(Duration.ofSeconds(2)).heartbeatInterval(Duration.ofMillis(500))
                          .heartbeatTimeout(Duration.ofSeconds(5)).dockerHost(EngineDocker.HOST);
    }

    static EngineTestServer start(BatonConfig config, EngineDocker docker) {
        return startWith(config, EngineSettings.defaults(docker == null ? List.of() : docker.mountRoots()));
    }

    static EngineTestServer startWith(BatonConfig config, EngineSettings settings) {
        BatonServer baton = BatonServer.start(config, settings);
        return new EngineTestServer(baton, ManagedChannelBuilder.forAddress("127.0.0.1", baton.port()).usePlaintext()
                                                               .build());
    }

    /** A server whose config serves TLS; the test talks to it trusting {@code caFile}. */
    static EngineTestServer startTls(BatonConfig config, EngineDocker docker, Path caFile) throws java.io.IOException {
        BatonServer baton = BatonServer.start(config, EngineSettings.defaults(docker.mountRoots()));
        return new EngineTestServer(baton, io.grpc.Grpc.newChannelBuilder(
                "127.0.0.1:" + baton.port(),
                io.grpc.TlsChannelCredentials.newBuilder().trustManager(caFile.toFile()).build()).build());
    }

    Pool createPool(String name, PoolSpec spec) {
        return engines.createPool(CreatePoolRequest.newBuilder()
                                                   .setPool(Pool.newBuilder().setName(name).setSpec(spec)).build());
    }

    PoolStatus status(String pool) {
        return engines.getPool(GetPoolRequest.newBuilder().setName(pool).build()).getStatus();
    }

    List<Engine> engines(String pool) {
        return engines.listEngines(ListEnginesRequest.newBuilder().setPool(pool).build()).getEnginesList();
    }

    long count(String pool, Engine.State state) {
        return engines(pool).stream().filter(e -> e.getState() == state).count();
    }

    String submit(String pool) {
        Struct config = Struct.newBuilder().putFields("command", Value.newBuilder().setStringValue("sleep").build())
                              .build();
        return jobs.submitJob(SubmitJobRequest.newBuilder().setInlineConfig(config)
                                              .setRequirements(JobRequirements.newBuilder().setPool(pool))
                                              .setWaitTimeout(Durations.fromSeconds(120)).build())
                   .getJob().getId();
    }

    String instanceId() {
        return baton.engines().instanceId();
    }

    @Override
    public void close() {
        channel.shutdownNow();
        baton.close();
    }
}
