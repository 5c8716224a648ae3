package dev.baton.server.engines;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/** What each engine loop did, as Micrometer meters (exposed on /metrics). */
final class EngineMetrics {

    private final MeterRegistry registry;
    private final MultiGauge engines;

    EngineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.engines = MultiGauge.builder("baton.pool.engines").description("engines per pool and state")
                                 .register(registry);
    }

    void created(String pool) { counter("baton.engines.created", "pool", pool).increment(); }
    void createFailed(String pool) { counter("baton.engines.create.failures", "pool", pool).increment(); }
    void removed(String pool, String reason) { counter("baton.engines.removed", "pool", pool, "reason", reason).increment(); }
    void adopted(String pool) { counter("baton.engines.adopted", "pool", pool).increment(); }
    void vanished(String pool) { counter("baton.engines.vanished", "pool", pool).increment(); }
    void outdated(String pool, String kind) { counter("baton.engines.outdated", "pool", pool, "kind", kind).increment(); }
    void mismatch(String kind) { counter("baton.engines.verification.mismatches", "kind", kind).increment(); }
    void imageCheck(String result) { counter("baton.engines.image.checks", "result", result).increment(); }
    void monitorPass(String result) { counter("baton.engines.monitor.passes", "result", result).increment(); }
    void autoscalePass() { counter("baton.engines.autoscale.passes").increment(); }
    void unhealthy(String pool) { counter("baton.engines.unhealthy", "pool", pool).increment(); }
    void lost(String pool) { counter("baton.engines.lost", "pool", pool).increment(); }
    void hostLost(String host) { counter("baton.hosts.lost", "host", host).increment(); }
    void breakerOpened(String pool) { counter("baton.engines.breaker.opened", "pool", pool).increment(); }

    /** Replaces the per-pool gauges with {@code counts}: pool → state → engines. */
    void counts(Map<String, Map<String, Integer>> counts) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        counts.forEach((pool, byState) -> byState.forEach(
                (state, n) -> rows.add(MultiGauge.Row.of(Tags.of("pool", pool, "state", state), n))));
        engines.register(rows, true);
    }

    private Counter counter(String name, String... tags) {
        return Counter.builder(name).tags(tags).register(registry);
    }
}
