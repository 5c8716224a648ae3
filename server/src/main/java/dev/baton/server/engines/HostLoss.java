package dev.baton.server.engines;

import java.time.Duration;
import java.util.ArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.server.control.ControlLoop;

/**
 * Marks a host's engines LOST once it has not answered for ENGINE_HOST_LOST_AFTER_S, so that the
 * autoscaler replaces them on other hosts. When the host answers again its monitor settles each lost
 * engine from the listing: a container that is gone is forgotten, a stopped one removed, a running
 * one drained and removed once empty ({@link EngineLifecycle#returned}). Containers without this
 * instance's label are never listed, so never touched.
 */
final class HostLoss {

    private static final Logger log = LoggerFactory.getLogger(HostLoss.class);

    private final ControlLoop loop;
    private final EngineRegistry registry;
    private final EngineLifecycle lifecycle;
    private final EngineMetrics metrics;
    private final Duration lostAfter;
    private final Runnable autoscaleSoon;

    HostLoss(ControlLoop loop, EngineRegistry registry, EngineLifecycle lifecycle, EngineMetrics metrics,
             Duration lostAfter, Runnable autoscaleSoon) {
        this.loop = loop;
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.metrics = metrics;
        this.lostAfter = lostAfter;
        this.autoscaleSoon = autoscaleSoon;
    }

    /** The host started or stopped answering. On the loop. */
    void changed(HostRecord host) {
        if (host.usable()) {
            if (host.lostTimer != null) {
                host.lostTimer.cancel();
                host.lostTimer = null;
            }
            if (host.lost) {
                host.lost = false;
                log.info("event=host-returned host={} lost_engines={}", host.name(), lostEngines(host));
            }
            return;
        }
        if (host.calls == null || host.lost || host.lostTimer != null) {
            return;
        }
        host.lostTimer = loop.schedule(lostAfter, () -> {
            host.lostTimer = null;
            if (!host.usable() && registry.hosts().get(host.name()) == host) {
                lose(host);
            }
        });
    }

    private void lose(HostRecord host) {
        host.lost = true;
        metrics.hostLost(host.name());
        String why = "host " + host.name() + " unreachable since " + host.state.since() + ": "
                     + host.state.problem();
        int engines = 0;
        for (EngineRecord e : new ArrayList<>(registry.engines())) {
            if (e.host().equals(host.name()) && !e.lost && !e.removing) {
                lifecycle.markLost(e, why);
                engines++;
            }
        }
        log.warn("event=host-lost host={} unreachable_for_s={} engines_lost={} error=\"{}\"", host.name(),
                 lostAfter.toSeconds(), engines, host.state.problem());
        autoscaleSoon.run();
    }

    private long lostEngines(HostRecord host) {
        return registry.engines().stream().filter(e -> e.lost && e.host().equals(host.name())).count();
    }
}
