package dev.baton.server.webhooks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.ListWebhookDeliveriesResponse;
import dev.baton.proto.v1.ListWebhooksResponse;
import dev.baton.proto.v1.Webhook;
import dev.baton.proto.v1.WebhookDelivery;
import dev.baton.server.config.WebhookSettings;
import dev.baton.server.control.ControlLoop;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.error.BatonException;
import dev.baton.server.jobs.RestartBackoff;
import dev.baton.server.jobs.Validation;
import dev.baton.server.store.BatonStore;
import dev.baton.server.store.StoreWrite;
import dev.baton.server.store.StoredState;
import dev.baton.server.time.TimeSource;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Job event webhooks: subscriptions (stored before they are acknowledged, like templates), the job
 * status changes they match, and their deliveries. Everything here runs on its own loop
 * ("baton-webhooks"), so the control loop only hands over a status change and never waits for a
 * receiver or for a delivery's write. See docs/webhooks.md.
 */
public final class Webhooks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    /** Target ids of jobs' own callbacks: {@code job:<job id>}. */
    static final String JOB_TARGET_PREFIX = "job:";

    private final WebhookSettings settings;
    private final ControlLoop loop;
    private final BatonStore store;
    private final WebhookSender sender;
    private final DeliveryDispatcher dispatcher;
    private final Map<String, Subscription> subscriptions = new TreeMap<>();
    private final Map<String, DeliveryTarget> jobTargets = new HashMap<>();
    /** Read on the control loop to skip jobs no one subscribed to without a hand-over. */
    private volatile boolean anySubscription;

    public Webhooks(WebhookSettings settings, TimeSource time, BatonStore store, MeterRegistry registry) {
        this.settings = settings;
        this.loop = new ControlLoop(time, "baton-webhooks");
        this.store = store;
        this.sender = new WebhookSender(settings.attemptTimeout());
        this.dispatcher = new DeliveryDispatcher(loop, store, settings, sender, new WebhookMetrics(registry),
                                                 new RestartBackoff(settings.retryBase(), settings.retryMax(), new Random()),
                                                 drained -> jobTargets.remove(drained.id));
    }

    /** Follows the plane's job changes and restores stored subscriptions and deliveries at its start. */
    public void attach(ControlPlane plane) {
        JobEventTap tap = new JobEventTap(job -> anySubscription || !job.getCallbackUrl().isEmpty(),
                                          change -> loop.execute(() -> onStatusChange(change)));
        plane.onRecovery(state -> {
            tap.seed(state.jobs());
            loop.execute(() -> restore(state));
        });
        plane.hub().add(tap);
    }

    /** The loop every method below must run on (the API adapter calls them through it). */
    public ControlLoop loop() {
        return loop;
    }

    private void restore(StoredState state) {
        state.webhooks().forEach(stored -> subscriptions.put(stored.webhook().getId(),
                                                             new Subscription(stored.webhook(), stored.secret())));
        for (StoredState.StoredDelivery stored : state.webhookDeliveries()) {
            DeliveryTarget target = targetOf(stored.delivery().getWebhookId());
            if (target != null) {
                dispatcher.restore(target, stored.delivery(), stored.sequence(), stored.body());
            }
        }
        anySubscription = !subscriptions.isEmpty();
        subscriptions.values().forEach(s -> dispatcher.pump(s.target));
        jobTargets.values().forEach(dispatcher::pump);
        log.info("event=webhooks-recovered webhooks={} deliveries={}", subscriptions.size(),
                 state.webhookDeliveries().size());
    }

    private DeliveryTarget targetOf(String id) {
        if (id.startsWith(JOB_TARGET_PREFIX)) {
            return jobTargets.computeIfAbsent(id, key -> new DeliveryTarget(key, null));
        }
        Subscription subscription = subscriptions.get(id);
        return subscription == null ? null : subscription.target;
    }

    private void onStatusChange(JobEventTap.JobStatusChange change) {
        Job job = change.job();
        String eventId = "evt-" + change.revision();
        byte[] body = null;
        for (Subscription subscription : subscriptions.values()) {
            if (subscription.active() && subscription.filter.matches(job)) {
                body = body != null ? body : WebhookPayload.jobEvent(eventId, change.revision(), change.time(), job);
                dispatcher.enqueue(subscription.target, newDelivery(subscription.target.id, eventId, change, ""), body);
            }
        }
        if (!job.getCallbackUrl().isEmpty()) {
            body = body != null ? body : WebhookPayload.jobEvent(eventId, change.revision(), change.time(), job);
            DeliveryTarget target = targetOf(JOB_TARGET_PREFIX + job.getId());
            dispatcher.enqueue(target, newDelivery(target.id, eventId, change, job.getCallbackUrl()), body);
        }
    }

    private WebhookDelivery newDelivery(String targetId, String eventId, JobEventTap.JobStatusChange change,
                                        String callbackUrl) {
        return WebhookDelivery.newBuilder().setId(UUID.randomUUID().toString()).setWebhookId(targetId)
                              .setEventId(eventId).setEventType(WebhookPayload.type(change.job().getStatus()))
                              .setRevision(change.revision()).setJobId(change.job().getId())
                              .setState(WebhookDelivery.State.PENDING).setCallbackUrl(callbackUrl)
                              .setCreatedAt(Timestamps.fromMillis(loop.time().now().toEpochMilli())).build();
    }

    // ---- the admin API (on the loop) ---------------------------------------------------------

    public CompletableFuture<Webhook> create(Webhook request) {
        String id = request.getId().isEmpty() ? "wh-" + UUID.randomUUID().toString().substring(0, 8) : request.getId();
        Validation.id("webhook.id", id);
        if (subscriptions.containsKey(id)) {
            throw BatonException.alreadyExists("webhook \"%s\" already exists (expected: a new id, or PUT "
                                               + "/v1/webhooks/%s to change it)", id, id);
        }
        validate(request);
        String secret = checkSecret(request.getSecret());
        boolean enabled = !request.hasEnabled() || request.getEnabled();
        com.google.protobuf.Timestamp now = Timestamps.fromMillis(loop.time().now().toEpochMilli());
        Webhook created = stored(request).setId(id).setEnabled(enabled)
                                         .setState(enabled ? Webhook.State.ACTIVE : Webhook.State.PAUSED)
                                         .setCreatedAt(now).setUpdatedAt(now).build();
        return store.write(List.of(new StoreWrite.PutWebhook(created, secret))).thenApplyAsync(ignored -> {
            Subscription subscription = new Subscription(created, secret);
            subscriptions.put(id, subscription);
            anySubscription = true;
            log.info("event=webhook-created webhook={} url={} statuses={}", id, WebhookUrls.forLog(created.getUrl()),
                     created.getStatusesList());
            return subscription.view();
        }, loop::execute);
    }

    public Webhook get(String id) {
        return require(id).view();
    }

    public ListWebhooksResponse list() {
        ListWebhooksResponse.Builder response = ListWebhooksResponse.newBuilder();
        subscriptions.values().forEach(s -> response.addWebhooks(s.view()));
        return response.build();
    }

    public CompletableFuture<Webhook> update(String id, Webhook request) {
        Subscription subscription = require(id);
        if (!request.getId().isEmpty() && !request.getId().equals(id)) {
            throw BatonException.invalidArgument("webhook.id: \"%s\" does not match the path id \"%s\"",
                                                 Validation.printable(request.getId()), id);
        }
        validate(request);
        String secret = request.getSecret().isEmpty() ? subscription.secret : checkSecret(request.getSecret());
        Webhook existing = subscription.webhook;
        Webhook.Builder next = stored(request).setId(id).setCreatedAt(existing.getCreatedAt())
                .setUpdatedAt(Timestamps.fromMillis(loop.time().now().toEpochMilli()))
                .setState(existing.getState()).setEnabled(existing.getEnabled())
                .setConsecutiveFailures(existing.getConsecutiveFailures()).setLastError(existing.getLastError());
        if (request.hasEnabled() && request.getEnabled()) {
            next.setEnabled(true).setState(Webhook.State.ACTIVE).setConsecutiveFailures(0);
        } else if (request.hasEnabled()) {
            next.setEnabled(false).setState(Webhook.State.PAUSED);
        }
        Webhook updated = next.build();
        return store.write(List.of(new StoreWrite.PutWebhook(updated, secret))).thenApplyAsync(ignored -> {
            subscription.webhook = updated;
            subscription.secret = secret;
            subscription.filter = WebhookFilter.of(updated);
            dispatcher.pump(subscription.target);
            log.info("event=webhook-updated webhook={} url={} state={}", id, WebhookUrls.forLog(updated.getUrl()),
                     updated.getState());
            return subscription.view();
        }, loop::execute);
    }

    public CompletableFuture<Void> delete(String id) {
        require(id);
        return store.write(List.of(new StoreWrite.DeleteWebhook(id))).thenApplyAsync(ignored -> {
            Subscription removed = subscriptions.remove(id);
            if (removed != null) {
                dispatcher.drop(removed.target);
            }
            anySubscription = !subscriptions.isEmpty();
            log.info("event=webhook-deleted webhook={}", id);
            return null;
        }, loop::execute);
    }

    /** Pending deliveries (newest first), then completed ones (newest first), at most {@code pageSize}. */
    public ListWebhookDeliveriesResponse deliveries(String id, int pageSize) {
        DeliveryTarget target = targetOf(id);
        if (target == null || (id.startsWith(JOB_TARGET_PREFIX) && target.pending.isEmpty())) {
            jobTargets.remove(id);
            throw BatonException.notFound("webhook", id);
        }
        if (pageSize < 0) {
            throw BatonException.invalidArgument("pageSize: %d (expected: 0 for the default, up to %d)", pageSize,
                                                 settings.historySize());
        }
        int size = pageSize == 0 ? settings.historySize() : Math.min(pageSize, settings.historySize());
        List<WebhookDelivery> all = new ArrayList<>();
        target.pending.descendingIterator().forEachRemaining(p -> all.add(p.delivery));
        all.addAll(target.history);
        return ListWebhookDeliveriesResponse.newBuilder().addAllDeliveries(all.subList(0, Math.min(size, all.size())))
                                            .build();
    }

    /** Queues a "webhook.test" event, delivered in order after what is already queued. */
    public WebhookDelivery sendTest(String id) {
        Subscription subscription = require(id);
        String eventId = "test-" + UUID.randomUUID();
        WebhookDelivery delivery = WebhookDelivery.newBuilder().setId(UUID.randomUUID().toString()).setWebhookId(id)
                .setEventId(eventId).setEventType(WebhookPayload.TEST_TYPE).setState(WebhookDelivery.State.PENDING)
                .setCreatedAt(Timestamps.fromMillis(loop.time().now().toEpochMilli())).build();
        dispatcher.enqueue(subscription.target, delivery, WebhookPayload.testEvent(eventId, loop.time().now(), id));
        return delivery;
    }

    private Subscription require(String id) {
        Subscription subscription = subscriptions.get(id);
        if (subscription == null) {
            throw BatonException.notFound("webhook", id);
        }
        return subscription;
    }

    private void validate(Webhook request) {
        WebhookUrls.check("webhook.url", request.getUrl(), settings);
        WebhookFilter.of(request);
        if (request.getDescription().length() > 1024) {
            throw BatonException.invalidArgument("webhook.description: %d characters (expected: at most 1024)",
                                                 request.getDescription().length());
        }
    }

    /** The secret, checked without ever showing it. */
    private static String checkSecret(String secret) {
        if (secret.length() < 16 || secret.length() > 256) {
            throw BatonException.invalidArgument("webhook.secret: %d characters (expected: 16 to 256; it is the "
                                                 + "HMAC-SHA256 key receivers verify signatures with)", secret.length());
        }
        return secret;
    }

    /** The fields a caller sets; every output-only field is cleared. */
    private static Webhook.Builder stored(Webhook request) {
        return Webhook.newBuilder().setUrl(request.getUrl()).addAllStatusesValue(request.getStatusesValueList())
                      .setLabelSelector(request.getLabelSelector()).setTemplateId(request.getTemplateId())
                      .setDescription(request.getDescription());
    }

    @Override
    public void close() {
        loop.close();
        sender.close();
    }
}
