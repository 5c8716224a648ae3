package dev.baton.bench.server;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to start the server under test: as a child process from the server's jar (the default, so
 * its CPU and RSS are its own) or in this JVM. Settings are the server's environment variables.
 * A child is started the way users start it, through {@code launcher} (server/bin/baton-server, which adds
 * the class-data archive), or with plain {@code java -jar} when {@code launcher} is null.
 */
public record ServerSpec(boolean inProcess, Path launcher, Path jar, List<String> jvmArgs, Path dataDir, int port,
                         Map<String, String> settings, Path logFile) {

    public ServerSpec {
        requireNonNull(jar, "jar");
        jvmArgs = List.copyOf(jvmArgs);
        requireNonNull(dataDir, "dataDir");
        settings = Map.copyOf(settings);
        requireNonNull(logFile, "logFile");
    }

    /** The same server on another port or data directory (a restart keeps both). */
    public ServerSpec withDataDir(Path dir) {
        return new ServerSpec(inProcess, launcher, jar, jvmArgs, dir, port, settings, logFile);
    }

    /** The same server from another jar (A/B runs on one store). */
    public ServerSpec withJar(Path otherJar) {
        return new ServerSpec(inProcess, launcher, otherJar, jvmArgs, dataDir, port, settings, logFile);
    }

    public ServerSpec withPort(int p) {
        return new ServerSpec(inProcess, launcher, jar, jvmArgs, dataDir, p, settings, logFile);
    }

    public ServerSpec withSetting(String name, String value) {
        Map<String, String> s = new LinkedHashMap<>(settings);
        s.put(name, value);
        return new ServerSpec(inProcess, launcher, jar, jvmArgs, dataDir, port, s, logFile);
    }

    /** Starts it and returns once the API serves (GET /v1/status answers 200). */
    public ServerTarget start() {
        return inProcess ? InProcessServer.start(this) : ChildServer.start(this);
    }

    public String describe() {
        return inProcess ? "in-process (same JVM as the load generator)"
                         : "child process: " + (launcher == null ? "java " + String.join(" ", jvmArgs) + " -jar " + jar
                                                : "BATON_SERVER_JAR=" + jar + (jvmArgs.isEmpty() ? "" : " JAVA_OPTS=\""
                                                  + String.join(" ", jvmArgs) + "\"") + " " + launcher)
                           + (settings.isEmpty() ? "" : " with " + settings);
    }
}
