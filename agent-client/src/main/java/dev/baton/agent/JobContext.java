package dev.baton.agent;

import com.google.protobuf.Struct;
import dev.baton.proto.v1.LogStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One accepted job attempt, as its {@link JobHandler} sees it: what to run, and how to report.
 * All methods are thread-safe and never block on the network: reports are queued and sent in
 * order; while the agent is disconnected, the job's latest status is delivered after it
 * reconnects.
 *
 * <p>Status reports follow the protocol's order: {@link #starting()} (optional), then
 * {@link #running()}, then one end, {@link #stopped()} or {@link #failed(String)}. After the end,
 * further reports are ignored.
 */
public interface JobContext {

    /** The assignment this job came from. */
    Assignment assignment();

    /** The job's id. */
    default String jobId() {
        return assignment().jobId();
    }

    /** The attempt number this agent runs. */
    default int attempt() {
        return assignment().attempt();
    }

    /** The job's resolved configuration. */
    default Struct config() {
        return assignment().config();
    }

    /** Reports {@code STARTING}: the job is being set up. */
    void starting();

    /** Reports {@code RUNNING}: the job's work has started. */
    void running();

    /** Reports progress gauges, e.g. {@code framesPerSecond}; sent with the current status. */
    void progress(Map<String, Double> gauges);

    /** Reports one progress gauge. */
    default void progress(String name, double value) {
        progress(Map.of(name, value));
    }

    /** Reports the job's clean end: {@code STOPPED}. */
    void stopped();

    /** Reports the job's clean end, with its process exit code. */
    void stopped(int exitCode);

    /** Reports the job's failure: {@code FAILED} with an error for the operator. */
    void failed(String error);

    /** Reports the job's failure with its process exit code. */
    void failed(String error, int exitCode);

    /**
     * Sends one line of the job's output to Baton (without its newline; any bytes, Baton replaces
     * invalid UTF-8). Lines are batched and numbered, sent in order before the job's next status;
     * while the agent is disconnected up to 1 MiB waits, beyond it lines are dropped and a marker
     * line says how many. Never blocks.
     */
    void log(LogStream stream, byte[] line);

    /** Sends one line of the job's standard output to Baton. */
    default void log(String line) {
        log(LogStream.LOG_STREAM_STDOUT, line.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one line of the job's standard error to Baton. */
    default void logError(String line) {
        log(LogStream.LOG_STREAM_STDERR, line.getBytes(StandardCharsets.UTF_8));
    }

    /** True once the server (or a draining or closing agent) asked this job to stop or be killed. */
    boolean stopRequested();

    /** True after a mute was acknowledged, false after an unmute. */
    boolean muted();

    /** True once the job has reported its end. */
    boolean ended();

    /** Interrupts the thread running {@link JobHandler#run(JobContext)}, if it still runs. */
    void interrupt();
}
