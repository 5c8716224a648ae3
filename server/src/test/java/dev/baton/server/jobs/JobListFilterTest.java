package dev.baton.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobAttempt;
import dev.baton.proto.v1.JobRequirements;

/** A packed job is selected exactly as the same job parsed, for every filter ListJobs takes. */
class JobListFilterTest {

    private static final List<JobListFilter> FILTERS = List.of(
            filter(Set.of(), "", "", Map.of()),
            filter(Set.of(Job.Status.STOPPED), "", "", Map.of()),
            filter(Set.of(), "a1", "", Map.of()),
            filter(Set.of(), "", "t1", Map.of()),
            filter(Set.of(), "", "", Map.of("team", "a")),
            filter(Set.of(), "", "", Map.of("team", "a", "tier", "gold")),
            filter(Set.of(), "", "", Map.of("team", "")),
            filter(Set.of(Job.Status.FAILED), "a1", "t1", Map.of("team", "a")));

    @Test
    void packedAndParsedJobsAreSelectedAlike() {
        List<byte[]> jobs = new ArrayList<>();
        jobs.add(job("j1", "a1", "t1", Map.of("team", "a")).toByteArray());
        jobs.add(job("j2", "a2", "", Map.of("team", "b", "tier", "gold")).toByteArray());
        jobs.add(job("j3", "", "t1", Map.of("team", "a", "tier", "gold")).toByteArray());
        jobs.add(job("j4", "a1", "t2", Map.of()).toByteArray());
        // Requirements carry labels and an agent id of their own, which must not count as the job's.
        jobs.add(job("j5", "", "", Map.of()).toBuilder()
                 .setRequirements(JobRequirements.newBuilder().putLabels("team", "a")).build().toByteArray());
        // Two snapshots back to back parse as one: the later value of a field and of a map key wins.
        jobs.add(concat(job("j6", "a9", "t9", Map.of("team", "z")).toByteArray(),
                        job("j6", "a1", "t1", Map.of("team", "a")).toByteArray()));
        jobs.add(concat(job("j7", "a1", "t1", Map.of("team", "a")).toByteArray(),
                        Job.newBuilder().putLabels("team", "b").build().toByteArray()));

        int selected = 0;
        for (byte[] bytes : jobs) {
            Job parsed = parse(bytes);
            JobRecord live = new JobRecord(parsed, 1);
            JobRecord packed = JobRecord.packed(parsed.getId(), 1, parsed.getStatus(), bytes);
            for (JobListFilter filter : FILTERS) {
                boolean expected = filter.accepts(live);
                assertThat(filter.accepts(packed)).as(parsed.getId() + " " + FILTERS.indexOf(filter)).isEqualTo(expected);
                selected += expected ? 1 : 0;
            }
        }
        assertThat(selected).as("some of each").isBetween(10, 40);
    }

    private static JobListFilter filter(Set<Job.Status> statuses, String agentId, String templateId,
                                        Map<String, String> labels) {
        return new JobListFilter(statuses, agentId, templateId, labels);
    }

    private static Job job(String id, String agentId, String templateId, Map<String, String> labels) {
        return Job.newBuilder().setId(id).setStatus(Job.Status.STOPPED).setAgentId(agentId).setTemplateId(templateId)
                  .putAllLabels(labels).setCreatedAt(Timestamps.fromMillis(1_700_000_000_000L))
                  .setConfig(Struct.newBuilder().putFields("team", Value.newBuilder().setStringValue("a").build()))
                  .addAttempts(JobAttempt.newBuilder().setAttempt(1).setAgentId("a1"))
                  .build();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static Job parse(byte[] bytes) {
        try {
            return Job.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
