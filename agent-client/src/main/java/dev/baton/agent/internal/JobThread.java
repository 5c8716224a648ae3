package dev.baton.agent.internal;

import dev.baton.agent.AssignDecision;
import dev.baton.agent.JobHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The life of one job on its own pool thread: decide, run, and report the end. */
final class JobThread {

    private static final Logger log = LoggerFactory.getLogger("dev.baton.agent");

    private JobThread() {}

    /** Names the thread after the job and puts agent=, job=, attempt= into the MDC for author logs. */
    static void enter(String agentId, JobRun run) {
        MDC.put("agent", agentId);
        MDC.put("job", run.key.jobId());
        MDC.put("attempt", Integer.toString(run.key.attempt()));
    }

    static void run(AgentCore core, JobHandler handler, JobRun run) {
        Thread thread = Thread.currentThread();
        String poolName = thread.getName();
        thread.setName("baton-job-" + run.key);
        enter(core.agentId(), run);
        try {
            if (decide(core, handler, run)) {
                execute(core, handler, run);
            }
        } finally {
            MDC.clear();
            thread.setName(poolName);
        }
    }

    private static boolean decide(AgentCore core, JobHandler handler, JobRun run) {
        AssignDecision decision;
        try {
            decision = handler.accept(run.assignment());
        } catch (RuntimeException e) {
            log.warn("accept failed agent={} {}", core.agentId(), run, e);
            decision = AssignDecision.reject("the agent's handler failed to decide: " + e);
        }
        AssignDecision decided = decision;
        CompletableFuture<Boolean> go = new CompletableFuture<>();
        Runnable record = () -> {
            try {
                go.complete(core.jobs.onDecision(run, decided.accepted(), decided.reason()));
            } catch (RuntimeException e) {
                go.completeExceptionally(e);
            }
        };
        if (!core.post(record)) {
            return false;
        }
        try {
            return go.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the agent is shutting down its job pool
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    private static void execute(AgentCore core, JobHandler handler, JobRun run) {
        if (!run.beginRun()) {
            run.stopped(); // stopped before it started
            return;
        }
        try {
            handler.run(run);
            if (!run.ended()) {
                if (!run.stopRequested() && !run.runningReported()) {
                    run.running(); // the protocol's order: RUNNING comes before STOPPED
                }
                run.stopped();
            }
        } catch (Throwable e) {
            if (run.stopRequested()) {
                log.debug("job ended by its stop agent={} {} cause={}", core.agentId(), run, e.toString());
                run.stopped();
            } else {
                log.warn("job failed agent={} {}", core.agentId(), run, e);
                run.failed(e.getMessage() == null ? e.toString() : e.getMessage());
            }
        } finally {
            run.endRun();
        }
    }
}
