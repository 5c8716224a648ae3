package dev.baton.server.engines;

import java.util.List;

/**
 * Marks engines whose config-hash label differs from the pool's current hash as outdated (and clears
 * the mark if the spec changes back); the autoscaler replaces them a few at a time, never below min free.
 */
final class DriftDetector {

    private DriftDetector() {}

    /** Returns how many engines were newly marked. */
    static int mark(PoolRecord pool, List<EngineRecord> engines) {
        int marked = 0;
        for (EngineRecord e : engines) {
            boolean drifted = !e.configHash().equals(pool.configHash());
            if (drifted && (e.outdatedReason == null || "drift".equals(e.outdatedKind))) {
                marked += e.outdatedReason == null ? 1 : 0;
                e.outdatedKind = "drift";
                e.outdatedReason = "config changed (hash " + e.configHash() + " → " + pool.configHash() + ")";
            } else if (!drifted && "drift".equals(e.outdatedKind)) {
                e.outdatedKind = null;
                e.outdatedReason = null;
            }
        }
        return marked;
    }
}
