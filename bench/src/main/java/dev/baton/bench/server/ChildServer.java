package dev.baton.bench.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The server as its own process: {@code java [jvm args] -jar baton-server.jar --port P --data-dir D}. */
final class ChildServer implements ServerTarget {

    private final Process process;
    private final int port;
    private final Duration startToHealthy;
    private final Duration startToReady;

    private ChildServer(Process process, int port, Duration startToHealthy, Duration startToReady) {
        this.process = process;
        this.port = port;
        this.startToHealthy = startToHealthy;
        this.startToReady = startToReady;
    }

    static ChildServer start(ServerSpec spec) {
        if (!Files.isRegularFile(spec.jar())) {
            throw new IllegalStateException("server jar " + spec.jar().toAbsolutePath() + " not found: build it with "
                                            + "./mvnw -q -pl proto,server package -DskipTests");
        }
        int port = spec.port() == 0 ? Ports.free() : spec.port();
        List<String> command = new ArrayList<>();
        if (spec.launcher() == null) {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(spec.jvmArgs());
            command.addAll(List.of("-jar", spec.jar().toString()));
        } else {
            command.add(spec.launcher().toString());
        }
        command.addAll(List.of("--port", Integer.toString(port), "--data-dir", spec.dataDir().toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (spec.launcher() != null) {
            builder.environment().put("BATON_SERVER_JAR", spec.jar().toAbsolutePath().toString());
            builder.environment().put("JAVA_OPTS", String.join(" ", spec.jvmArgs()));
        }
        builder.environment().put("AGENT_TOKEN", TOKEN);
        builder.environment().put("ENGINES_ENABLED", "false");
        // The load generator is one anonymous loopback caller: the per-token admin rate limit would
        // measure the policy, not the server. A scenario may still set it.
        builder.environment().put("ADMIN_RATE_LIMIT_RPS", "0");
        builder.environment().putAll(spec.settings());
        try {
            Files.createDirectories(spec.logFile().toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
        long spawned = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        Health.Readiness ready = Health.await(port, Duration.ofSeconds(120), process::isAlive);
        if (!ready.serving()) {
            process.destroyForcibly();
            throw new IllegalStateException("server did not become ready on port " + port + "; see " + spec.logFile());
        }
        return new ChildServer(process, port, Duration.ofNanos(ready.healthyAt() - spawned),
                               Duration.ofNanos(ready.servingAt() - spawned));
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean separateProcess() {
        return true;
    }

    @Override
    public Duration startToHealthy() {
        return startToHealthy;
    }

    @Override
    public Duration startToReady() {
        return startToReady;
    }

    @Override
    public void kill() {
        process.destroyForcibly();
        waitFor(10);
    }

    @Override
    public void close() {
        process.destroy();
        if (!waitFor(30)) {
            process.destroyForcibly();
            waitFor(10);
        }
    }

    private boolean waitFor(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
