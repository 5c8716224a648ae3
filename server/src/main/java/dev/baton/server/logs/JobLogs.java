package dev.baton.server.logs;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.ByteString;

import dev.baton.proto.v1.FollowLogsRequest;
import dev.baton.proto.v1.GetJobLogsRequest;
import dev.baton.proto.v1.GetJobLogsResponse;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobLog;
import dev.baton.proto.v1.LogLine;
import dev.baton.proto.v1.LogStream;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.error.BatonException;
import dev.baton.server.fleet.AgentRecord;
import dev.baton.server.jobs.JobBook;
import dev.baton.server.jobs.JobLifecycle;
import dev.baton.server.jobs.JobRecord;
import dev.baton.server.jobs.JobStateMachine;
import dev.baton.server.store.BatonStore;
import dev.baton.server.store.StoreWrite;
import dev.baton.server.store.StoredState;
import dev.baton.server.watch.WatchHub;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Job logs: takes agents' JobLog messages (on the control loop, refused like updates when the agent
 * does not hold the attempt, cut to the agent's rate), keeps each attempt's tail, ends an attempt's
 * log when its job moves on, and answers reads and followers.
 */
public final class JobLogs {

    private static final Logger log = LoggerFactory.getLogger(JobLogs.class);
    private static final Duration RETENTION_SWEEP = Duration.ofMinutes(10);

    private final LogLimits limits;
    private final ControlLoop loop;
    private final BatonStore store;
    private final JobBook jobs;
    private final JobLifecycle lifecycle;
    private final LogMetrics metrics;
    private final LogBook book;
    private final Map<String, AgentLogBudget> budgets = new HashMap<>();
    private volatile boolean stopped;

    public JobLogs(LogLimits limits, ControlLoop loop, BatonStore store, WatchHub hub, JobBook jobs,
                   JobLifecycle lifecycle, MeterRegistry registry) {
        this.limits = limits;
        this.loop = loop;
        this.store = store;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.metrics = new LogMetrics(registry);
        this.book = new LogBook(limits, loop, store, metrics);
        hub.add(new AttemptEnds());
    }

    /** An agent's JobLog, on the control loop; a refusal goes back to the agent like an update's. */
    public JobLifecycle.Refusal receive(AgentRecord agent, JobLog message) {
        String jobId = message.getJobId();
        int lines = message.getLinesCount();
        JobLifecycle.Refusal refusal = lifecycle.checkHolder(agent, jobs.get(jobId), jobId, message.getAttempt());
        if (refusal == null && message.getStream() != LogStream.LOG_STREAM_STDOUT
            && message.getStream() != LogStream.LOG_STREAM_STDERR) {
            refusal = new JobLifecycle.Refusal("INVALID_LOG_STREAM", "jobLog.stream: " + message.getStream()
                                               + " (expected: LOG_STREAM_STDOUT or LOG_STREAM_STDERR)", jobId);
        }
        if (refusal != null) {
            metrics.refused(lines);
            return refusal;
        }
        AttemptLog attemptLog = book.open(jobId, message.getAttempt());
        if (!attemptLog.acceptChunk(message.getSequence())) {
            metrics.duplicate(lines);
            return null;
        }
        List<String> texts = message.getLinesList().stream()
                                    .map(ByteString::toByteArray)
                                    .map(raw -> LineText.of(raw, limits.maxLineBytes()))
                                    .toList();
        AgentLogBudget budget = budgets.computeIfAbsent(agent.id(), id -> new AgentLogBudget(
                loop.time(), limits.agentBytesPerSecond(), limits.agentBurstBytes()));
        int dropped = attemptLog.append(message.getStream(), texts, loop.time().now(), budget::tryTake);
        metrics.stored(lines - dropped);
        if (dropped > 0) {
            metrics.rateLimited(dropped);
        }
        attemptLog.wakeListeners();
        return null;
    }

    /** At start-up (on the loop): attempts still on agents continue from their stored tail. */
    public void recover(StoredState state) {
        int restored = 0;
        for (StoredState.StoredJob stored : state.jobs()) {
            Job job = stored.job();
            if (job.getAttempt() > 0 && JobStateMachine.isOnAgent(job.getStatus())) {
                book.restore(job.getId(), job.getAttempt());
                restored++;
            }
        }
        log.info("event=log-tails-restored attempts={}", restored);
    }

    /** Starts the periodic flush and the retention sweep. */
    public void start() {
        loop.schedule(limits.flushInterval(), this::flushTick);
        loop.schedule(RETENTION_SWEEP, this::retentionSweep);
    }

    /** On shutdown (on the loop): hands every unflushed line to the store, which drains before closing. */
    public void flushAll() {
        stopped = true;
        Instant now = loop.time().now();
        for (AttemptLog attemptLog : book.inMemory()) {
            attemptLog.settleDrops(now);
            book.flush(attemptLog, now);
        }
    }

    public void close() {
        book.close();
    }

    private void flushTick() {
        if (stopped) {
            return;
        }
        Instant now = loop.time().now();
        for (AttemptLog attemptLog : book.inMemory()) {
            attemptLog.settleDrops(now);
            book.flush(attemptLog, now);
        }
        loop.schedule(limits.flushInterval(), this::flushTick);
    }

    private void retentionSweep() {
        if (stopped) {
            return;
        }
        store.write(List.of(new StoreWrite.ExpireLogLines(loop.time().now().minus(limits.retention()))));
        loop.schedule(RETENTION_SWEEP, this::retentionSweep);
    }

