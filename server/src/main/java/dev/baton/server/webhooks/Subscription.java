package dev.baton.server.webhooks;

import dev.baton.proto.v1.Webhook;

/** A webhook subscription as Baton holds it: the stored proto (never with the secret), the secret, its queue. */
final class Subscription {

    Webhook webhook;
    String secret;
    WebhookFilter filter;
    final DeliveryTarget target;

    Subscription(Webhook webhook, String secret) {
        this.webhook = webhook;
        this.secret = secret;
        this.filter = WebhookFilter.of(webhook);
        this.target = new DeliveryTarget(webhook.getId(), this);
    }

    boolean active() {
        return webhook.getState() == Webhook.State.ACTIVE;
    }

    /** What callers see: no secret, with the live queue length. */
    Webhook view() {
        return webhook.toBuilder().clearSecret().setPendingDeliveries(target.pending.size()).build();
    }
}
