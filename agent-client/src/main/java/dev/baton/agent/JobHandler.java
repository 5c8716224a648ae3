package dev.baton.agent;

import java.time.Duration;

/**
 * What an agent does with the jobs Baton assigns to it. Only {@link #run(JobContext)} is required:
 * <pre>{@code
 * JobHandler handler = job -> {
 *     job.running();
 *     while (!job.stopRequested() && work(job.config())) {
 *         job.progress("done", ++done);
 *     }
 * };  // returning ends the job STOPPED; throwing ends it FAILED
 * }</pre>
 *
 * <p>Every method runs on a thread of the agent's job pool, never on a gRPC transport thread, so a
 * slow handler never delays heartbeats. {@code run} has a thread of its own for the job's whole
 * life; {@code stop}, {@code mute} and {@code unmute} of one job run one at a time, in the order
 * the server sent them, concurrently with {@code run}; {@code kill} runs at once, even while a
 * {@code stop} is still in progress.
 *
 * <p>A command method that returns normally is acknowledged to the server as a success; one that
 * throws is acknowledged as a failure with the exception's message (throw
 * {@link CommandRejectedException} for an expected refusal).
 */
@FunctionalInterface
public interface JobHandler {

    /**
     * Decides whether to take an assignment. The agent has already refused it if it is draining
     * or has no free slot. The default accepts everything.
     */
    default AssignDecision accept(Assignment assignment) {
        return AssignDecision.accept();
    }

    /**
     * Runs the job; the job lasts as long as this method. Report {@link JobContext#running()}
     * once the work has started. When this method returns without having reported an end, the job
     * ends {@code STOPPED} (after a {@code RUNNING} if none was reported); when it throws, the job
     * ends {@code FAILED} with the exception's message, unless a stop or kill was requested, in
     * which case it ends {@code STOPPED}.
     */
    void run(JobContext job) throws Exception;

    /**
     * The server asks the job to stop within {@code grace}; after that it will send a kill.
     * Start stopping and return; {@code run} reports the end. {@link JobContext#stopRequested()}
     * is already true. The default interrupts the thread running {@code run}.
     */
    default void stop(JobContext job, Duration grace) {
        job.interrupt();
    }

    /** The server asks the job to end now. The default interrupts the thread running {@code run}. */
    default void kill(JobContext job) {
        job.interrupt();
    }

    /** Mutes the job's audio. The default refuses: this handler cannot mute. */
    default void mute(JobContext job) {
        throw new CommandRejectedException("mute is not supported by this agent");
    }

    /** Unmutes the job's audio. The default refuses: this handler cannot unmute. */
    default void unmute(JobContext job) {
        throw new CommandRejectedException("unmute is not supported by this agent");
    }
}
