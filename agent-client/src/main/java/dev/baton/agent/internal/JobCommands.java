package dev.baton.agent.internal;

import dev.baton.agent.CommandRejectedException;
import dev.baton.agent.JobHandler;
import dev.baton.proto.v1.Kill;
import dev.baton.proto.v1.Mute;
import dev.baton.proto.v1.Stop;
import dev.baton.proto.v1.Unmute;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Stop, kill, mute and unmute: found on the event loop, run by the handler on the job pool, and
 * acknowledged with the command's correlation id once the handler returns (or throws).
 */
final class JobCommands {

    private static final Logger log = LoggerFactory.getLogger("dev.baton.agent");

    private final AgentCore core;
    private final JobHandler handler;
    private final Executor jobPool;

    JobCommands(AgentCore core, JobHandler handler, Executor jobPool) {
        this.core = core;
        this.handler = handler;
        this.jobPool = jobPool;
    }

    void onStop(Stop stop) {
        JobRun run = core.jobs.find(stop.getJobId(), stop.getAttempt());
        if (run == null || run.ended()) {
            // Nothing runs under that id: the job is as stopped as it can be.
            log.info("stop for a job not running here agent={} job={} attempt={}", core.agentId(),
                     stop.getJobId(), stop.getAttempt());
            core.jobs.sendCommandAck(stop.getCorrelationId(), true, "");
            return;
        }
        Duration grace = ProtoTime.positiveOr(stop.hasGrace(), stop.getGrace(), core.connection.stopGrace());
        requestStop(run, grace, stop.getReason(), stop.getCorrelationId());
    }

    void onKill(Kill kill) {
        JobRun run = core.jobs.find(kill.getJobId(), kill.getAttempt());
        if (run == null || run.ended()) {
            log.info("kill for a job not running here agent={} job={} attempt={}", core.agentId(),
                     kill.getJobId(), kill.getAttempt());
            core.jobs.sendCommandAck(kill.getCorrelationId(), true, "");
            return;
        }
        requestKill(run, "killed by the server", kill.getCorrelationId());
    }

    void onMute(Mute mute) {
        onAudio(mute.getJobId(), mute.getAttempt(), mute.getCorrelationId(), true);
    }

    void onUnmute(Unmute unmute) {
        onAudio(unmute.getJobId(), unmute.getAttempt(), unmute.getCorrelationId(), false);
    }

    private void onAudio(String jobId, int attempt, String correlationId, boolean mute) {
        String name = mute ? "mute" : "unmute";
        JobRun run = core.jobs.find(jobId, attempt);
        if (run == null || run.ended()) {
            core.jobs.sendCommandAck(correlationId, false,
                    "job " + jobId + " attempt " + attempt + " is not running on agent " + core.agentId());
            return;
        }
        submit(run.commandLane, run, name, correlationId, () -> {
            if (mute) {
                handler.mute(run);
            } else {
                handler.unmute(run);
            }
            run.muted(mute);
        });
    }

    /** Asks the handler to stop the job; a job already stopping is only acknowledged. */
    void requestStop(JobRun run, Duration grace, String reason, String correlationId) {
        if (run.stopRequested()) {
            core.jobs.sendCommandAck(correlationId, true, "");
            return;
        }
        run.requestStop();
        log.info("stopping job agent={} {} grace={}ms reason={}", core.agentId(), run,
                 grace.toMillis(), reason.isEmpty() ? "-" : reason);
        submit(run.commandLane, run, "stop", correlationId, () -> handler.stop(run, grace));
    }

    /** Asks the handler to end the job now, without waiting behind a stop still in progress. */
    void requestKill(JobRun run, String reason, String correlationId) {
        if (run.killRequested) {
            core.jobs.sendCommandAck(correlationId, true, "");
            return;
        }
        run.killRequested = true;
        run.requestStop();
        log.info("killing job agent={} {} reason={}", core.agentId(), run, reason);
        submit(jobPool, run, "kill", correlationId, () -> handler.kill(run));
    }

    private void submit(Executor executor, JobRun run, String name, String correlationId,
                        Runnable action) {
        try {
            executor.execute(() -> execute(run, name, correlationId, action));
        } catch (RejectedExecutionException e) {
            core.jobs.sendCommandAck(correlationId, false, "agent " + core.agentId() + " is shutting down");
        }
    }

    private void execute(JobRun run, String name, String correlationId, Runnable action) {
        JobThread.enter(core.agentId(), run);
        try {
            action.run();
            ack(correlationId, true, "");
        } catch (CommandRejectedException e) {
            log.info("{} refused agent={} {} reason={}", name, core.agentId(), run, e.getMessage());
            ack(correlationId, false, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("{} failed agent={} {}", name, core.agentId(), run, e);
            ack(correlationId, false, name + " failed: " + e);
        } finally {
            MDC.clear();
        }
    }

    private void ack(String correlationId, boolean success, String error) {
        core.post(() -> core.jobs.sendCommandAck(correlationId, success, error));
    }
}
