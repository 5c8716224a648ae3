package dev.baton.server.webhooks;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Webhook meters on /metrics: deliveries by outcome, attempts by result, attempt latency, queue depth. */
final class WebhookMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger retrying = new AtomicInteger();
    private final Timer latency;

    WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("baton.webhook.queue.depth", queued, AtomicInteger::get)
             .description("deliveries waiting to be made").register(registry);
        Gauge.builder("baton.webhook.retry.queue.depth", retrying, AtomicInteger::get)
             .description("waiting deliveries that already failed at least once").register(registry);
        latency = Timer.builder("baton.webhook.attempt.latency").description("time to a receiver's answer")
                       .register(registry);
    }

    void delivery(String outcome) {
        Counter.builder("baton.webhook.deliveries").description("deliveries completed, by outcome")
               .tag("outcome", outcome).register(registry).increment();
    }

    void attempt(boolean delivered, long latencyMillis) {
        Counter.builder("baton.webhook.attempts").description("HTTP attempts, by result")
               .tag("result", delivered ? "success" : "failure").register(registry).increment();
        latency.record(java.time.Duration.ofMillis(latencyMillis));
    }

    void queued(int delta) {
        queued.addAndGet(delta);
    }

    void retrying(int delta) {
        retrying.addAndGet(delta);
    }
}
