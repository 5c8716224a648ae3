package dev.baton.server.engines;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

import dev.baton.server.testing.Eventually;

/**
 * A second real Docker daemon, started by the test as a child process with its own socket, data and
 * exec roots (no bridge, no iptables, like .ci/docker.sh's), loaded with the test image from the main
 * daemon. It can be stopped (SIGTERM) and started again on the same directories. Without live-restore
 * its containers stop with it; with {@code --live-restore} they keep running while it is away (a host
 * whose Docker API is gone but whose engines are not) and it finds them running when it returns. Only
 * this process is ever stopped; its mounts and directory are removed at the end.
 */
final class ExtraDockerDaemon implements AutoCloseable {

    private final Path dir;
    private final List<String> flags;
    final String endpoint;
    final DockerClient client;
    private Process process;

    private ExtraDockerDaemon(Path dir, List<String> flags) {
        this.dir = dir;
        this.flags = List.copyOf(flags);
        this.endpoint = "unix://" + dir.resolve("d.sock");
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                                                                    .withDockerHost(endpoint).build();
        this.client = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).connectionTimeout(Duration.ofSeconds(2))
                .responseTimeout(Duration.ofSeconds(60)).build());
    }

    /**
     * Starts a daemon under a short directory of /var/tmp (containerd's socket path must stay under
     * about 100 characters) and loads {@code image} into it from {@code main}.
     */
    static ExtraDockerDaemon start(EngineDocker main, String image, String... flags) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "bdk-");
        ExtraDockerDaemon daemon = new ExtraDockerDaemon(dir, List.of(flags));
        daemon.startProcess();
        try (InputStream saved = main.client.saveImageCmd(image).exec()) {
            daemon.client.loadImageCmd(saved).exec();
        }
        return daemon;
    }

    /** Starts dockerd on the same directories and waits until it answers. */
    void startProcess() throws IOException {
        List<String> command = new ArrayList<>(List.of(
                dockerd(), "--host", endpoint, "--data-root", dir.resolve("data").toString(), "--exec-root",
                dir.resolve("x").toString(), "--pidfile", dir.resolve("d.pid").toString(), "--bridge=none",
                "--iptables=false", "--ip-masq=false"));
        command.addAll(flags);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                                             .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("log").toFile()))
                                             .start();
        Eventually.await("dockerd at " + endpoint + " answers (log: " + dir.resolve("log") + ")",
                         Duration.ofSeconds(60), this::answers);
    }

    boolean answers() {
        if (process != null && !process.isAlive()) {
            throw new AssertionError("dockerd at " + endpoint + " exited with " + process.exitValue() + "; see "
                                     + dir.resolve("log"));
        }
        try {
            client.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** SIGTERM to this dockerd only, then waits for it to exit (it stops its containers first). */
    void stopProcess() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGKILL to this dockerd only (a crash): its containers keep running under their shims until it restarts. */
    void killProcess() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Ends a test that used {@code daemon}: stops the server, then the daemon (removing what it holds),
     * then removes the server's engines from the main daemon. Any of them may be null (a failed start).
     */
    static void closeAll(EngineTestServer server, ExtraDockerDaemon daemon, EngineDocker main) throws Exception {
        String instance = server == null ? null : server.instanceId();
        if (server != null) {
            server.close();
        }
        if (daemon != null) {
            daemon.close();
        }
        if (main != null) {
            if (instance != null) {
                main.removeAll(instance);
            }
            main.close();
        }
    }

    private static String dockerd() {
        for (String candidate : List.of("/usr/sbin/dockerd", "/usr/bin/dockerd", "/usr/local/bin/dockerd")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "dockerd";
    }

    @Override
    public void close() throws Exception {
        try {
            if (answers()) {
                client.listContainersCmd().withShowAll(true).exec()
                      .forEach(c -> client.removeContainerCmd(c.getId()).withForce(true).exec());
            }
        } catch (RuntimeException | AssertionError ignored) {
            // the daemon is gone already
        }
        client.close();
        stopProcess();
        // dockerd leaves its own mounts (the data root, the default netns) behind when it exits.
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] fields = line.split(" ");
            if (fields.length > 1 && fields[1].startsWith(dir.toString())) {
                mounts.add(fields[1]);
            }
        }
        mounts.sort(Comparator.reverseOrder());
        for (String mount : mounts) {
            new ProcessBuilder("umount", "-l", mount).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
        new ProcessBuilder("rm", "-rf", dir.toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
    }
}
