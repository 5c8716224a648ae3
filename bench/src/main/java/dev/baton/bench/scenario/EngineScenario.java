package dev.baton.bench.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import com.google.protobuf.util.Durations;

import dev.baton.bench.Main;
import dev.baton.bench.harness.Report;
import dev.baton.bench.harness.Samples;
import dev.baton.bench.load.Channels;
import dev.baton.bench.server.ServerSpec;
import dev.baton.bench.server.ServerTarget;
import dev.baton.proto.v1.CreatePoolRequest;
import dev.baton.proto.v1.DeletePoolRequest;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.EngineServiceGrpc;
import dev.baton.proto.v1.ListEnginesRequest;
import dev.baton.proto.v1.Mount;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.proto.v1.ScalePoolRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scenario 7, engines: how long a pool takes from a min-free deficit to a FREE engine (container
 * created and started by Baton, the reference agent inside connected), as a ratio of a raw
 * {@code docker create} + {@code start} of the same image, command and mounts, measured in the same
 * run and alternating with it so that the machine's noise hits both alike.
 */
@Command(name = "engines", mixinStandardHelpOptions = true,
         description = "Scenario 7: min-free deficit → FREE engine, as a ratio of raw docker create + start.")
public final class EngineScenario implements Callable<Integer> {

    private static final String POOL = "bench-engines";

    @Mixin
    Common common;

    @Option(names = "--samples", defaultValue = "5", description = "deficits (and raw starts) per run")
    int samples;

    @Option(names = "--image", defaultValue = "baton-test/engine:1", description = "engine image (must exist locally)")
    String image;

    @Option(names = "--agent-jar", defaultValue = "agent-client/target/baton-agent.jar",
            description = "the reference agent the engines run, from the host's JDK (both mounted read-only)")
    Path agentJar;

    @Option(names = "--docker-host", defaultValue = "unix:///var/run/docker.sock")
    String dockerHost;

