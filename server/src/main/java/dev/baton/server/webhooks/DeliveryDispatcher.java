package dev.baton.server.webhooks;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.Webhook;
import dev.baton.proto.v1.WebhookAttempt;
import dev.baton.proto.v1.WebhookDelivery;
import dev.baton.server.config.WebhookSettings;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.jobs.RestartBackoff;
import dev.baton.server.store.BatonStore;
import dev.baton.server.store.StoreWrite;

/**
 * Makes deliveries: at least once, one at a time per target in sequence order, retried with
 * exponential backoff and jitter on the injected time until WEBHOOK_GIVE_UP_AFTER_S, and a
 * subscription that fails WEBHOOK_MAX_FAILURES attempts in a row is disabled with its last error.
 * A delivery is written to the store before its first attempt and after every attempt, so a
 * restart resumes where it stopped. Runs on the webhook loop; HTTP runs on the sender's threads.
 */
final class DeliveryDispatcher {

    private static final Logger log = LoggerFactory.getLogger(DeliveryDispatcher.class);
    private static final int MAX_ATTEMPT_HISTORY = 20;

    private final ControlLoop loop;
    private final BatonStore store;
    private final WebhookSettings settings;
    private final WebhookSender sender;
    private final WebhookMetrics metrics;
    private final RestartBackoff backoff;
    private final Consumer<DeliveryTarget> callbackDrained;
    private long nextSequence = 1;

    /** @param callbackDrained told when a job callback's queue is empty, so its target can be forgotten */
    DeliveryDispatcher(ControlLoop loop, BatonStore store, WebhookSettings settings, WebhookSender sender,
                       WebhookMetrics metrics, RestartBackoff backoff, Consumer<DeliveryTarget> callbackDrained) {
        this.callbackDrained = callbackDrained;
        this.loop = loop;
        this.store = store;
        this.settings = settings;
        this.sender = sender;
        this.metrics = metrics;
        this.backoff = backoff;
    }

    /** Queues {@code delivery} behind what {@code target} already holds; attempted once it is durable. */
    void enqueue(DeliveryTarget target, WebhookDelivery delivery, byte[] body) {
        DeliveryTarget.Pending pending = new DeliveryTarget.Pending(delivery, nextSequence++, body, false);
        target.pending.addLast(pending);
        metrics.queued(1);
        store.write(List.of(new StoreWrite.PutWebhookDelivery(delivery, pending.sequence, body)))
             .whenComplete((ignored, error) -> loop.execute(() -> {
                 if (error != null) {
                     // Not durable, but the receiver may still get it: better than dropping the event.
                     log.warn("event=webhook-delivery-write-failed delivery={} error=\"{}\"", delivery.getId(),
                              error.getMessage());
                 }
                 pending.stored = true;
                 pump(target);
             }));
    }

    /** Puts back a stored delivery at start-up (the store returns them in sequence order). */
    void restore(DeliveryTarget target, WebhookDelivery delivery, long sequence, byte[] body) {
        nextSequence = Math.max(nextSequence, sequence + 1);
        if (delivery.getState() == WebhookDelivery.State.PENDING) {
            target.pending.addLast(new DeliveryTarget.Pending(delivery, sequence, body, true));
            metrics.queued(1);
            metrics.retrying(delivery.getAttempts() > 0 ? 1 : 0);
        } else {
            target.history.addFirst(delivery);
        }
    }

    /** Forgets a target's queue (its subscription was deleted); an attempt in flight is ignored when it ends. */
    void drop(DeliveryTarget target) {
        target.closed = true;
        target.cancelTimer();
        for (DeliveryTarget.Pending pending : target.pending) {
            metrics.queued(-1);
            metrics.retrying(pending.delivery.getAttempts() > 0 ? -1 : 0);
        }
        target.pending.clear();
    }

    /** Attempts the head of {@code target}'s queue if it is due, or sets a timer for when it will be. */
    void pump(DeliveryTarget target) {
        if (target.closed || target.inFlight || target.timer != null) {
            return;
        }
        DeliveryTarget.Pending head = target.pending.peekFirst();
        if (head == null || !head.stored || (target.subscription != null && !target.subscription.active())) {
            return;
        }
        Instant now = loop.time().now();
        Instant due = Instant.ofEpochMilli(Timestamps.toMillis(head.delivery.getNextAttemptAt()));
        if (due.isAfter(now)) {
            target.timer = loop.schedule(Duration.between(now, due), () -> {
                target.timer = null;
                pump(target);
            });
            return;
        }
        attempt(target, head, now);
    }

    private void attempt(DeliveryTarget target, DeliveryTarget.Pending head, Instant now) {
        Subscription subscription = target.subscription;
        String url = subscription != null ? subscription.webhook.getUrl() : head.delivery.getCallbackUrl();
        String refused = WebhookUrls.problem(url, settings);
        if (refused != null) {
            finish(target, head, now, new WebhookSender.Outcome(0, "not attempted: URL " + refused, 0));
            return;
        }
        long timestamp = now.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Baton-Event-Id", head.delivery.getEventId());
        headers.put("Baton-Event-Type", head.delivery.getEventType());
        headers.put("Baton-Delivery-Id", head.delivery.getId());
        headers.put("Baton-Attempt", String.valueOf(head.delivery.getAttempts() + 1));
        headers.put("Baton-Timestamp", String.valueOf(timestamp));
        String secret = subscription != null ? subscription.secret : settings.callbackSecret();
        if (!secret.isEmpty()) {
            headers.put("Baton-Signature", WebhookSigner.sign(secret, timestamp, head.body));
        }
        target.inFlight = true;
        sender.post(URI.create(url), headers, head.body)
              .thenAccept(outcome -> loop.execute(() -> {
                  target.inFlight = false;
                  if (!target.closed && target.pending.peekFirst() == head) {
                      finish(target, head, now, outcome);
                  }
              }));
    }

