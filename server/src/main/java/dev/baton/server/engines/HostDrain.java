package dev.baton.server.engines;

import java.util.List;

import dev.baton.proto.v1.DockerHost;

/**
 * Marks a pool's engines as outdated when their host is draining or no longer carries the pool's host
 * labels (and clears the mark when that ends, e.g. on uncordon). The autoscaler then replaces them
 * like drifted engines: the replacement starts on another host first, and an outdated free engine is
 * removed only while the pool keeps its min free; a used one is drained and removed when its jobs end.
 */
final class HostDrain {

    static final String KIND = "host";

    private HostDrain() {}

    /** Returns the engines newly marked. */
    static int mark(PoolRecord pool, List<EngineRecord> engines, DockerHosts hosts) {
        int marked = 0;
        for (EngineRecord e : engines) {
            String why = reason(pool, hosts.get(e.host()));
            if (why != null && (e.outdatedReason == null || KIND.equals(e.outdatedKind))) {
                marked += e.outdatedReason == null ? 1 : 0;
                e.outdatedKind = KIND;
                e.outdatedReason = why;
            } else if (why == null && KIND.equals(e.outdatedKind) && !e.retiring) {
                e.outdatedKind = null;
                e.outdatedReason = null;
            }
        }
        return marked;
    }

    private static String reason(PoolRecord pool, HostRecord host) {
        if (host == null) {
            return null;
        }
        if (host.placement() == DockerHost.State.DRAINING) {
            return "its host " + host.name() + " is draining";
        }
        if (!HostPlacement.matches(pool.spec().getHostLabelsMap(), host.labels())) {
            return "its host " + host.name() + " no longer has the pool's host labels "
                   + HostPlacement.describe(pool.spec().getHostLabelsMap());
        }
        return null;
    }
}
