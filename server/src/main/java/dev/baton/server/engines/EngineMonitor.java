package dev.baton.server.engines;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.server.control.ControlLoop;
import dev.baton.server.time.TimeSource;

/**
 * Converges Baton's engine list with Docker, every MONITOR_INTERVAL_S and at once on a Docker event
 * for this instance's containers: a container removed or stopped outside Baton leaves the list (a
 * stopped one is removed), a labelled container Baton does not know is adopted (after a restart),
 * and each engine gets Docker's live status. Containers without this instance's label are never
 * listed, so never touched. While Docker does not answer, passes back off and the rest of Baton runs.
 */
final class EngineMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EngineMonitor.class);

    private final ControlLoop loop;
    private final EngineRegistry registry;
    private final HostRecord host;
    private final DockerCalls docker;
    private final EngineLifecycle lifecycle;
    private final EngineMetrics metrics;
    private final DockerFailures failures;
    private final String instanceId;
    private final Duration interval;
    private final Duration maxBackoff;
    private final Runnable onPass;
    private boolean inFlight;
    private boolean again;
    private boolean synced;
    private int failuresInRow;
    private TimeSource.Timer timer;
    private Closeable events;
    private boolean eventsStarting;
    private volatile boolean closed;

    EngineMonitor(ControlLoop loop, EngineRegistry registry, HostRecord host, EngineLifecycle lifecycle,
                  EngineMetrics metrics, String instanceId, Duration interval, Duration maxBackoff, Runnable onPass) {
        this.loop = loop;
        this.registry = registry;
        this.host = host;
        this.docker = host.calls;
        this.lifecycle = lifecycle;
        this.metrics = metrics;
        this.failures = host.failures;
        this.instanceId = instanceId;
        this.interval = interval;
        this.maxBackoff = maxBackoff.compareTo(interval) > 0 ? maxBackoff : interval;
        this.onPass = onPass;
    }

    /** True once one listing has been applied: before that, the autoscaler would create what exists. */
    boolean synced() {
        return synced;
    }

    /** Runs a pass now, or right after the one in flight. On the loop. */
    void requestPass() {
        if (closed) {
            return;
        }
        if (inFlight) {
            again = true;
            return;
        }
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        inFlight = true;
        long listedAt = lifecycle.nextSequence();
        boolean askVersion = host.version.isEmpty();
        docker.run(rt -> new Listing(rt.listManaged(instanceId), askVersion ? rt.version() : null),
                   (listing, failure) -> listed(listedAt, listing, failure));
    }

    /** One pass's answer: the containers, and Docker's version when it was asked for. */
    private record Listing(java.util.List<ContainerInfo> containers, String version) {}

    private void listed(long listedAt, Listing listing, DockerFailure failure) {
        inFlight = false;
        if (closed) {
            return;
        }
        if (failure != null) {
            failures.listingFailed(failure);
            failuresInRow++;
            metrics.monitorPass("failed");
            Duration delay = backoff();
            log.info("event=monitor-pass-failed host={} kind={} attempt={} retry_in_ms={} error=\"{}\"", host.name(),
                     failure.kind(), failuresInRow, delay.toMillis(), failure.getMessage());
            schedule(delay);
            onPass.run();
            return;
        }
        failures.answered();
        failuresInRow = 0;
        if (listing.version() != null) {
            host.version = listing.version();
        }
        reconcile(listedAt, listing.containers());
        synced = true;
        metrics.monitorPass("ok");
        followEvents();
        onPass.run();
        if (again) {
            again = false;
            requestPass();
        } else {
            schedule(interval);
        }
    }

    private void reconcile(long listedAt, java.util.List<ContainerInfo> containers) {
        Map<String, ContainerInfo> byEngine = new HashMap<>();
        for (ContainerInfo c : containers) {
            if (EngineLabels.ownedBy(c.labels(), instanceId)) {
                byEngine.put(c.labels().get(EngineLabels.ENGINE_ID), c);
            }
        }
        int vanished = 0;
        for (EngineRecord engine : new ArrayList<>(registry.engines())) {
            if (!engine.host().equals(host.name()) || engine.containerId == null || engine.boundAt > listedAt
                || engine.removing) {
                continue;
            }
            ContainerInfo c = byEngine.get(engine.id());
            if (c == null || !c.id().equals(engine.containerId)) {
                vanished++;
                metrics.vanished(engine.pool());
                log.info("event=engine-vanished pool={} engine={} host={} container={} reason=\"container removed "
                         + "outside Baton\"", engine.pool(), engine.id(), host.name(),
                         EngineLifecycle.shortId(engine.containerId));
                registry.forgetEngine(engine);
                continue;
            }
            if (!c.running()) {
                engine.lost = false;
                lifecycle.containerStopped(engine, c);
                continue;
            }
            if (engine.lost) {
                lifecycle.returned(engine);
                continue;
            }
            if (!"running".equals(engine.dockerStatus)) {
                engine.dockerStatus = "running";
                registry.changed(engine);
            }
        }
        for (ContainerInfo c : byEngine.values()) {
            String engineId = c.labels().get(EngineLabels.ENGINE_ID);
            EngineRecord known = registry.engine(engineId);
            if (known != null && !known.host().equals(host.name())) {
                // The same engine id on two hosts cannot come from Baton; leave the stranger alone.
                log.warn("event=engine-id-on-two-hosts engine={} host={} other_host={} container={} action=none",
                         engineId, known.host(), host.name(), EngineLifecycle.shortId(c.id()));
                continue;
            }
            if (known != null || registry.wasRemoved(c.id())) {
                continue;
            }
            if (c.running()) {
                lifecycle.adopt(host, c);
            } else {
                lifecycle.removeDeadContainer(host, c);
            }
        }
        if (vanished > 0) {
            log.info("event=monitor-pass host={} containers={} vanished={}", host.name(), byEngine.size(), vanished);
        }
    }

    private void followEvents() {
        if (events != null || eventsStarting || closed) {
            return;
        }
        eventsStarting = true;
        docker.run(rt -> rt.followEvents(instanceId, () -> loop.execute(this::requestPass),
                                         why -> loop.execute(() -> eventsEnded(why))),
                   (stream, failure) -> {
                       eventsStarting = false;
                       if (failure != null || closed) {
                           closeQuietly(stream);
                           return;
                       }
                       events = stream;
                       log.debug("event=docker-events-following instance={}", instanceId);
                   });
    }

    private void eventsEnded(String why) {
        closeQuietly(events);
        events = null;
        if (!closed) {
            // The next successful pass follows the events again.
            log.debug("event=docker-events-ended reason=\"{}\"", why);
        }
    }

    private Duration backoff() {
        long factor = 1L << Math.min(failuresInRow - 1, 10);
        Duration delay = interval.multipliedBy(factor);
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }

    private void schedule(Duration delay) {
        if (!closed) {
            timer = loop.schedule(delay, () -> {
                timer = null;
                requestPass();
            });
        }
    }

    @Override
    public void close() {
        closed = true;
        if (timer != null) {
            timer.cancel();
        }
        closeQuietly(events);
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (IOException | RuntimeException ignored) {
                // closing a stream that may be broken already
            }
        }
    }
}
