package dev.baton.server.control;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.Job;
import dev.baton.server.fleet.Fleet;
import dev.baton.server.jobs.JobBook;
import dev.baton.server.store.BatonStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Gauges of agents by state and jobs by status, and of the work waiting for the control loop and the
 * store ({@link #registerBacklogs}). The fleet and the job book keep the counts as things
 * change; they are copied to plain atomics on the control loop every second (O(states), not a walk
 * of the fleet) and read by the metrics scrape from there, so a scrape never touches loop state.
 */
final class StateGauges {

    private StateGauges() {}

    static void register(MeterRegistry registry, ControlLoop loop, Fleet fleet, JobBook book) {
        Map<Agent.State, AtomicInteger> agents = new EnumMap<>(Agent.State.class);
        for (Agent.State state : Agent.State.values()) {
            if (state != Agent.State.UNRECOGNIZED && state != Agent.State.STATE_UNSPECIFIED) {
                AtomicInteger value = new AtomicInteger();
                agents.put(state, value);
                Gauge.builder("baton.agents", value, AtomicInteger::get).tag("state", state.name()).register(registry);
            }
        }
        Map<Job.Status, AtomicInteger> jobs = new EnumMap<>(Job.Status.class);
        for (Job.Status status : Job.Status.values()) {
            if (status != Job.Status.UNRECOGNIZED && status != Job.Status.STATUS_UNSPECIFIED) {
                AtomicInteger value = new AtomicInteger();
                jobs.put(status, value);
                Gauge.builder("baton.jobs", value, AtomicInteger::get).tag("status", status.name()).register(registry);
            }
        }
        Runnable refresh = new Runnable() {
            @Override
            public void run() {
                Map<Agent.State, Integer> counts = fleet.stateCounts();
                agents.forEach((state, value) -> value.set(counts.getOrDefault(state, 0)));
                jobs.forEach((status, value) -> value.set(book.countsByStatus().getOrDefault(status, 0)));
                loop.schedule(Duration.ofSeconds(1), this);
            }
        };
        loop.execute(refresh);
    }

    /**
     * Gauges of the work waiting for the two threads everything goes through, read at the scrape
     * (off the loop, so that a loop that is behind still shows it): commands for the control loop,
     * and writes for the store.
     */
    static void registerBacklogs(MeterRegistry registry, ControlLoop loop, BatonStore store) {
        Gauge.builder("baton.control.queue", loop, ControlLoop::queued)
             .description("commands waiting for the control loop").register(registry);
        Gauge.builder("baton.store.queue", store, BatonStore::queuedWrites)
             .description("writes waiting for their store commit").register(registry);
    }
}