    private void finish(DeliveryTarget target, DeliveryTarget.Pending head, Instant attemptedAt,
                        WebhookSender.Outcome outcome) {
        Instant now = loop.time().now();
        WebhookDelivery before = head.delivery;
        int attempt = before.getAttempts() + 1;
        WebhookDelivery.Builder next = before.toBuilder().setAttempts(attempt)
                .setLastStatusCode(outcome.statusCode()).setLastError(outcome.error())
                .addAttemptHistory(WebhookAttempt.newBuilder().setAttempt(attempt).setTime(ts(attemptedAt))
                                                 .setStatusCode(outcome.statusCode())
                                                 .setLatencyMs(outcome.latencyMillis()).setError(outcome.error()));
        while (next.getAttemptHistoryCount() > MAX_ATTEMPT_HISTORY) {
            next.removeAttemptHistory(0);
        }
        metrics.attempt(outcome.delivered(), outcome.latencyMillis());
        subscriptionResult(target.subscription, outcome);
        boolean givenUp = !outcome.delivered()
                && !now.isBefore(Instant.ofEpochMilli(Timestamps.toMillis(before.getCreatedAt())).plus(settings.giveUpAfter()));
        if (outcome.delivered() || givenUp) {
            next.setState(outcome.delivered() ? WebhookDelivery.State.DELIVERED : WebhookDelivery.State.FAILED)
                .setCompletedAt(ts(now)).clearNextAttemptAt();
            complete(target, head, next.build());
            log.info("event=webhook-{} target={} delivery={} event_id={} attempts={} status={}",
                     outcome.delivered() ? "delivered" : "given-up", target.id, before.getId(), before.getEventId(),
                     attempt, outcome.statusCode());
        } else {
            Duration delay = backoff.delay(attempt);
            head.delivery = next.setNextAttemptAt(ts(now.plus(delay))).build();
            metrics.retrying(attempt == 1 ? 1 : 0);
            store.write(List.of(new StoreWrite.PutWebhookDelivery(head.delivery, head.sequence, head.body)));
            log.info("event=webhook-attempt-failed target={} delivery={} attempt={} status={} retry_in_ms={} error=\"{}\"",
                     target.id, before.getId(), attempt, outcome.statusCode(), delay.toMillis(), outcome.error());
        }
        pump(target);
    }

    private void complete(DeliveryTarget target, DeliveryTarget.Pending head, WebhookDelivery done) {
        target.pending.removeFirst();
        metrics.queued(-1);
        metrics.retrying(done.getAttempts() > 1 ? -1 : 0);
        metrics.delivery(done.getState() == WebhookDelivery.State.DELIVERED ? "delivered" : "given_up");
        if (target.subscription == null) {
            // A job's callback keeps no history: there is no subscription to show it under.
            store.write(List.of(new StoreWrite.DeleteWebhookDelivery(done.getId())));
            if (target.pending.isEmpty()) {
                callbackDrained.accept(target);
            }
            return;
        }
        store.write(List.of(new StoreWrite.PutWebhookDelivery(done, head.sequence, head.body)));
        target.history.addFirst(done);
        while (target.history.size() > settings.historySize()) {
            store.write(List.of(new StoreWrite.DeleteWebhookDelivery(target.history.removeLast().getId())));
        }
    }

    /** Counts failures in a row; too many disable the subscription, visibly, until a user enables it. */
    private void subscriptionResult(Subscription subscription, WebhookSender.Outcome outcome) {
        if (subscription == null) {
            return;
        }
        Webhook before = subscription.webhook;
        if (outcome.delivered()) {
            if (before.getConsecutiveFailures() == 0 && before.getLastError().isEmpty()) {
                return;
            }
            subscription.webhook = before.toBuilder().setConsecutiveFailures(0).setLastError("").build();
        } else {
            Webhook.Builder next = before.toBuilder().setConsecutiveFailures(before.getConsecutiveFailures() + 1)
                                         .setLastError(outcome.error());
            if (next.getConsecutiveFailures() >= settings.maxConsecutiveFailures() && subscription.active()) {
                next.setState(Webhook.State.DISABLED_BY_FAILURES).setEnabled(false);
                log.warn("event=webhook-disabled webhook={} consecutive_failures={} last_error=\"{}\"",
                         before.getId(), next.getConsecutiveFailures(), outcome.error());
            }
            subscription.webhook = next.build();
        }
        store.write(List.of(new StoreWrite.PutWebhook(subscription.webhook, subscription.secret)));
    }

    private static Timestamp ts(Instant instant) {
        return Timestamps.fromMillis(instant.toEpochMilli());
    }
}
