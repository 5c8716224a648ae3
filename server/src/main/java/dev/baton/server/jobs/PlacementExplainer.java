package dev.baton.server.jobs;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

import dev.baton.proto.v1.JobRequirements;
import dev.baton.server.fleet.AgentRecord;

/**
 * Says, in words an operator can act on, why nothing can take a job right now
 * ("no connected agent has label gpu=true; 3 agents connected, 0 match").
 */
final class PlacementExplainer {

    /** The reason when matching agents have room and yet none took the job in this pass. */
    static final String WAITING = "waiting for a matching agent";

    private PlacementExplainer() {}

    static String explain(JobRequirements requirements, Collection<AgentRecord> agents) {
        int connected = 0;
        int matching = 0;
        int draining = 0;
        int tooSmall = 0;
        int busy = 0;
        int slots = Placement.slotsOf(requirements);
        for (AgentRecord agent : agents) {
            if (!agent.online()) {
                continue;
            }
            connected++;
            if (!Placement.labelsMatch(agent, requirements)) {
                continue;
            }
            matching++;
            if (agent.drain()) {
                draining++;
            } else if (agent.slots() < slots) {
                tooSmall++;
            } else if (agent.freeSlots() < slots) {
                busy++;
            }
        }
        String pool = requirements.getPool();
        String labels = Placement.describe(requirements);
        if (connected == 0) {
            return pool.isEmpty() ? "no agent is connected" : "no engine of pool " + pool + " is connected yet";
        }
        if (matching == 0) {
            String wanted = pool.isEmpty() ? "label " + labels
                                           : labels.isEmpty() ? "pool " + pool : "pool " + pool + " and label " + labels;
            return "no connected agent has " + wanted + "; " + connected + " agent" + (connected == 1 ? "" : "s")
                   + " connected, 0 match";
        }
        if (draining == matching) {
            return "all " + matching + " matching agent" + (matching == 1 ? " is" : "s are") + " draining";
        }
        if (tooSmall + draining == matching) {
            return "no matching agent has " + slots + " slots (" + matching + " match, " + tooSmall + " too small)";
        }
        if (busy > 0) {
            return "all " + (matching - draining - tooSmall) + " matching agent" + (matching == 1 ? " is" : "s are")
                   + " busy (" + slots + " free slot" + (slots == 1 ? "" : "s") + " needed)";
        }
        return WAITING;
    }

    /**
     * Why a job waits although matching agents have room: it passes over the agents that let its
     * last offer lapse ({@code avoided}: agent → until when), and says what happened to that offer.
     */
    static String passedOver(Map<String, Instant> avoided, String lastAttemptReason) {
        Instant until = avoided.values().stream().max(Instant::compareTo).orElseThrow();
        return "agent" + (avoided.size() == 1 ? " " : "s ") + String.join(", ", avoided.keySet())
               + " passed over until " + until + (lastAttemptReason.isEmpty() ? "" : " (last attempt: "
               + lastAttemptReason + ")");
    }
}
