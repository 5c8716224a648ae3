package dev.baton.server.engines;

import java.util.Map;
import java.util.function.Consumer;

import dev.baton.proto.v1.DockerHost;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.time.TimeSource;

/**
 * One Docker host engines are placed on: its stored definition, its own Docker client and calls, what
 * its last calls found, and its monitor. Owned by the control loop.
 */
final class HostRecord {

    /** The host made from DOCKER_HOST; it exists unless deleted and cannot change its endpoint. */
    static final String LOCAL = "local";

    private DockerHost stored;
    final DockerState state;
    /** Null when engines are disabled (ENGINES_ENABLED=false): no Docker call is made. */
    final DockerCalls calls;
    final DockerFailures failures;
    EngineMonitor monitor;
    String version = "";
    /** Its engines were marked LOST; cleared when it answers again. */
    boolean lost;
    TimeSource.Timer lostTimer;

    /** {@code onChange} runs on the loop whenever the host starts or stops answering. */
    HostRecord(DockerHost stored, DockerState state, DockerCalls calls, ControlLoop loop,
               Consumer<HostRecord> onChange) {
        this.stored = stored;
        this.state = state;
        this.calls = calls;
        this.failures = new DockerFailures(loop, state, () -> onChange.accept(this));
    }

    String name() { return stored.getName(); }
    DockerHost stored() { return stored; }
    Map<String, String> labels() { return stored.getLabelsMap(); }
    int maxEngines() { return stored.getMaxEngines(); }
    DockerHost.State placement() { return stored.getState(); }

    void define(DockerHost next) {
        this.stored = next;
    }

    boolean usable() {
        return calls != null && state.usable();
    }

    /** Answers and its containers have been listed once: engines may be placed on it. */
    boolean ready() {
        return usable() && monitor != null && monitor.synced();
    }

    /** Stops its monitor, timers and Docker client. */
    void close() {
        if (lostTimer != null) {
            lostTimer.cancel();
            lostTimer = null;
        }
        if (monitor != null) {
            monitor.close();
        }
        if (calls != null) {
            calls.close();
        }
    }
}