    @Override
    public Integer call() throws Exception {
        Path jar = agentJar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("agent jar " + jar + " not found: build it with "
                                            + "./mvnw -q -pl agent-client -am package -DskipTests");
        }
        Report report = new Report("Engines", Main.commandLine());
        report.metric("deficit → FREE p50", "ms", null);
        report.metric("deficit → FREE p90", "ms", null);
        report.metric("deficit → FREE max", "ms", null);
        report.metric("deficit → container seen p50", "ms", null);
        report.metric("raw create + start p50", "ms", null);
        report.metric("raw create + start p90", "ms", null);
        report.metric("deficit → FREE / raw create + start (p50)", "ratio", null);
        boolean ok = true;
        try (DockerClient docker = docker()) {
            docker.inspectImageCmd(image).exec();
            for (int run = 1; run <= common.runs; run++) {
                Common.log("engines run %d of %d", run, common.runs);
                ok &= runOnce(run, report, docker, jar);
                report.endRun();
            }
        }
        report.note("Each sample raises the pool's min_free by one (ScalePool) and polls ListEngines every 10 ms until "
                    + "an engine more is FREE: that includes Baton's reaction, docker create + start, the JVM of the "
                    + "reference agent starting inside the container, its Hello and the engine turning FREE. The raw "
                    + "side times docker-java's create + start calls of a container with the same image, command, "
                    + "mounts and host network (it does not wait for the JVM inside). Samples alternate raw, pool.");
        report.note("Engines run `java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx96m -jar baton-agent.jar` from the "
                    + "host's JDK, bind-mounted read-only with the agent jar. Server: " + common.describeServer()
                    + " with ENGINES_ENABLED=true.");
        return common.finish(report, ok);
    }

    private boolean runOnce(int run, Report report, DockerClient docker, Path jar) {
        List<Path> mounts = mountSources(jar);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                       "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx96m", "-jar", jar.toString());
        ServerSpec spec = common.server("engines", run).withSetting("ENGINES_ENABLED", "true")
                                .withSetting("DOCKER_HOST", dockerHost)
                                .withSetting("ENGINE_MOUNT_ROOTS", String.join(":", mounts.stream().map(Path::toString)
                                                                                          .toList()));
        Samples toFree = new Samples();
        Samples toSeen = new Samples();
        Samples raw = new Samples();
        try (ServerTarget server = spec.start(); Channels channels = Channels.open(server.port(), 1, 1, "engines")) {
            EngineServiceGrpc.EngineServiceBlockingStub engines = EngineServiceGrpc.newBlockingStub(channels.get(0));
            PoolSpec.Builder pool = PoolSpec.newBuilder().setImage(image).addAllCommand(command).setSlots(1)
                                            .setMinFree(0).setMaxEngines(samples + 1)
                                            .setGracePeriod(Durations.fromSeconds(600));
            for (Path source : mounts) {
                pool.addMounts(Mount.newBuilder().setSource(source.toString()).setTarget(source.toString())
                                    .setReadOnly(true));
            }
            engines.createPool(CreatePoolRequest.newBuilder()
                                                .setPool(Pool.newBuilder().setName(POOL).setSpec(pool)).build());
            for (int i = 1; i <= samples; i++) {
                long rawNanos = rawCreateAndStart(docker, command, mounts);
                raw.add(rawNanos);
                long[] times = deficitToFree(engines, i);
                toSeen.add(times[0]);
                toFree.add(times[1]);
                Common.log("sample %d: raw create+start %.0f ms, deficit → container %.0f ms, → FREE %.0f ms", i,
                           rawNanos / 1e6, times[0] / 1e6, times[1] / 1e6);
            }
            engines.deletePool(DeletePoolRequest.newBuilder().setName(POOL).build());
        } finally {
            removeLeftovers(docker);
        }
        report.record("deficit → FREE p50", toFree.percentileMillis(50));
        report.record("deficit → FREE p90", toFree.percentileMillis(90));
        report.record("deficit → FREE max", toFree.maxMillis());
        report.record("deficit → container seen p50", toSeen.percentileMillis(50));
        report.record("raw create + start p50", raw.percentileMillis(50));
        report.record("raw create + start p90", raw.percentileMillis(90));
        report.record("deficit → FREE / raw create + start (p50)", toFree.percentileMillis(50) / raw.percentileMillis(50));
        return toFree.count() == samples;
    }

    /** Raises min_free to {@code minFree}; returns nanos until a new engine was listed and until it was FREE. */
    private static long[] deficitToFree(EngineServiceGrpc.EngineServiceBlockingStub engines, int minFree) {
        int before = engines(engines).size();
        long start = System.nanoTime();
        engines.scalePool(ScalePoolRequest.newBuilder().setName(POOL).setMinFree(minFree).build());
        long seen = -1;
        long deadline = start + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            List<Engine> now = engines(engines);
            long elapsed = System.nanoTime() - start;
            if (seen < 0 && now.size() > before) {
                seen = elapsed;
            }
            if (now.stream().filter(e -> e.getState() == Engine.State.FREE).count() >= minFree) {
                return new long[] {seen < 0 ? elapsed : seen, elapsed};
            }
            if (now.stream().anyMatch(e -> e.getState() == Engine.State.FAILED)) {
                throw new IllegalStateException("an engine FAILED: " + now);
            }
            Common.sleepMillis(10);
        }
        throw new IllegalStateException("no FREE engine within 180 s of raising min_free to " + minFree);
    }

    private static List<Engine> engines(EngineServiceGrpc.EngineServiceBlockingStub engines) {
        return engines.listEngines(ListEnginesRequest.newBuilder().setPool(POOL).build()).getEnginesList();
    }

    /** Nanos of docker create + start of the engine's container, done by hand; the container is then removed. */
    private long rawCreateAndStart(DockerClient docker, List<String> command, List<Path> mounts) {
        List<Bind> binds = new ArrayList<>();
        for (Path source : mounts) {
            binds.add(Bind.parse(source + ":" + source + ":ro"));
        }
        long start = System.nanoTime();
        String id = docker.createContainerCmd(image).withCmd(command)
                          .withName("baton-bench-raw-" + System.nanoTime())
                          .withLabels(Map.of("baton.bench", "raw"))
                          .withHostConfig(HostConfig.newHostConfig().withNetworkMode("host").withInit(true)
                                                    .withBinds(binds))
                          .exec().getId();
        docker.startContainerCmd(id).exec();
        long elapsed = System.nanoTime() - start;
        docker.removeContainerCmd(id).withForce(true).exec();
        return elapsed;
    }

    /** Raw containers of an interrupted run (the pool's own engines go with DeletePool or the server's labels). */
    private static void removeLeftovers(DockerClient docker) {
        docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("baton.bench", "raw")).exec()
              .forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
        docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("baton.pool", POOL)).exec()
              .forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
    }

    private DockerClient docker() {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                                                                    .withDockerHost(dockerHost).build();
        return DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).responseTimeout(Duration.ofSeconds(60)).build());
    }

    /** The JDK, the directories its absolute symlinks lead to (Debian: /etc/java-17-openjdk), the agent jar's. */
    private static List<Path> mountSources(Path jar) {
        java.util.TreeSet<Path> sources = new java.util.TreeSet<>();
        Path javaHome = Path.of(System.getProperty("java.home")).toAbsolutePath().normalize();
        sources.add(javaHome);
        sources.add(jar.getParent());
        try (var files = Files.walk(javaHome)) {
            files.filter(Files::isSymbolicLink).forEach(link -> {
                try {
                    Path target = Files.readSymbolicLink(link);
                    if (target.isAbsolute() && !target.startsWith(javaHome)) {
                        sources.add(target.getParent());
                    }
                } catch (IOException ignored) {
                    // unreadable link: the JVM does not need it either
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<Path> outermost = new ArrayList<>();
        for (Path p : sources) {
            if (outermost.stream().noneMatch(p::startsWith) && Files.exists(p)) {
                outermost.add(p);
            }
        }
        return outermost;
    }
}
