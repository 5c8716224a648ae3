package dev.baton.server.engines;

import java.time.Instant;
import java.util.List;

import dev.baton.proto.v1.Engine;

/**
 * Marks engines that have been idle longer than the pool's idle TTL, or are older than its max age,
 * as outdated; the autoscaler then drains and replaces them while keeping min free. Throttled: a
 * pool never has more than its replacement batch marked by the pruner at once.
 */
final class EnginePruner {

    private EnginePruner() {}

    /** Returns how many engines were marked. */
    static int mark(PoolRecord pool, List<EngineRecord> engines, int batch, Instant now) {
        boolean idleTtl = !pool.idleTtl().isZero();
        boolean maxAge = !pool.maxAge().isZero();
        if (!idleTtl && !maxAge) {
            return 0;
        }
        int budget = batch;
        for (EngineRecord e : engines) {
            if (e.outdatedReason != null && !"drift".equals(e.outdatedKind)) {
                budget--;
            }
        }
        int marked = 0;
        for (EngineRecord e : engines) {
            if (budget <= 0) {
                break;
            }
            if (e.outdatedReason != null || e.retiring || e.removing) {
                continue;
            }
            if (maxAge && !e.createdAt().plus(pool.maxAge()).isAfter(now)) {
                e.outdatedKind = "age";
                e.outdatedReason = "older than max age " + pool.maxAge().toSeconds() + "s";
            } else if (idleTtl && e.state() == Engine.State.FREE && e.emptySince != null
                       && !e.emptySince.plus(pool.idleTtl()).isAfter(now)) {
                e.outdatedKind = "idle";
                e.outdatedReason = "idle longer than idle TTL " + pool.idleTtl().toSeconds() + "s";
            } else {
                continue;
            }
            budget--;
            marked++;
        }
        return marked;
    }
}
