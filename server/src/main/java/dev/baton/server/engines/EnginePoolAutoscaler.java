package dev.baton.server.engines;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.baton.proto.v1.Engine;

/**
 * Decides, for one pool, which engines to create, drain and remove. A pure function of the pool's
 * limits, its engines and the time, so that its rules are tested in virtual time:
 * <ul>
 *   <li>min FREE: free (plus starting) engines of the current spec ≥ min free + engines wanted by
 *       waiting jobs; used engines do not count, so with min 3 and 2 busy, 5 run;</li>
 *   <li>total ≤ max engines; at most {@code burst} creations per cycle; none while the breaker is open;</li>
 *   <li>a surplus empty engine goes only once the pool has had a surplus, and the engine has been
 *       empty, for the grace period (0: at once); an engine with a job is never removed;</li>
 *   <li>outdated engines (drift, idle TTL, max age) are replaced a few at a time: a replacement is
 *       started first and an outdated free engine removed only while free stays ≥ min free.</li>
 * </ul>
 */
final class EnginePoolAutoscaler {

    /** The pool's knobs. */
    record Limits(int minFree, int maxEngines, Duration grace, int burst, int replaceBatch) {}

    /** One engine as the planner sees it. */
    record EngineView(String id, Engine.State state, boolean outdated, boolean hasJobs, Instant emptySince) {}

    /** What to do this cycle. {@code surplusSince} is handed back in the next cycle. */
    record Plan(int create, List<String> remove, List<String> drain, Instant surplusSince, String waiting) {
        boolean idle() {
            return create == 0 && remove.isEmpty() && drain.isEmpty();
        }
    }

    private EnginePoolAutoscaler() {}

    /**
     * @param allowance creations the breaker (and Docker, and the image) allow now
     * @param pendingEngines engines wanted by jobs that wait for this pool
     * @param surplusSince when the pool last started having more free engines than it needs, or null
     */
    static Plan plan(Limits limits, List<EngineView> engines, int allowance, int pendingEngines, Instant surplusSince,
                     Instant now) {
        List<String> remove = new ArrayList<>();
        List<String> drain = new ArrayList<>();
        int total = 0;
        int free = 0;
        int freeCurrent = 0;
        int startingCurrent = 0;
        int outdated = 0;
        List<EngineView> outdatedFree = new ArrayList<>();
        List<EngineView> currentFree = new ArrayList<>();
        int budget = limits.replaceBatch();
        for (EngineView e : engines) {
            if (e.state() == Engine.State.STOPPING || e.state() == Engine.State.FAILED
                || e.state() == Engine.State.LOST) {
                continue;
            }
            total++;
            if (e.outdated()) {
                outdated++;
            }
            switch (e.state()) {
                case DRAINING -> {
                    if (!e.hasJobs()) {
                        remove.add(e.id());
                    }
                }
                case USED -> {
                    if (e.outdated() && budget > 0) {
                        drain.add(e.id());
                        budget--;
                    }
                }
                case FREE -> {
                    free++;
                    if (e.outdated()) {
                        outdatedFree.add(e);
                    } else {
                        freeCurrent++;
                        currentFree.add(e);
                    }
                }
                case STARTING -> {
                    if (!e.outdated()) {
                        startingCurrent++;
                    }
                }
                default -> { }
            }
        }

        int want = limits.minFree() + pendingEngines;
        int missing = want - (freeCurrent + startingCurrent);
        int room = limits.maxEngines() - total;
        int create = Math.max(0, Math.min(Math.min(missing, room), Math.min(allowance, limits.burst())));

        // Free engines beyond what min free and waiting jobs need; more if the pool is over its maximum.
        int surplus = Math.min(free, Math.max(free - limits.minFree() - pendingEngines, total - limits.maxEngines()));
        Instant since = surplus > 0 ? (surplusSince == null ? now : surplusSince) : null;

        // Outdated free engines first (no grace: they are being replaced), a few per cycle.
        for (EngineView e : outdatedFree) {
            if (surplus == 0 || budget == 0) {
                break;
            }
            remove.add(e.id());
            surplus--;
            budget--;
        }
        boolean poolGraceOver = since != null && !since.plus(limits.grace()).isAfter(now);
        if (surplus > 0 && poolGraceOver) {
            currentFree.sort(Comparator.comparing(EngineView::emptySince,
                                                  Comparator.nullsLast(Comparator.naturalOrder())));
            for (EngineView e : currentFree) {
                if (surplus == 0) {
                    break;
                }
                if (e.emptySince() != null && !e.emptySince().plus(limits.grace()).isAfter(now)) {
                    remove.add(e.id());
                    surplus--;
                }
            }
        }

        String waiting = "";
        if (missing > 0 && room <= 0) {
            waiting = "at max engines (" + limits.maxEngines() + "): " + missing + " more free engine(s) wanted";
            if (outdated > 0) {
                waiting += "; " + outdated + " outdated engine(s) wait for room to be replaced";
            }
        } else if (missing > 0 && allowance == 0) {
            waiting = missing + " more free engine(s) wanted; creation is paused";
        }
        return new Plan(create, remove, drain, since, waiting);
    }
}
