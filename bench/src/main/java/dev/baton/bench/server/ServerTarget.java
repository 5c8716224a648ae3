package dev.baton.bench.server;

import java.time.Duration;

/** The Baton server a scenario drives: a child process (the default) or one in this JVM (smoke tests). */
public interface ServerTarget extends AutoCloseable {

    /** The agent token every simulated agent presents. */
    String TOKEN = "bench-agent-token";

    int port();

    /** The process whose CPU and memory are the server's (this JVM's own for an in-process server). */
    long pid();

    /** True when {@link #pid()} is the server alone, so its CPU and RSS can be attributed to it. */
    boolean separateProcess();

    /** From asking for the server to GET /healthz answering 200 (process spawn included for a child). */
    Duration startToHealthy();

    /**
     * From asking for the server to the API serving: GET /v1/status answering 200 (until the stored
     * state is recovered every Baton call answers 503, though /healthz already says 200).
     */
    Duration startToReady();

    /** Stops the server without letting it close anything (SIGKILL for a child). */
    default void kill() {
        close();
    }

    /** Stops the server (SIGTERM for a child) and waits for it to exit. */
    @Override
    void close();
}
