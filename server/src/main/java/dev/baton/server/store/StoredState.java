package dev.baton.server.store;

import java.util.List;

import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.Template;
import dev.baton.proto.v1.Webhook;
import dev.baton.proto.v1.WebhookDelivery;

/** Everything the store holds, as loaded at start-up. Jobs are in creation order. */
public record StoredState(List<StoredJob> jobs, List<Template> templates, List<Pool> pools,
                          List<IdempotencyRecord> idempotencyKeys, List<StoredWebhook> webhooks,
                          List<StoredDelivery> webhookDeliveries, List<DockerHost> dockerHosts) {

    public StoredState(List<StoredJob> jobs, List<Template> templates, List<Pool> pools,
                       List<IdempotencyRecord> idempotencyKeys, List<StoredWebhook> webhooks,
                       List<StoredDelivery> webhookDeliveries) {
        this(jobs, templates, pools, idempotencyKeys, webhooks, webhookDeliveries, List.of());
    }

    public StoredState(List<StoredJob> jobs, List<Template> templates, List<Pool> pools,
                       List<IdempotencyRecord> idempotencyKeys) {
        this(jobs, templates, pools, idempotencyKeys, List.of(), List.of(), List.of());
    }

    /** A webhook subscription and its secret (which the proto never carries). */
    public record StoredWebhook(Webhook webhook, String secret) {}

    /** A webhook delivery, its order and the exact bytes to POST. */
    public record StoredDelivery(WebhookDelivery delivery, long sequence, byte[] body) {}

    /** A job with its creation sequence number. */
    public record StoredJob(Job job, long sequence) {}
}
