package dev.baton.agent.runner;

import static java.util.Objects.requireNonNull;

import dev.baton.agent.AssignDecision;
import dev.baton.agent.Assignment;
import dev.baton.agent.CommandRejectedException;
import dev.baton.agent.JobContext;
import dev.baton.agent.JobHandler;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs each job as an OS process named by its config (see {@link CommandSpec}): {@code RUNNING}
 * once started; {@code STOPPED} on exit 0; {@code FAILED} with the exit code and the last lines
 * of stderr otherwise. Every line of the process's stdout and stderr goes to the job's log. Stop sends SIGTERM to the process tree and SIGKILL after the grace; kill
 * sends SIGKILL. Mute and unmute send configurable signals, or are acknowledged no-ops.
 */
public final class ProcessJobHandler implements JobHandler {

    private final Optional<String> muteSignal;
    private final Optional<String> unmuteSignal;
    private final int stderrTailLines;
    private final PrintStream stderrEcho;
    private final Map<String, TrackedProcess> processes = new ConcurrentHashMap<>();

    /**
     * @param muteSignal sent to the job's process on mute (e.g. {@code USR1}); empty: mute is a no-op
     * @param unmuteSignal sent on unmute (e.g. {@code USR2}); empty: unmute is a no-op
     * @param stderrTailLines how many last stderr lines a FAILED job reports (&ge; 0)
     * @param stderrEcho where the children's stderr is copied, line by line
     */
    public ProcessJobHandler(Optional<String> muteSignal, Optional<String> unmuteSignal,
                             int stderrTailLines, PrintStream stderrEcho) {
        this.muteSignal = requireNonNull(muteSignal, "muteSignal").map(Signals::normalize);
        this.unmuteSignal = requireNonNull(unmuteSignal, "unmuteSignal").map(Signals::normalize);
        if (stderrTailLines < 0) {
            throw new IllegalArgumentException("stderrTailLines: " + stderrTailLines + " (expected: >= 0)");
        }
        this.stderrTailLines = stderrTailLines;
        this.stderrEcho = requireNonNull(stderrEcho, "stderrEcho");
    }

    /** No mute signals, the last 20 stderr lines, echoed to {@code System.err}. */
    public static ProcessJobHandler withDefaults() {
        return new ProcessJobHandler(Optional.empty(), Optional.empty(), 20, System.err);
    }

    @Override
    public AssignDecision accept(Assignment assignment) {
        try {
            CommandSpec.from(assignment.config());
            return AssignDecision.accept();
        } catch (InvalidJobConfigException e) {
            return AssignDecision.reject(e.getMessage());
        }
    }

    @Override
    public void run(JobContext job) throws Exception {
        CommandSpec spec = CommandSpec.from(job.config());
        String name = job.jobId() + '#' + job.attempt();
        TrackedProcess tracked = new TrackedProcess();
        processes.put(name, tracked);
        try {
            if (job.stopRequested()) {
                return; // stopped before its process existed; stop() found nothing to signal
            }
            ChildProcess child;
            try {
                child = ChildProcess.start(spec, Map.of("BATON_JOB_ID", job.jobId(),
                                                        "BATON_JOB_ATTEMPT", Integer.toString(job.attempt())),
                                           name, stderrTailLines, stderrEcho, job::log);
            } catch (IOException e) {
                job.failed("cannot start " + spec.command().get(0) + ": " + e.getMessage());
                return;
            }
            tracked.attach(child);
            try {
                job.running();
                int exit = child.awaitExit();
                child.awaitOutput();
                if (job.stopRequested() || exit == 0) {
                    job.stopped(exit); // after a stop, the exit code is the stop's, not a failure
                } else {
                    String tail = child.stderrTail();
                    job.failed("exit code " + exit + (tail.isEmpty() ? "" : ": " + tail), exit);
                }
            } finally {
                if (child.isAlive()) {
                    child.kill(); // the agent is shutting down and interrupted us: leave no orphan
                }
            }
        } finally {
            processes.remove(name);
        }
    }

    @Override
    public void stop(JobContext job, Duration grace) {
        tracked(job).ifPresent(tracked -> tracked.stop(grace));
    }

    @Override
    public void kill(JobContext job) {
        tracked(job).ifPresent(TrackedProcess::kill);
    }

    @Override
    public void mute(JobContext job) {
        muteSignal.ifPresent(signal -> Signals.send(running(job).pid(), signal));
    }

    @Override
    public void unmute(JobContext job) {
        unmuteSignal.ifPresent(signal -> Signals.send(running(job).pid(), signal));
    }

    private ChildProcess running(JobContext job) {
        ChildProcess child = tracked(job).map(TrackedProcess::child).orElse(null);
        if (child == null || !child.isAlive()) {
            throw new CommandRejectedException("job " + job.jobId() + " has no running process");
        }
        return child;
    }

    private Optional<TrackedProcess> tracked(JobContext job) {
        return Optional.ofNullable(processes.get(job.jobId() + '#' + job.attempt()));
    }
}
