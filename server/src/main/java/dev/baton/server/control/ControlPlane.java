package dev.baton.server.control;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.proto.v1.Job;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.fleet.AgentProtocol;
import dev.baton.server.fleet.Fleet;
import dev.baton.server.fleet.FleetMetrics;
import dev.baton.server.fleet.FleetOperations;
import dev.baton.server.fleet.HeartbeatMonitor;
import dev.baton.server.jobs.IdempotencyIndex;
import dev.baton.server.jobs.JobBook;
import dev.baton.server.jobs.JobLifecycle;
import dev.baton.server.jobs.JobQueries;
import dev.baton.server.jobs.JobRecordLoader;
import dev.baton.server.jobs.JobScheduler;
import dev.baton.server.jobs.JobSubmission;
import dev.baton.server.jobs.PoolCapacity;
import dev.baton.server.jobs.RestartBackoff;
import dev.baton.server.jobs.TemplateRegistry;
import dev.baton.server.store.BatonStore;
import dev.baton.server.store.StoreWrite;
import dev.baton.server.store.StoredState;
import dev.baton.server.time.TimeSource;
import dev.baton.server.watch.WatchHub;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The control state and the domain services that act on it, wired around one {@link ControlLoop}.
 * Start-up loads the stored state: queued jobs go back to the queue, jobs that were on agents wait
 * for their agents as UNKNOWN (the lost-after window) before restart policies apply.
 */
