package dev.baton.server.jobs;

import java.util.Map;

import dev.baton.proto.v1.JobRequirements;
import dev.baton.server.fleet.AgentRecord;

/** Whether an agent could ever run a job's requirements (labels, pool, total slots). */
final class Placement {

    private Placement() {}

    static boolean labelsMatch(AgentRecord agent, JobRequirements requirements) {
        if (requirements.getLabelsCount() == 0 && requirements.getPool().isEmpty()) {
            // Most jobs ask for nothing: skip the iterator over an empty map, once per agent considered.
            return true;
        }
        Map<String, String> labels = agent.labels();
        for (Map.Entry<String, String> required : requirements.getLabelsMap().entrySet()) {
            if (!required.getValue().equals(labels.get(required.getKey()))) {
                return false;
            }
        }
        return requirements.getPool().isEmpty()
               || requirements.getPool().equals(labels.get(PoolCapacity.POOL_LABEL));
    }

    static int slotsOf(JobRequirements requirements) {
        return Math.max(1, requirements.getSlots());
    }

    /** "gpu=true, zone=a" and "pool=x", for messages. */
    static String describe(JobRequirements requirements) {
        StringBuilder sb = new StringBuilder();
        requirements.getLabelsMap().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append('=').append(e.getValue());
        });
        return sb.toString();
    }
}
