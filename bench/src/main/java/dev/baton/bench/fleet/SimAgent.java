package dev.baton.bench.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.baton.bench.load.JobClock;
import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.AgentServiceGrpc;
import dev.baton.proto.v1.Assign;
import dev.baton.proto.v1.AssignAck;
import dev.baton.proto.v1.Capabilities;
import dev.baton.proto.v1.CommandAck;
import dev.baton.proto.v1.Goodbye;
import dev.baton.proto.v1.Heartbeat;
import dev.baton.proto.v1.Hello;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobUpdate;
import dev.baton.proto.v1.RunningJob;
import dev.baton.proto.v1.ServerMessage;
import dev.baton.proto.v1.Welcome;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * One simulated agent, following the protocol as a real agent does: Hello (with the jobs it still
 * runs) → Welcome; on Assign it acks, then reports RUNNING at once, and when the job ends STOPPED —
 * for a zero-length job RUNNING and STOPPED go out back to back, right after the ack. It answers
 * Stop/Kill with a CommandAck and STOPPED, Mute/Unmute with a CommandAck, and reconnects with
 * backoff when its stream breaks. Like the SDK, it lists the jobs it ended in the last
 * {@link #RECENT_END_RETENTION} in its Hello, as STOPPED, and sends their end again after a Welcome
 * that did not reject them. It owns no thread: callbacks run on the fleet's event loops.
 */
final class SimAgent {

    /** The SDK's retention of ends it sent (agent-client {@code JobTable.RECENT_END_RETENTION}). */
    static final long RECENT_END_RETENTION_NANOS = TimeUnit.SECONDS.toNanos(30);

    private record RecentEnd(String jobId, int attempt, long sentAtNanos) {}

    private final SimFleet fleet;
    private final String id;
    private final ManagedChannel channel;
    /** Jobs this agent runs: id → attempt. Guarded by this. */
    private final Map<String, Integer> jobs = new LinkedHashMap<>();
    /** Jobs whose STOPPED was sent, oldest first, for the retention. Guarded by this. */
    private final Map<String, RecentEnd> recentEnds = new LinkedHashMap<>();
    /** Guarded by this. */
    private StreamObserver<AgentMessage> out;
    private int generation;
    private boolean welcomed;
    private boolean leaving;
    private int reconnectAttempt;

    SimAgent(SimFleet fleet, String id, ManagedChannel channel) {
        this.fleet = fleet;
        this.id = id;
        this.channel = channel;
    }

    String id() {
        return id;
    }

    /** Opens a stream and says Hello with the jobs it runs. */
    synchronized void connect() {
        if (leaving) {
            return;
        }
        int gen = ++generation;
        welcomed = false;
        out = AgentServiceGrpc.newStub(channel).connect(new Inbound(gen));
        Hello.Builder hello = Hello.newBuilder().setToken(fleet.token()).setAgentId(id).setName("bench-" + id)
                                   .setVersion("bench").setCapabilities(Capabilities.newBuilder()
                                           .setSlots(fleet.slots()).putAllLabels(fleet.labels()));
        jobs.forEach((job, attempt) -> hello.addRunningJobs(RunningJob.newBuilder().setJobId(job).setAttempt(attempt)
                                                                      .setStatus(Job.Status.RUNNING)));
        forgetOldEnds();
        recentEnds.values().forEach(end -> hello.addRunningJobs(RunningJob.newBuilder().setJobId(end.jobId())
                .setAttempt(end.attempt()).setStatus(Job.Status.STOPPED)));
        send(AgentMessage.newBuilder().setHello(hello).build());
    }

    /** Sends STOPPED for a job that ended here and remembers it; caller holds the lock. */
    private void sendStopped(String jobId, int attempt) {
        send(update(jobId, attempt, Job.Status.STOPPED));
        fleet.counters().stopped.increment();
        forgetOldEnds();
        recentEnds.remove(jobId); // a newer attempt's end goes to the back
        recentEnds.put(jobId, new RecentEnd(jobId, attempt, System.nanoTime()));
    }

    private void forgetOldEnds() {
        long now = System.nanoTime();
        var oldestFirst = recentEnds.values().iterator();
        while (oldestFirst.hasNext() && now - oldestFirst.next().sentAtNanos() > RECENT_END_RETENTION_NANOS) {
            oldestFirst.remove();
        }
    }

    synchronized boolean welcomed() {
        return welcomed;
    }

    synchronized int jobCount() {
        return jobs.size();
    }

    synchronized List<String> jobIds() {
        return new ArrayList<>(jobs.keySet());
    }

    /** Sends a heartbeat when the session is up. */
    synchronized void heartbeat() {
        if (welcomed && out != null) {
            send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
            fleet.counters().heartbeats.increment();
        }
    }

    /** Reports progress on {@code jobId} (a RUNNING update with gauges): one watch event on the server. */
    synchronized boolean progress(String jobId, Map<String, Double> gauges) {
        Integer attempt = jobs.get(jobId);
        if (!welcomed || out == null || attempt == null) {
            return false;
        }
        send(AgentMessage.newBuilder().setJobUpdate(JobUpdate.newBuilder().setJobId(jobId).setAttempt(attempt)
                .setStatus(Job.Status.RUNNING).putAllProgress(gauges)).build());
        return true;
    }

    /** Leaves on purpose: Goodbye, then half-close; no reconnect. */
    synchronized void leave() {
        leaving = true;
        if (out != null) {
            try {
                send(AgentMessage.newBuilder().setGoodbye(Goodbye.newBuilder().setReason("benchmark over")).build());
                out.onCompleted();
            } catch (RuntimeException ignored) {
                // the stream is already gone
            }
            out = null;
        }
    }

    /** Drops the stream without a Goodbye (as a crashed agent would), keeping its jobs; no reconnect. */
    synchronized void vanish() {
        leaving = true;
        if (out != null) {
            try {
                out.onError(Status.CANCELLED.withDescription("benchmark").asRuntimeException());
            } catch (RuntimeException ignored) {
                // the stream is already gone
            }
            out = null;
        }
    }

    private void onMessage(int gen, ServerMessage message) {
        switch (message.getMsgCase()) {
            case WELCOME -> welcome(gen, message.getWelcome());
            case ASSIGN -> assign(gen, message.getAssign());
            case STOP -> stopped(gen, message.getStop().getJobId(), message.getStop().getAttempt(),
                                 message.getStop().getCorrelationId());
            case KILL -> stopped(gen, message.getKill().getJobId(), message.getKill().getAttempt(),
                                 message.getKill().getCorrelationId());
            case MUTE -> commandAck(gen, message.getMute().getCorrelationId());
            case UNMUTE -> commandAck(gen, message.getUnmute().getCorrelationId());
            case ERROR -> fleet.errorReceived(id, message.getError());
            default -> { }
        }
    }

    private synchronized void welcome(int gen, Welcome welcome) {
        if (gen != generation) {
            return;
        }
        welcomed = true;
        reconnectAttempt = 0;
        for (String rejected : welcome.getRejectedJobIdsList()) {
            if (jobs.remove(rejected) != null) {
                fleet.counters().rejectedJobs.increment();
            }
            recentEnds.remove(rejected);
        }
        for (RecentEnd end : recentEnds.values()) {
            if (!jobs.containsKey(end.jobId())) {
                send(update(end.jobId(), end.attempt(), Job.Status.STOPPED)); // the server had lost it
            }
        }
        fleet.welcomed(this, welcome);
    }

    private void assign(int gen, Assign assign) {
        JobClock clock = fleet.clock();
        long seq = JobClock.seqOf(assign.getConfig());
        boolean hold = JobClock.holds(assign.getConfig());
        long durationNanos = fleet.jobDurationNanos();
        String jobId = assign.getJobId();
        int attempt = assign.getAttempt();
        synchronized (this) {
            if (gen != generation || out == null) {
                return;
            }
            fleet.counters().assigns.increment();
            fleet.started(jobId);
            jobs.put(jobId, attempt);
            send(AgentMessage.newBuilder().setAssignAck(AssignAck.newBuilder().setJobId(jobId).setAttempt(attempt)
                                                                 .setAccepted(true)).build());
            send(update(jobId, attempt, Job.Status.RUNNING));
            if (clock != null) {
                clock.runningSent(seq, System.nanoTime());
            }
            fleet.counters().running.increment();
            if (!hold && durationNanos == 0) {
                jobs.remove(jobId);
                sendStopped(jobId, attempt);
                return;
            }
        }
        if (!hold) {
            fleet.jobTimer().schedule(() -> finish(jobId, attempt), durationNanos, TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void finish(String jobId, int attempt) {
        if (out == null || !jobs.remove(jobId, attempt)) {
            return;
        }
        sendStopped(jobId, attempt);
    }

    private synchronized void stopped(int gen, String jobId, int attempt, String correlationId) {
        if (gen != generation || out == null) {
            return;
        }
        fleet.counters().stopsReceived.increment();
        if (!correlationId.isEmpty()) {
            send(AgentMessage.newBuilder().setCommandAck(CommandAck.newBuilder().setCorrelationId(correlationId)
                                                                   .setSuccess(true)).build());
        }
        if (jobs.remove(jobId) != null) {
            sendStopped(jobId, attempt);
        }
    }

    private synchronized void commandAck(int gen, String correlationId) {
        if (gen == generation && out != null) {
            send(AgentMessage.newBuilder().setCommandAck(CommandAck.newBuilder().setCorrelationId(correlationId)
                                                                   .setSuccess(true)).build());
        }
    }

    private void closed(int gen, Status status) {
        long delayMillis;
        synchronized (this) {
            if (gen != generation) {
                return;
            }
            boolean wasWelcomed = welcomed;
            welcomed = false;
            out = null;
            fleet.streamClosed(this, status, wasWelcomed, leaving);
            if (leaving || !fleet.reconnects()) {
                return;
            }
            // Exponential backoff with full jitter, 100 ms doubling up to 2 s, as a real agent would.
            long cap = Math.min(2000, 100L << Math.min(reconnectAttempt, 5));
            reconnectAttempt++;
            delayMillis = 50 + ThreadLocalRandom.current().nextLong(cap);
        }
        fleet.counters().reconnects.increment();
        fleet.jobTimer().schedule(this::connect, delayMillis, TimeUnit.MILLISECONDS);
    }

    private static AgentMessage update(String jobId, int attempt, Job.Status status) {
        return AgentMessage.newBuilder().setJobUpdate(JobUpdate.newBuilder().setJobId(jobId).setAttempt(attempt)
                                                               .setStatus(status)).build();
    }

    /** Caller holds the lock: gRPC stream observers are not thread-safe. */
    private void send(AgentMessage message) {
        try {
            out.onNext(message);
        } catch (RuntimeException e) {
            // The stream broke under us; its close callback reconnects.
        }
    }

    private final class Inbound implements StreamObserver<ServerMessage> {
        private final int gen;

        Inbound(int gen) {
            this.gen = gen;
        }

        @Override
        public void onNext(ServerMessage message) {
            onMessage(gen, message);
        }

        @Override
        public void onError(Throwable t) {
            closed(gen, Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            closed(gen, Status.OK);
        }
    }
}
