package dev.baton.server.engines;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

import dev.baton.proto.v1.Mount;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.server.testing.engine.EngineTestAgent;

/**
 * The real Docker engine for tests (started by .ci/docker.sh), a docker-java client for looking
 * behind Baton's back, and the pool spec whose containers run {@link EngineTestAgent} from the
 * host's JDK and the test classpath, both bind-mounted read-only.
 */
final class EngineDocker implements AutoCloseable {

    static final String HOST = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
    static final String IMAGE = "baton-test/engine:1";

    final DockerClient client;
    private final List<Path> mountSources;

    private EngineDocker() {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                                                                    .withDockerHost(HOST).build();
        this.client = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).responseTimeout(Duration.ofSeconds(60)).build());
        this.mountSources = agentMountSources();
    }

    /**
     * Connects, or fails with a clear message; with BATON_SKIP_DOCKER=1 the test class is skipped instead.
     */
    static EngineDocker require() {
        boolean skip = "1".equals(System.getenv("BATON_SKIP_DOCKER"));
        EngineDocker docker = new EngineDocker();
        try {
            docker.client.pingCmd().exec();
            docker.client.inspectImageCmd(IMAGE).exec();
        } catch (RuntimeException e) {
            docker.close();
            String why = "Docker is not usable at " + HOST + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                         + "); run `bash .ci/docker.sh` (starts dockerd, imports " + IMAGE + ")";
            if (skip) {
                Assumptions.abort("skipped (BATON_SKIP_DOCKER=1): " + why);
            }
            fail(why + ", or set BATON_SKIP_DOCKER=1 to skip the Docker tests");
        }
        return docker;
    }

    /** Host directories the engine agent needs mounted: also the server's mount allow-list. */
    List<Path> mountRoots() {
        return mountSources;
    }

    /** A spec whose engines run the test agent. */
    PoolSpec.Builder agentSpec() {
        Path java = Path.of(System.getProperty("java.home")).resolve("bin/java");
        PoolSpec.Builder spec = PoolSpec.newBuilder().setImage(IMAGE)
                .addAllCommand(List.of(java.toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx96m",
                                       "-Xss512k", "-XX:CICompilerCount=2", "-cp", System.getProperty("java.class.path"),
                                       EngineTestAgent.class.getName()))
                .setSlots(1);
        for (Path source : mountSources) {
            spec.addMounts(Mount.newBuilder().setSource(source.toString()).setTarget(source.toString())
                                .setReadOnly(true));
        }
        return spec;
    }

    /** The JDK, the directories its absolute symlinks lead to (Debian: /etc/java-17-openjdk), the classpath. */
    private static List<Path> agentMountSources() {
        TreeSet<Path> sources = new TreeSet<>();
        Path javaHome = Path.of(System.getProperty("java.home")).toAbsolutePath().normalize();
        sources.add(javaHome);
        try (Stream<Path> files = Files.walk(javaHome)) {
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
            throw new IllegalStateException("cannot list " + javaHome, e);
        }
        Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository").toAbsolutePath().normalize();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath().normalize();
            sources.add(path.startsWith(m2) ? m2 : path);
        }
        // Keep only the outermost directories.
        List<Path> outermost = new ArrayList<>();
        for (Path p : sources) {
            if (outermost.stream().noneMatch(p::startsWith) && Files.exists(p)) {
                outermost.add(p);
            }
        }
        return outermost;
    }

    /** Containers labelled as managed by {@code instanceId}. */
    List<Container> managed(String instanceId) {
        return client.listContainersCmd().withShowAll(true)
                     .withLabelFilter(Map.of(EngineLabels.MANAGED_BY, instanceId)).exec();
    }

    /** Removes every container of {@code instanceId} (the test's own engines). */
    void removeAll(String instanceId) {
        for (Container c : managed(instanceId)) {
            try {
                client.removeContainerCmd(c.getId()).withForce(true).exec();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toSeconds() + "s waiting for: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for: " + what);
            }
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException ignored) {
            // closing a socket
        }
    }
}