    /** The retained lines of one attempt (any thread). */
    public CompletableFuture<GetJobLogsResponse> get(GetJobLogsRequest request) {
        LogFilter filter = LogFilter.parse(request.getStream());
        Long tail = request.hasTail() ? (long) request.getTail() : null;
        Long limit = request.hasLimit() ? (long) request.getLimit() : null;
        LogFilter.notNegative("tail", tail);
        LogFilter.notNegative("limit", limit);
        LogFilter.notNegative("sinceSeq", request.hasSinceSeq() ? request.getSinceSeq() : null);
        if (tail != null && limit != null) {
            throw BatonException.invalidArgument("tail: %d, limit: %d (expected: only one of them)", tail, limit);
        }
        long since = request.getSinceSeq();
        return source(request.getId(), request.hasAttempt() ? request.getAttempt() : null, false)
                .thenApply(attemptLog -> {
                    boolean ended = attemptLog.ended();
                    List<LogLine> lines = filter.apply(attemptLog.after(since, Integer.MAX_VALUE));
                    if (tail != null && lines.size() > tail) {
                        lines = lines.subList(lines.size() - tail.intValue(), lines.size());
                    }
                    if (limit != null && lines.size() > limit) {
                        lines = lines.subList(0, limit.intValue());
                    }
                    return GetJobLogsResponse.newBuilder().setJobId(request.getId()).setAttempt(attemptLog.attempt)
                            .addAllLines(lines).setAttemptEnded(ended).setLastSeq(attemptLog.lastSeq())
                            .setRetainedBytes(attemptLog.retainedBytes()).build();
                });
    }

    /** Starts {@code follow} on the request's attempt; fails (NOT_FOUND, INVALID_ARGUMENT) before any line. */
    public CompletableFuture<Void> follow(FollowLogsRequest request, LogFollow follow) {
        LogFilter filter = LogFilter.parse(request.getStream());
        Long tail = request.hasTail() ? (long) request.getTail() : null;
        LogFilter.notNegative("tail", tail);
        LogFilter.notNegative("sinceSeq", request.hasSinceSeq() ? request.getSinceSeq() : null);
        return source(request.getId(), request.hasAttempt() ? request.getAttempt() : null, true)
                .thenAccept(attemptLog -> {
                    long cursor = request.getSinceSeq();
                    if (!request.hasSinceSeq() && tail != null) {
                        List<LogLine> lines = filter.apply(attemptLog.all());
                        cursor = lines.size() > tail ? lines.get(lines.size() - tail.intValue() - 1).getSeq() : 0;
                    }
                    follow.attach(attemptLog, filter, cursor);
                });
    }

    /**
     * The attempt's log: in memory while it is live (or its last batch is being flushed), read back
     * from the store once it ended. {@code open} creates the log of a live attempt with no lines yet,
     * so a follower can wait for them.
     */
    private CompletableFuture<AttemptLog> source(String jobId, Integer attempt, boolean open) {
        if (jobId.isEmpty()) {
            throw BatonException.invalidArgument("id: empty (expected: a job id)");
        }
        return loop.call(() -> {
            JobRecord record = jobs.require(jobId);
            Job job = record.job();
            int current = job.getAttempt();
            boolean waiting = job.getStatus() == Job.Status.PENDING || job.getStatus() == Job.Status.CREATED;
            int newest = waiting ? current + 1 : Math.max(current, 1);
            int wanted = attempt != null ? attempt : Math.max(current, 1);
            if (wanted < 1 || wanted > newest) {
                throw BatonException.invalidArgument("attempt: %d (expected: 1 to %d, the job's attempts)", wanted,
                                                     newest);
            }
            boolean live = isLive(job, wanted);
            AttemptLog inMemory = live && open ? book.open(jobId, wanted) : book.find(jobId, wanted);
            if (inMemory == null && live) {
                // Live but silent so far: nothing retained, more may come.
                inMemory = new AttemptLog(jobId, wanted, limits.tailBytes(), new AtomicLong());
            }
            return new Resolved(wanted, inMemory);
        }).thenCompose(resolved -> resolved.inMemory() != null ? CompletableFuture.completedFuture(resolved.inMemory())
                                                              : book.readStored(jobId, resolved.attempt()));
    }

    private record Resolved(int attempt, AttemptLog inMemory) {}

    /** More lines may come for this attempt: it is on an agent, or it is the one the waiting job runs next. */
    private static boolean isLive(Job job, int attempt) {
        boolean waiting = job.getStatus() == Job.Status.PENDING || job.getStatus() == Job.Status.CREATED;
        return attempt == job.getAttempt() && JobStateMachine.isOnAgent(job.getStatus())
               || attempt == job.getAttempt() + 1 && waiting;
    }

    /** Ends the logs of attempts whose job moved on (ended, or went back to the queue for a new attempt). */
    private final class AttemptEnds implements WatchHub.Watcher {
        @Override
        public boolean offer(WatchEvent event) {
            if (!event.hasJob()) {
                return true;
            }
            Job job = event.getJob();
            for (AttemptLog attemptLog : book.ofJob(job.getId())) {
                if (!attemptLog.ended() && !isLive(job, attemptLog.attempt)) {
                    Instant now = loop.time().now();
                    attemptLog.end(now);
                    book.flush(attemptLog, now);
                }
            }
            return true;
        }

        @Override
        public void overflowed(long lastDeliveredRevision) {
            // offer never refuses.
        }
    }
}
