package dev.baton.server.engines;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.baton.server.error.BatonException;

/** The Docker hosts by name. Owned by the control loop. */
final class DockerHosts {

    private final Map<String, HostRecord> hosts = new TreeMap<>();
    private final boolean enabled;

    DockerHosts(boolean enabled) {
        this.enabled = enabled;
    }

    /** False with ENGINES_ENABLED=false: hosts are stored and listed, no Docker call is made. */
    boolean enabled() { return enabled; }

    HostRecord get(String name) { return hosts.get(name); }

    HostRecord require(String name) {
        HostRecord host = hosts.get(name);
        if (host == null) {
            throw BatonException.notFound("host", name);
        }
        return host;
    }

    Collection<HostRecord> all() { return hosts.values(); }

    void put(HostRecord host) {
        hosts.put(host.name(), host);
    }

    HostRecord remove(String name) {
        return hosts.remove(name);
    }

    boolean usable(String name) {
        HostRecord host = hosts.get(name);
        return host != null && host.usable();
    }

    /**
     * True when every host has been checked and every answering host's containers have been listed:
     * only then may the autoscaler act, so that a (re)start adopts containers instead of duplicating.
     */
    boolean settled() {
        for (HostRecord h : hosts.values()) {
            if (h.calls != null && (!h.state.checked() || h.usable() && !h.ready())) {
                return false;
            }
        }
        return true;
    }

    boolean anyUsable() {
        return hosts.values().stream().anyMatch(HostRecord::usable);
    }

    /** Every host as placement sees it for one more engine of {@code pool}. */
    List<HostPlacement.HostView> views(PoolRecord pool, Collection<EngineRecord> engines) {
        List<HostPlacement.HostView> views = new ArrayList<>(hosts.size());
        for (HostRecord h : hosts.values()) {
            int total = 0;
            int ofPool = 0;
            for (EngineRecord e : engines) {
                if (e.host().equals(h.name())) {
                    total++;
                    ofPool += e.pool().equals(pool.name()) ? 1 : 0;
                }
            }
            views.add(new HostPlacement.HostView(h.name(), h.placement(), h.ready(), h.labels(), h.maxEngines(),
                                                 total, ofPool, pool.imageReadyOn(h.name())));
        }
        return views;
    }

    /** Engines Baton has placed on {@code host} (any state). */
    static int enginesOn(String host, Collection<EngineRecord> engines) {
        int n = 0;
        for (EngineRecord e : engines) {
            n += e.host().equals(host) ? 1 : 0;
        }
        return n;
    }

    /** Hosts whose labels include all of {@code selector}. */
    List<HostRecord> matching(Map<String, String> selector) {
        List<HostRecord> result = new ArrayList<>();
        for (HostRecord h : hosts.values()) {
            if (HostPlacement.matches(selector, h.labels())) {
                result.add(h);
            }
        }
        return result;
    }

    /**
     * Null when a host the pool may use answers; otherwise why none does, for a person (the pool is
     * DEGRADED). A cordoned host that answers is not a problem: the pool waits, and says so.
     */
    String problem(Map<String, String> selector) {
        if (!enabled) {
            return "engines are disabled (ENGINES_ENABLED=false)";
        }
        List<HostRecord> matching = matching(selector);
        if (matching.isEmpty()) {
            return hosts.isEmpty() ? "no Docker host is configured"
                                   : "no Docker host has the labels " + HostPlacement.describe(selector);
        }
        List<String> problems = new ArrayList<>();
        for (HostRecord h : matching) {
            if (h.usable()) {
                return null;
            }
            String p = h.state.problem();
            problems.add(matching.size() == 1 && hosts.size() == 1 ? p : "host " + h.name() + ": " + p);
        }
        return String.join("; ", problems);
    }
}
