package dev.baton.server.engines;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.Engine;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.jobs.JobRecord;
import dev.baton.server.time.TimeSource;

/**
 * Every AUTOSCALE_INTERVAL_S, and at once when an engine becomes busy or free: for each pool, ensure
 * the image, mark drifted and pruned engines, ask {@link EnginePoolAutoscaler} for a plan and carry it
 * out. Engines of deleted pools are drained and removed once empty. Nothing is created or removed
 * before the monitor's first listing (so a restart adopts instead of duplicating) or while Docker
 * does not answer.
 */
final class AutoscaleLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AutoscaleLoop.class);

    private final ControlPlane plane;
    private final EngineRegistry registry;
    private final EngineLifecycle lifecycle;
    private final ImageEnsurer images;
    private final EngineSettings settings;
    private final EngineMetrics metrics;
    private final Duration interval;
    private final Runnable afterPass;
    private boolean queued;
    private TimeSource.Timer timer;
    private volatile boolean closed;

    AutoscaleLoop(ControlPlane plane, EngineRegistry registry, EngineLifecycle lifecycle, ImageEnsurer images,
                  EngineSettings settings, EngineMetrics metrics, Duration interval,
                  Runnable afterPass) {
        this.plane = plane;
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.images = images;
        this.settings = settings;
        this.metrics = metrics;
        this.interval = interval;
        this.afterPass = afterPass;
    }

    void start() {
        schedule();
    }

    /** Runs a pass soon (coalesced). Any thread. */
    void requestPass() {
        plane.loop().execute(() -> {
            if (queued || closed) {
                return;
            }
            queued = true;
            plane.loop().execute(() -> {
                queued = false;
                pass();
            });
        });
    }

    private void schedule() {
        if (!closed) {
            timer = plane.loop().schedule(interval, () -> {
                pass();
                schedule();
            });
        }
    }

    void pass() {
        if (closed || !registry.hosts().settled()) {
            return;
        }
        metrics.autoscalePass();
        Instant now = plane.loop().time().now();
        boolean dockerOk = registry.hosts().anyUsable();
        for (EngineRecord e : new ArrayList<>(registry.engines())) {
            if (registry.pool(e.pool()) == null && registry.hosts().usable(e.host())) {
                lifecycle.retire(e, "its pool was deleted");
                if (!e.hasJobs()) {
                    lifecycle.remove(e, "pool-deleted", "its pool was deleted");
                }
            }
        }
        for (PoolRecord pool : new ArrayList<>(registry.pools())) {
            if (dockerOk) {
                scale(pool, now);
            }
            registry.publish(pool);
        }
        metrics.counts(registry.counts());
        afterPass.run();
    }

    private void scale(PoolRecord pool, Instant now) {
        // Creation waits until every host that could take an engine has had its image checked: placing
        // before would crowd the first host to answer.
        boolean imageReady = false;
        boolean imagesChecked = true;
        for (HostRecord host : registry.hosts().matching(pool.spec().getHostLabelsMap())) {
            if (host.ready() && host.placement() == DockerHost.State.ENABLED) {
                images.ensure(pool, host);
                imageReady |= pool.imageReadyOn(host.name());
                imagesChecked &= pool.image(host.name()).state != HostImage.State.UNKNOWN;
            }
        }
        imageReady &= imagesChecked;
        List<EngineRecord> engines = registry.enginesOf(pool.name());
        for (EngineRecord e : engines) {
            if (e.replaceDue && !e.hasJobs()) {
                lifecycle.remove(e, "unhealthy", "replaced: " + e.unhealthyReason);
            }
        }
        int moved = HostDrain.mark(pool, engines, registry.hosts());
        int drifted = DriftDetector.mark(pool, engines);
        int pruned = EnginePruner.mark(pool, engines, settings.replaceBatch(), now);
        if (drifted > 0) {
            metrics.outdated(pool.name(), "drift");
        }
        if (pruned > 0) {
            metrics.outdated(pool.name(), "pruned");
        }
        if (moved > 0) {
            metrics.outdated(pool.name(), "host");
        }
        List<EnginePoolAutoscaler.EngineView> views = new ArrayList<>(engines.size());
        int starting = 0;
        for (EngineRecord e : engines) {
            views.add(new EnginePoolAutoscaler.EngineView(e.id(), e.state(), e.outdatedReason != null, e.hasJobs(),
                                                          e.emptySince));
            if (e.state() == Engine.State.STARTING) {
                starting++;
            }
        }
        int allowance = imageReady ? pool.breaker.allowance(now, settings.burst(), starting) : 0;
        var limits = new EnginePoolAutoscaler.Limits(pool.spec().getMinFree(), pool.spec().getMaxEngines(),
                                                     pool.grace(), settings.burst(), settings.replaceBatch());
        int pending = pendingEngines(pool);
        var plan = EnginePoolAutoscaler.plan(limits, views, allowance, pending, pool.surplusSince, now);
        pool.surplusSince = plan.surplusSince();
        pool.waiting = plan.waiting();
        if (plan.create() == 0) {
            pool.portProblem = "";
        }
        if (plan.idle() && drifted == 0 && pruned == 0 && moved == 0) {
            return;
        }
        log.info("event=autoscale pool={} free={} used={} starting={} total={} pending_jobs_engines={} create={} "
                 + "remove={} drain={} drifted={} pruned={} host_moves={}", pool.name(),
                 count(views, Engine.State.FREE), count(views, Engine.State.USED), starting, views.size(), pending,
                 plan.create(), plan.remove().size(), plan.drain().size(), drifted, pruned, moved);
        for (String id : plan.drain()) {
            EngineRecord e = registry.engine(id);
            lifecycle.retire(e, e.outdatedReason == null ? "replaced" : e.outdatedReason);
        }
        for (String id : plan.remove()) {
            EngineRecord e = registry.engine(id);
            if (e.outdatedReason != null) {
                lifecycle.remove(e, "replaced-" + e.outdatedKind, "replaced: " + e.outdatedReason);
            } else if (e.retiring || e.agentDrained) {
                lifecycle.remove(e, "drained", e.reason.isEmpty() ? "drained" : e.reason);
            } else {
                lifecycle.remove(e, "surplus", "surplus free engine (empty longer than the grace period "
                                               + pool.grace().toSeconds() + "s)");
            }
        }
        int created = 0;
        while (created < plan.create() && lifecycle.create(pool)) {
            created++; // create() is false when a port range is full; the pool's status then says which
        }
    }

    /** Engines that jobs waiting for this pool need (their slots over the engine's slots, rounded up). */
    private int pendingEngines(PoolRecord pool) {
        int slots = 0;
        for (JobRecord job : plane.jobBook().ready()) {
            if (pool.name().equals(job.job().getRequirements().getPool())) {
                slots += job.slots();
            }
        }
        int perEngine = Math.max(1, pool.spec().getSlots());
        return (slots + perEngine - 1) / perEngine;
    }

    private static int count(List<EnginePoolAutoscaler.EngineView> views, Engine.State state) {
        int n = 0;
        for (var v : views) {
            if (v.state() == state) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        closed = true;
        if (timer != null) {
            timer.cancel();
        }
    }
}
