package dev.baton.server.webhooks;

import java.util.ArrayDeque;

import dev.baton.proto.v1.WebhookDelivery;
import dev.baton.server.time.TimeSource;

/**
 * Where deliveries go one at a time, in order: a subscription, or one job's callback URL. Only the
 * head of {@link #pending} is ever attempted, so a later event waits until the earlier one is
 * delivered or given up. Owned by the webhook loop.
 */
final class DeliveryTarget {

    /** A queued delivery with the exact bytes to POST; attempted only once it is durable. */
    static final class Pending {
        WebhookDelivery delivery;
        final long sequence;
        final byte[] body;
        boolean stored;

        Pending(WebhookDelivery delivery, long sequence, byte[] body, boolean stored) {
            this.delivery = delivery;
            this.sequence = sequence;
            this.body = body;
            this.stored = stored;
        }
    }

    final String id;
    /** The subscription, or null for a job's callback URL. */
    final Subscription subscription;
    final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** Completed deliveries, newest first. */
    final ArrayDeque<WebhookDelivery> history = new ArrayDeque<>();
    boolean inFlight;
    TimeSource.Timer timer;
    boolean closed;

    DeliveryTarget(String id, Subscription subscription) {
        this.id = id;
        this.subscription = subscription;
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
