package dev.baton.server.engines;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.util.Durations;

import dev.baton.proto.v1.Endpoint;
import dev.baton.proto.v1.HealthProbe;
import dev.baton.proto.v1.PortSpec;
import dev.baton.server.control.ControlLoop;

/**
 * Runs the health probes of engines' ports once their agent has connected: each probed port every
 * interval (on the loop's scheduler, so on the injected time), the check itself on a small executor
 * of its own (never on the control loop). {@code failureThreshold} failures in a row make the port
 * UNHEALTHY and the {@link Listener} is told; a pass afterwards makes it HEALTHY again. A probe's
 * settings are read from the pool at each run, so an updated probe applies without a replacement.
 */
final class EngineProber implements AutoCloseable {

    /** Told about health changes, on the loop. */
    interface Listener {
        void portFailed(EngineRecord engine, String port, String why);

        void portPassed(EngineRecord engine);
    }

    private final ControlLoop loop;
    private final EngineRegistry registry;
    private final ThreadPoolExecutor executor;
    private final Listener listener;
    private volatile boolean closed;

    EngineProber(ControlLoop loop, EngineRegistry registry, int threads, Listener listener) {
        this.loop = loop;
        this.registry = registry;
        this.listener = listener;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024),
                                               r -> {
                                                   Thread t = new Thread(r, "engine-probe-" + n.incrementAndGet());
                                                   t.setDaemon(true);
                                                   return t;
                                               });
    }

    /** Starts probing the engine's probed ports that are not probed yet. On the loop. */
    void start(EngineRecord engine) {
        PoolRecord pool = registry.pool(engine.pool());
        if (pool == null || closed) {
            return;
        }
        for (PortSpec port : pool.spec().getPortsList()) {
            String name = port.getName();
            if (port.hasProbe() && engine.ports.containsKey(name) && !engine.portHealth.containsKey(name)) {
                PortHealth health = new PortHealth();
                engine.portHealth.put(name, health);
                loop.execute(() -> probe(engine, name, health));
            }
        }
    }

    private void probe(EngineRecord engine, String name, PortHealth health) {
        health.timer = null;
        if (!current(engine, name, health) || engine.removing) {
            return;
        }
        PortSpec port = portOf(engine, name);
        if (port == null || !port.hasProbe()) {
            // The pool was deleted or the probe taken out of its spec.
            engine.portHealth.remove(name);
            registry.changed(engine);
            return;
        }
        HealthProbe probe = port.getProbe();
        int hostPort = engine.ports.get(name);
        Duration timeout = Duration.ofMillis(Durations.toMillis(probe.getTimeout()));
        try {
            executor.execute(() -> {
                String failure = PortProbe.check(probe, hostPort, timeout);
                loop.execute(() -> result(engine, name, health, probe, failure));
            });
        } catch (RejectedExecutionException e) {
            // Too many probes queued: skip this round rather than count it against the engine.
            next(engine, name, health, probe);
        }
    }

    private void result(EngineRecord engine, String name, PortHealth health, HealthProbe probe, String failure) {
        if (!current(engine, name, health)) {
            return;
        }
        if (failure == null) {
            health.failuresInRow = 0;
            health.lastError = "";
            if (health.health != Endpoint.Health.HEALTHY) {
                health.health = Endpoint.Health.HEALTHY;
                registry.changed(engine);
                listener.portPassed(engine);
            }
        } else {
            health.failuresInRow++;
            health.lastError = failure;
            if (health.failuresInRow >= probe.getFailureThreshold() && health.health != Endpoint.Health.UNHEALTHY) {
                health.health = Endpoint.Health.UNHEALTHY;
                registry.changed(engine);
                listener.portFailed(engine, name, failure + " (" + health.failuresInRow + " times in a row)");
            }
        }
        next(engine, name, health, probe);
    }

    private void next(EngineRecord engine, String name, PortHealth health, HealthProbe probe) {
        if (!closed && current(engine, name, health)) {
            Duration interval = Duration.ofMillis(Durations.toMillis(probe.getInterval()));
            health.timer = loop.schedule(interval, () -> probe(engine, name, health));
        }
    }

    private boolean current(EngineRecord engine, String name, PortHealth health) {
        return !closed && registry.engine(engine.id()) == engine && engine.portHealth.get(name) == health;
    }

    private PortSpec portOf(EngineRecord engine, String name) {
        PoolRecord pool = registry.pool(engine.pool());
        if (pool == null) {
            return null;
        }
        for (PortSpec port : pool.spec().getPortsList()) {
            if (port.getName().equals(name)) {
                return port;
            }
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
    }
}
