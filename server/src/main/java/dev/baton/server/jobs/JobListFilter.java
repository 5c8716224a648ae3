package dev.baton.server.jobs;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import dev.baton.proto.v1.Job;

/**
 * Which jobs a ListJobs request selects: statuses, agent, template and labels (empty: any). A
 * finished job is held packed, and a filtered list over a long history would parse every one of
 * them: the filter reads only the fields it compares from the packed bytes (no timestamps, config
 * or attempts), and the caller parses just the jobs it returns.
 */
final class JobListFilter {

    private final Set<Job.Status> statuses;
    private final String agentId;
    private final String templateId;
    private final Map<String, String> labels;

    JobListFilter(Set<Job.Status> statuses, String agentId, String templateId, Map<String, String> labels) {
        this.statuses = statuses;
        this.agentId = agentId;
        this.templateId = templateId;
        this.labels = labels;
    }

    boolean accepts(JobRecord record) {
        if (!statuses.isEmpty() && !statuses.contains(record.status())) {
            return false;
        }
        if (agentId.isEmpty() && templateId.isEmpty() && labels.isEmpty()) {
            return true;
        }
        byte[] packed = record.packedBytes();
        if (packed == null) {
            Job job = record.job();
            return matches(job.getAgentId(), job.getTemplateId(), job.getLabelsMap());
        }
        return matchesPacked(packed);
    }

    private boolean matches(String jobAgentId, String jobTemplateId, Map<String, String> jobLabels) {
        if (!agentId.isEmpty() && !agentId.equals(jobAgentId)) {
            return false;
        }
        if (!templateId.isEmpty() && !templateId.equals(jobTemplateId)) {
            return false;
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!e.getValue().equals(jobLabels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Reads the compared fields as a full parse would (the last occurrence of a field or map key wins). */
    private boolean matchesPacked(byte[] packed) {
        String jobAgentId = "";
        String jobTemplateId = "";
        Map<String, String> jobLabels = new HashMap<>();
        CodedInputStream in = CodedInputStream.newInstance(packed);
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                int field = WireFormat.getTagFieldNumber(tag);
                boolean delimited = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
                if (delimited && field == Job.AGENT_ID_FIELD_NUMBER) {
                    jobAgentId = in.readStringRequireUtf8();
                } else if (delimited && field == Job.TEMPLATE_ID_FIELD_NUMBER) {
                    jobTemplateId = in.readStringRequireUtf8();
                } else if (delimited && field == Job.LABELS_FIELD_NUMBER && !labels.isEmpty()) {
                    readLabel(in, jobLabels);
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("packed job does not parse: " + e.getMessage(), e);
        }
        return matches(jobAgentId, jobTemplateId, jobLabels);
    }

    private static void readLabel(CodedInputStream in, Map<String, String> into) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        String key = "";
        String value = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 1 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                key = in.readStringRequireUtf8();
            } else if (field == 2 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                value = in.readStringRequireUtf8();
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        in.popLimit(limit);
        into.put(key, value);
    }
}
