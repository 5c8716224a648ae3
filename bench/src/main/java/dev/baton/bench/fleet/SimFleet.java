package dev.baton.bench.fleet;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.baton.bench.load.Channels;
import dev.baton.bench.load.JobClock;
import dev.baton.proto.v1.Error;
import dev.baton.proto.v1.Welcome;
import io.grpc.Status;

/**
 * Many simulated agents over a few connections and threads: {@code agents} streams spread round
 * robin over {@code connections} gRPC connections that share {@code eventLoopThreads} threads, one
 * thread for heartbeats (each agent at its own phase of the interval) and one for job timers.
 */
public final class SimFleet implements AutoCloseable {

    private final Builder config;
    private final Channels channels;
    private final List<SimAgent> agents = new ArrayList<>();
    private final FleetCounters counters = new FleetCounters();
    private final AtomicInteger online = new AtomicInteger();
    private final List<String> firstProblems = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService heartbeatThread;
    private final ScheduledExecutorService jobTimer;
    private volatile JobClock clock;
    private volatile long heartbeatIntervalNanos = Duration.ofSeconds(3).toNanos();
    private volatile boolean reconnects = true;
    /** Every job id an agent of this fleet was assigned, when repeated starts are counted; else null. */
    private final Set<String> startedJobs;
    private ScheduledFuture<?> heartbeatTask;

    private SimFleet(Builder config) {
        this.config = config;
        this.channels = Channels.open(config.port, Math.min(config.connections, config.agents),
                                      config.eventLoopThreads, config.idPrefix + "-agents");
        this.heartbeatThread = Executors.newSingleThreadScheduledExecutor(daemon(config.idPrefix + "-heartbeats"));
        this.jobTimer = Executors.newSingleThreadScheduledExecutor(daemon(config.idPrefix + "-job-timer"));
        this.startedJobs = config.trackRepeatedStarts ? ConcurrentHashMap.newKeySet() : null;
        for (int i = 0; i < config.agents; i++) {
            agents.add(new SimAgent(this, config.idPrefix + "-" + i, channels.get(i)));
        }
    }

    public static Builder builder(int port) {
        return new Builder(port);
    }

