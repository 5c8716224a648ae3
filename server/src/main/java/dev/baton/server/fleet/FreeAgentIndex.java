package dev.baton.server.fleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Online, undrained agents that have at least one free slot, least loaded first (used/slots, then
 * id), so that placing a job costs O(log agents) instead of a scan of the fleet. Owned by the
 * control loop.
 *
 * <p>An agent is re-filed whenever its load or availability changes ({@link #update}). The sort key
 * is copied into the record when it is filed, so the set stays ordered even while the live fields
 * move; {@link #first} still checks the live state and drops an entry that went stale (a session
 * closed by the transport before the loop heard of it).
 */
public final class FreeAgentIndex {

    /** used/slots ascending, compared exactly (no floating point), then id: the old scan's tie-break. */
    private static final Comparator<AgentRecord> LEAST_LOADED = (a, b) -> {
        int byLoad = Long.compare((long) a.indexedUsed * b.indexedSlots, (long) b.indexedUsed * a.indexedSlots);
        return byLoad != 0 ? byLoad : a.id.compareTo(b.id);
    };

    private final NavigableSet<AgentRecord> free = new TreeSet<>(LEAST_LOADED);

    /** Files {@code agent} under its current load, or removes it when it has no free slot. */
    public void update(AgentRecord agent) {
        if (agent.indexed) {
            free.remove(agent);
            agent.indexed = false;
        }
        if (agent.freeSlots() > 0) {
            agent.indexedUsed = agent.usedSlots;
            agent.indexedSlots = agent.slots;
            agent.indexed = true;
            free.add(agent);
        }
    }

    /** The least-loaded agent with at least {@code slots} free slots that {@code accepts}, or null. */
    public AgentRecord first(int slots, Predicate<AgentRecord> accepts) {
        List<AgentRecord> stale = null;
        AgentRecord found = null;
        for (AgentRecord agent : free) {
            int freeSlots = agent.freeSlots();
            if (freeSlots == 0) {
                if (stale == null) {
                    stale = new ArrayList<>();
                }
                stale.add(agent);
                continue;
            }
            if (freeSlots >= slots && accepts.test(agent)) {
                found = agent;
                break;
            }
        }
        if (stale != null) {
            stale.forEach(this::update);
        }
        return found;
    }

    /** True when no agent has a free slot (stale entries aside: {@link #first} still checks). */
    public boolean isEmpty() {
        return free.isEmpty();
    }

    public int size() {
        return free.size();
    }
}
