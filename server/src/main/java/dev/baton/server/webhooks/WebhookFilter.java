package dev.baton.server.webhooks;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.Webhook;
import dev.baton.server.error.BatonException;
import dev.baton.server.jobs.Validation;

/** Which job status changes a subscription receives: the statuses entered, a label selector, a template. */
record WebhookFilter(Set<Job.Status> statuses, Map<String, String> labels, String templateId) {

    /** The statuses a filter may name (every real status). */
    static final String EXPECTED = Stream.of(Job.Status.values())
            .filter(s -> s != Job.Status.STATUS_UNSPECIFIED && s != Job.Status.UNRECOGNIZED)
            .map(Enum::name).collect(Collectors.joining(", "));

    /** The filter of {@code webhook}, or INVALID_ARGUMENT naming the bad field and value. */
    static WebhookFilter of(Webhook webhook) {
        if (webhook.getStatusesCount() == 0) {
            throw BatonException.invalidArgument("webhook.statuses: empty (expected: at least one of %s)", EXPECTED);
        }
        Set<Job.Status> statuses = EnumSet.noneOf(Job.Status.class);
        for (int i = 0; i < webhook.getStatusesCount(); i++) {
            Job.Status status = webhook.getStatuses(i);
            if (status == Job.Status.STATUS_UNSPECIFIED || status == Job.Status.UNRECOGNIZED) {
                String shown = status == Job.Status.UNRECOGNIZED
                        ? String.valueOf(webhook.getStatusesValue(i)) : status.name();
                throw BatonException.invalidArgument("webhook.statuses: %s is not a job status (expected: one of %s)",
                                                     shown, EXPECTED);
            }
            statuses.add(status);
        }
        Map<String, String> labels;
        try {
            labels = Validation.labelSelector(webhook.getLabelSelector());
        } catch (BatonException e) {
            throw BatonException.invalidArgument("webhook.%s", e.getMessage());
        }
        return new WebhookFilter(statuses, labels, webhook.getTemplateId());
    }

    /** True when {@code job}, which just entered its current status, is one this subscription wants. */
    boolean matches(Job job) {
        if (!statuses.contains(job.getStatus())) {
            return false;
        }
        if (!templateId.isEmpty() && !templateId.equals(job.getTemplateId())) {
            return false;
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!label.getValue().equals(job.getLabelsMap().get(label.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
