package dev.baton.bench.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.baton.bench.harness.Report;
import dev.baton.bench.server.ServerProbe;
import dev.baton.bench.server.ServerSpec;
import dev.baton.proto.v1.ServerStatus;
import picocli.CommandLine.Option;

/** Options every scenario takes: runs, the server to start, where the result goes. */
public final class Common {

    @Option(names = "--runs", defaultValue = "3", description = "measured runs (the result is their median; default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--server-jar", defaultValue = "server/target/baton-server.jar",
            description = "the server to start as a child process (default ${DEFAULT-VALUE})")
    Path serverJar;

    @Option(names = "--server-launcher", defaultValue = "server/bin/baton-server",
            description = "how a child server is started: the documented launcher (class-data archive included), "
                          + "or `java` for plain java -jar (default ${DEFAULT-VALUE})")
    String serverLauncher;

    @Option(names = "--server-jvm-args", defaultValue = "",
            description = "JVM options of the child server, space-separated (default: none, as a user would run it)")
    String serverJvmArgs;

    @Option(names = "--in-process", description = "run the server in this JVM (smoke tests; CPU and RSS are then shared)")
    boolean inProcess;

    @Option(names = "--setting", description = "server setting as ENV=VALUE, e.g. HEARTBEAT_INTERVAL_MS=3000 (repeatable)")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--out", defaultValue = "bench/results", description = "where the result file goes (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--work-dir", defaultValue = "bench/target/work",
            description = "data directories and server logs (default ${DEFAULT-VALUE})")
    Path workDir;

    /** The server for run {@code run} of {@code scenario}: a fresh data directory each time. */
    ServerSpec server(String scenario, int run) {
        try {
            Path dir = workDir.resolve(scenario + "-" + System.currentTimeMillis() + "-run" + run);
            Files.createDirectories(dir);
            List<String> jvm = serverJvmArgs.isBlank() ? List.of() : Arrays.asList(serverJvmArgs.trim().split("\\s+"));
            return new ServerSpec(inProcess, launcher(), serverJar, jvm, dir.resolve("data"), 0, settings, dir.resolve("server.log"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path launcher() {
        return serverLauncher.equals("java") ? null : Path.of(serverLauncher);
    }

    /** What server the scenario starts, for the result's notes. */
    String describeServer() {
        List<String> jvm = serverJvmArgs.isBlank() ? List.of() : Arrays.asList(serverJvmArgs.trim().split("\\s+"));
        return new ServerSpec(inProcess, launcher(), serverJar, jvm, workDir, 0, settings, workDir.resolve("server.log")).describe();
    }

    /** Prints the report and writes it under --out. */
    int finish(Report report, boolean ok) {
        System.out.println();
        System.out.println(report.toMarkdown());
        Path file = report.write(out);
        System.out.println("result written to " + file);
        return ok ? 0 : 1;
    }

    static void log(String format, Object... args) {
        System.out.printf("[%tT] %s%n", System.currentTimeMillis(), String.format(format, args));
    }

    static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Waits until the server counts {@code total} jobs ended (STOPPED or FAILED), and logs how long it took. */
    static void awaitStopped(ServerProbe probe, long total, int timeoutSeconds) {
        long start = System.nanoTime();
        ServerStatus status = probe.await(
                s -> s.getJobsByStatusOrDefault("STOPPED", 0) + s.getJobsByStatusOrDefault("FAILED", 0) >= total,
                Duration.ofSeconds(timeoutSeconds));
        long done = status.getJobsByStatusOrDefault("STOPPED", 0) + status.getJobsByStatusOrDefault("FAILED", 0);
        log("server: %d of %d jobs ended %.1f s after the step (%s)", done, total,
            (System.nanoTime() - start) / 1e9, status.getJobsByStatusMap());
    }
}