    /**
     * Connects every agent, {@code perSecond} new streams a second, and waits until all are welcomed.
     * Returns how long that took; throws when they are not all welcomed within {@code timeout}.
     */
    public Duration connect(int perSecond, Duration timeout) {
        long start = System.nanoTime();
        long gapNanos = perSecond <= 0 ? 0 : 1_000_000_000L / perSecond;
        for (int i = 0; i < agents.size(); i++) {
            sleepUntil(start + i * gapNanos);
            agents.get(i).connect();
        }
        if (!awaitOnline(agents.size(), timeout.minusNanos(System.nanoTime() - start))) {
            throw new IllegalStateException(online.get() + " of " + agents.size() + " agents welcomed within "
                                            + timeout.toSeconds() + " s; first problems: " + firstProblems);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Waits until at least {@code count} agents are welcomed; false at the deadline. */
    public boolean awaitOnline(int count, Duration timeout) {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        while (online.get() < count) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            sleepMillis(5);
        }
        return true;
    }

    /**
     * Starts heartbeating every Welcome.heartbeat_interval; each agent gets a random phase so the
     * fleet's heartbeats spread evenly over the interval, as independent agents' would.
     */
    public synchronized void startHeartbeats() {
        if (heartbeatTask != null) {
            return;
        }
        long[] next = new long[agents.size()];
        long now = System.nanoTime();
        for (int i = 0; i < next.length; i++) {
            next[i] = now + ThreadLocalRandom.current().nextLong(heartbeatIntervalNanos);
        }
        heartbeatTask = heartbeatThread.scheduleAtFixedRate(() -> {
            long t = System.nanoTime();
            long interval = heartbeatIntervalNanos;
            for (int i = 0; i < next.length; i++) {
                if (t - next[i] >= 0) {
                    agents.get(i).heartbeat();
                    next[i] += interval;
                    if (t - next[i] >= 0) {
                        next[i] = t + interval;
                    }
                }
            }
        }, 20, 20, TimeUnit.MILLISECONDS);
    }

    /** The clock that assigned jobs are timed on (a new one per measured run). */
    public void clock(JobClock clock) {
        this.clock = clock;
    }

    JobClock clock() {
        return clock;
    }

    /** Whether agents whose stream breaks reconnect (true by default). */
    public void reconnects(boolean value) {
        this.reconnects = value;
    }

    boolean reconnects() {
        return reconnects;
    }

    public int size() {
        return agents.size();
    }

    /** The heartbeat interval the server announced in Welcome (3 s until the first Welcome). */
    public Duration heartbeatInterval() {
        return Duration.ofNanos(heartbeatIntervalNanos);
    }

    public int online() {
        return online.get();
    }

    /** Counts an Assign of {@code jobId} as a repeated start when some agent of the fleet was assigned it before. */
    void started(String jobId) {
        if (startedJobs != null && !startedJobs.add(jobId)) {
            counters.repeatedStarts.increment();
        }
    }

    public FleetCounters counters() {
        return counters;
    }

    /** Up to ten problems (refusals, lost sessions) with the agent and the server's words. */
    public List<String> firstProblems() {
        return List.copyOf(firstProblems);
    }

    /** Jobs the agents are running right now. */
    public int runningJobs() {
        int n = 0;
        for (SimAgent agent : agents) {
            n += agent.jobCount();
        }
        return n;
    }

    /** The ids of the jobs agent {@code i} runs. */
    public List<String> jobsOf(int i) {
        return agents.get(i).jobIds();
    }

    /** Agent {@code i} reports progress on one of its jobs; false when it has none or is offline. */
    public boolean progress(int i, String jobId, Map<String, Double> gauges) {
        return agents.get(i).progress(jobId, gauges);
    }

    public String agentId(int i) {
        return agents.get(i).id();
    }

    String token() {
        return config.token;
    }

    int slots() {
        return config.slots;
    }

    Map<String, String> labels() {
        return config.labels;
    }

    long jobDurationNanos() {
        return config.jobDuration.toNanos();
    }

    ScheduledExecutorService jobTimer() {
        return jobTimer;
    }

    void welcomed(SimAgent agent, Welcome welcome) {
        counters.welcomes.increment();
        if (welcome.hasHeartbeatInterval()) {
            heartbeatIntervalNanos = welcome.getHeartbeatInterval().getSeconds() * 1_000_000_000L
                                     + welcome.getHeartbeatInterval().getNanos();
        }
        online.incrementAndGet();
    }

    void streamClosed(SimAgent agent, Status status, boolean wasWelcomed, boolean leaving) {
        if (wasWelcomed) {
            online.decrementAndGet();
        }
        if (!leaving) {
            counters.sessionsLost.increment();
            problem(agent.id() + ": stream ended " + status.getCode()
                    + (status.getDescription() == null ? "" : " \"" + status.getDescription() + "\""));
        }
    }

    void errorReceived(String agentId, Error error) {
        counters.errors.increment();
        problem(agentId + ": Error " + error.getCode() + " \"" + error.getMessage() + "\"");
    }

    private void problem(String text) {
        if (firstProblems.size() < 10) {
            firstProblems.add(text);
        }
    }

    /** Every agent leaves (Goodbye), without reconnecting. */
    @Override
    public void close() {
        reconnects = false;
        synchronized (this) {
            if (heartbeatTask != null) {
                heartbeatTask.cancel(false);
            }
        }
        agents.forEach(SimAgent::leave);
        sleepMillis(200);
        heartbeatThread.shutdownNow();
        jobTimer.shutdownNow();
        channels.close();
    }

    /** Every agent drops its stream without a Goodbye and keeps its jobs (a crash or network cut). */
    public void vanish() {
        reconnects = false;
        agents.forEach(SimAgent::vanish);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    static void sleepUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
    }

    static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How the fleet is made. */
    public static final class Builder {
        private final int port;
        private int agents = 10;
        private int slots = 1;
        private int connections = Integer.MAX_VALUE;
        private int eventLoopThreads = 2;
        private Duration jobDuration = Duration.ZERO;
        private String idPrefix = "agent";
        private String token = dev.baton.bench.server.ServerTarget.TOKEN;
        private Map<String, String> labels = Map.of();
        private boolean trackRepeatedStarts;

        private Builder(int port) {
            this.port = port;
        }

        public Builder agents(int n) {
            checkPositive("agents", n);
            agents = n;
            return this;
        }

        public Builder slots(int n) {
            checkPositive("slots", n);
            slots = n;
            return this;
        }

        /** gRPC connections the agents' streams are spread over (default: one per agent). */
        public Builder connections(int n) {
            checkPositive("connections", n);
            connections = n;
            return this;
        }

        public Builder eventLoopThreads(int n) {
            checkPositive("eventLoopThreads", n);
            eventLoopThreads = n;
            return this;
        }

        /** How long a job runs before the agent reports STOPPED; zero sends RUNNING and STOPPED back to back. */
        public Builder jobDuration(Duration d) {
            requireNonNull(d, "jobDuration");
            if (d.isNegative()) {
                throw new IllegalArgumentException("jobDuration: " + d + " (expected: >= 0)");
            }
            jobDuration = d;
            return this;
        }

        public Builder idPrefix(String prefix) {
            idPrefix = requireNonNull(prefix, "idPrefix");
            return this;
        }

        public Builder token(String t) {
            token = requireNonNull(t, "token");
            return this;
        }

        public Builder labels(Map<String, String> l) {
            labels = Map.copyOf(l);
            return this;
        }

        /** Remember every job id assigned, to count a job started twice (see {@link FleetCounters#repeatedStarts}). */
        public Builder trackRepeatedStarts() {
            trackRepeatedStarts = true;
            return this;
        }

        public SimFleet build() {
            return new SimFleet(this);
        }

        private static void checkPositive(String name, int n) {
            if (n < 1) {
                throw new IllegalArgumentException(name + ": " + n + " (expected: >= 1)");
            }
        }
    }
}
