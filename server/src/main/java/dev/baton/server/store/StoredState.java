package dev.baton.server.store;

import java.util.ArrayList;
import java.util.List;

import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.Template;
import dev.baton.proto.v1.Webhook;
import dev.baton.proto.v1.WebhookDelivery;

/**
 * Everything the store holds, as loaded at start-up. {@code jobs} are the jobs that are not
 * finished, parsed, in creation order; {@code finishedJobs} the finished ones, left unparsed
 * (see {@link FinishedJobs}). A store may also return finished jobs in {@code jobs}.
 */
public record StoredState(List<StoredJob> jobs, List<Template> templates, List<Pool> pools,
                          List<IdempotencyRecord> idempotencyKeys, List<StoredWebhook> webhooks,
                          List<StoredDelivery> webhookDeliveries, List<DockerHost> dockerHosts,
                          FinishedJobs finishedJobs) {

    public StoredState(List<StoredJob> jobs, List<Template> templates, List<Pool> pools,
                       List<IdempotencyRecord> idempotencyKeys, List<StoredWebhook> webhooks,
                       List<StoredDelivery> webhookDeliveries) {
        this(jobs, templates, pools, idempotencyKeys, webhooks, webhookDeliveries, List.of(), FinishedJobs.none());
    }

    public StoredState(List<StoredJob> jobs, List<Template> templates, List<Pool> pools,
                       List<IdempotencyRecord> idempotencyKeys) {
        this(jobs, templates, pools, idempotencyKeys, List.of(), List.of(), List.of(), FinishedJobs.none());
    }

    /** Every stored job, finished ones parsed too, in creation order (tests and tools; the server reads lazily). */
    public List<StoredJob> allJobs() {
        List<StoredJob> all = new ArrayList<>(jobs.size() + finishedJobs.size());
        int next = 0;
        for (StoredJob job : jobs) {
            for (; next < finishedJobs.size() && finishedJobs.sequence(next) < job.sequence(); next++) {
                all.add(new StoredJob(finishedJobs.parse(next), finishedJobs.sequence(next)));
            }
            all.add(job);
        }
        for (; next < finishedJobs.size(); next++) {
            all.add(new StoredJob(finishedJobs.parse(next), finishedJobs.sequence(next)));
        }
        return all;
    }

    /** How many jobs the store holds. */
    public int jobCount() {
        return jobs.size() + finishedJobs.size();
    }

    /** A webhook subscription and its secret (which the proto never carries). */
    public record StoredWebhook(Webhook webhook, String secret) {}

    /** A webhook delivery, its order and the exact bytes to POST. */
    public record StoredDelivery(WebhookDelivery delivery, long sequence, byte[] body) {}

    /** A job with its creation sequence number. */
    public record StoredJob(Job job, long sequence) {}
}