public final class ControlPlane implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
    private static final Duration IDEMPOTENCY_SWEEP = Duration.ofMinutes(10);

    private final BatonConfig config;
    private final BatonStore store;
    private final ControlLoop loop;
    private final WatchHub hub;
    private final Fleet fleet;
    private final JobBook book;
    private final TemplateRegistry templates;
    private final IdempotencyIndex idempotency = new IdempotencyIndex();
    private final JobLifecycle lifecycle;
    private final JobScheduler scheduler;
    private final JobSubmission submission;
    private final JobQueries queries;
    private final AgentProtocol agentProtocol;
    private final FleetOperations fleetOperations;
    private final HeartbeatMonitor heartbeats;
    private final FleetMetrics fleetMetrics;
    private final dev.baton.server.logs.JobLogs logs;
    private final List<java.util.function.Consumer<StoredState>> recoveryHooks = new java.util.ArrayList<>();
    private volatile boolean shuttingDown;

    public ControlPlane(BatonConfig config, TimeSource time, BatonStore store, MeterRegistry registry,
                        PoolCapacity pools) {
        this.config = config;
        this.store = store;
        this.loop = new ControlLoop(time);
        this.hub = new WatchHub(loop, 10_000);
        this.fleet = new Fleet(time, hub);
        this.book = new JobBook(loop::execute);
        fleet.jobStatusLookup(book::statusOf);
        this.templates = new TemplateRegistry(loop, store, config.maxInlineConfigBytes());
        this.lifecycle = new JobLifecycle(config, loop, book, fleet, hub, store,
                                          new RestartBackoff(config.restartBackoffBase(), config.restartBackoffMax(),
                                                             new Random()));
        this.scheduler = new JobScheduler(loop, book, fleet, lifecycle);
        lifecycle.onSchedulingNeeded(scheduler::requestPass);
        this.submission = new JobSubmission(config, loop, book, fleet, templates, idempotency, lifecycle, store, hub,
                                            pools);
        this.queries = new JobQueries(loop, book, lifecycle, store);
        this.fleetMetrics = new FleetMetrics(registry);
        this.logs = new dev.baton.server.logs.JobLogs(config.logLimits(), loop, store, hub, book, lifecycle, registry);
        recoveryHooks.add(logs::recover);
        this.agentProtocol = new AgentProtocol(config, loop, fleet, lifecycle, scheduler, fleetMetrics, logs);
        this.fleetOperations = new FleetOperations(loop, fleet, lifecycle, scheduler);
        this.heartbeats = new HeartbeatMonitor(config, loop, fleet, agentProtocol);
        StateGauges.register(registry, loop, fleet, book);
        StateGauges.registerBacklogs(registry, loop, store);
    }

    /** Runs {@code hook} on the loop with the stored state at start-up (e.g. to restore pools). */
    public void onRecovery(java.util.function.Consumer<StoredState> hook) {
        recoveryHooks.add(hook);
    }

    /**
     * Recovers {@code state}, already read from the store, with its finished jobs indexed beforehand
     * off the loop ({@link JobBook#index}: the server does both while Armeria is built), then starts
     * the timers.
     */
    public void start(StoredState state, JobBook.FinishedIndex finished) {
        loop.call(() -> {
            recover(state, finished);
            return null;
        }).join();
        heartbeats.start();
        logs.start();
        loop.schedule(IDEMPOTENCY_SWEEP, this::expireIdempotencyKeys);
    }

    private void recover(StoredState state, JobBook.FinishedIndex finished) {
        templates.load(state.templates());
        state.idempotencyKeys().forEach(idempotency::put);
        book.addFinished(finished);
        int waiting = 0;
        int onAgents = 0;
        for (StoredState.StoredJob stored : state.jobs()) {
            var record = JobRecordLoader.load(book, stored.job(), stored.sequence());
            Job job = stored.job();
            if (job.getStatus() == Job.Status.PENDING || job.getStatus() == Job.Status.CREATED) {
                JobRecordLoader.requeue(lifecycle, record);
                waiting++;
            } else if (!job.getAgentId().isEmpty() && !dev.baton.server.jobs.JobStateMachine.isTerminal(job.getStatus())) {
                lifecycle.awaitReturn(record, fleet.getOrCreate(job.getAgentId()));
                onAgents++;
            }
        }
        recoveryHooks.forEach(hook -> hook.accept(state));
        fleet.all().forEach(fleet::publish);
        log.info("event=state-recovered jobs={} waiting={} on_agents={} templates={} idempotency_keys={}",
                 state.jobCount(), waiting, onAgents, state.templates().size(), state.idempotencyKeys().size());
    }

    private void expireIdempotencyKeys() {
        int removed = idempotency.expire(loop.time().now());
        if (removed > 0) {
            store.write(List.of(new StoreWrite.ExpireIdempotencyKeys(loop.time().now())));
            log.info("event=idempotency-keys-expired count={}", removed);
        }
        if (!shuttingDown) {
            loop.schedule(IDEMPOTENCY_SWEEP, this::expireIdempotencyKeys);
        }
    }

    public BatonConfig config() { return config; }
    public ControlLoop loop() { return loop; }
    public WatchHub hub() { return hub; }
    public Fleet fleet() { return fleet; }
    public JobBook jobBook() { return book; }
    public TemplateRegistry templates() { return templates; }
    public JobLifecycle lifecycle() { return lifecycle; }
    public JobScheduler scheduler() { return scheduler; }
    public JobSubmission submission() { return submission; }
    public JobQueries queries() { return queries; }
    public JobBook book() { return book; }
    public AgentProtocol agentProtocol() { return agentProtocol; }
    public FleetOperations fleetOperations() { return fleetOperations; }
    public FleetMetrics fleetMetrics() { return fleetMetrics; }
    public dev.baton.server.logs.JobLogs logs() { return logs; }
    public BatonStore store() { return store; }
    public boolean shuttingDown() { return shuttingDown; }

    /** Stops reacting to agents leaving (they are told the server is going), so shutdown changes no job. */
    public void beginShutdown() {
        shuttingDown = true;
        heartbeats.stop();
    }

    @Override
    public void close() {
        beginShutdown();
        loop.call(() -> {
            logs.flushAll(); // the store drains its queue before it closes
            return null;
        }).join();
        loop.close();
        logs.close();
    }
}
