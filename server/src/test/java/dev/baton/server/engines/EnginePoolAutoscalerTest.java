package dev.baton.server.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.baton.proto.v1.Engine.State;
import dev.baton.server.engines.EnginePoolAutoscaler.EngineView;
import dev.baton.server.engines.EnginePoolAutoscaler.Limits;
import dev.baton.server.engines.EnginePoolAutoscaler.Plan;

/** The autoscaler's decisions, in virtual time (plain instants), without Docker. */
class EnginePoolAutoscalerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(30);

    private static Limits limits(int minFree, int max) {
        return new Limits(minFree, max, GRACE, 5, 2);
    }

    private static EngineView free(String id, Instant emptySince) {
        return new EngineView(id, State.FREE, false, false, emptySince);
    }

    private static EngineView used(String id) {
        return new EngineView(id, State.USED, false, true, null);
    }

    private static EngineView starting(String id) {
        return new EngineView(id, State.STARTING, false, false, null);
    }

    @Test
    void minFreeCountsFreeEnginesNotTotal() {
        // MIN_REPLICAS=3 with 2 busy engines: 5 engines, not 3.
        Plan plan = EnginePoolAutoscaler.plan(limits(3, 10), List.of(used("a"), used("b")), 5, 0, null, T0);
        assertThat(plan.create()).isEqualTo(3);
        assertThat(plan.remove()).isEmpty();
    }

    @Test
    void startingEnginesCountTowardMinFreeSoNothingIsCreatedTwice() {
        Plan plan = EnginePoolAutoscaler.plan(limits(2, 10), List.of(starting("a"), free("b", T0)), 5, 0, null, T0);
        assertThat(plan.create()).isZero();
    }

    @Test
    void creationStopsAtMaxEnginesAndSaysWhy() {
        Plan plan = EnginePoolAutoscaler.plan(limits(2, 3), List.of(used("a"), used("b"), free("c", T0)), 5, 0, null, T0);
        assertThat(plan.create()).isZero();
        assertThat(plan.waiting()).contains("at max engines (3)");
    }

    @Test
    void burstLimitsCreationsPerCycle() {
        Limits burst2 = new Limits(10, 20, GRACE, 2, 2);
        Plan plan = EnginePoolAutoscaler.plan(burst2, List.of(), 10, 0, null, T0);
        assertThat(plan.create()).isEqualTo(2);
    }

    @Test
    void closedAllowanceFromTheBreakerCreatesNothing() {
        Plan plan = EnginePoolAutoscaler.plan(limits(2, 10), List.of(), 0, 0, null, T0);
        assertThat(plan.create()).isZero();
        assertThat(plan.waiting()).contains("creation is paused");
    }

    @Test
    void waitingJobsAddToTheEnginesWanted() {
        Plan plan = EnginePoolAutoscaler.plan(limits(1, 10), List.of(free("a", T0)), 5, 2, null, T0);
        assertThat(plan.create()).isEqualTo(2);
    }

    @Test
    void surplusEmptyEngineGoesOnlyAfterTheGracePeriod() {
        List<EngineView> engines = List.of(free("a", T0), free("b", T0), free("c", T0));
        Plan first = EnginePoolAutoscaler.plan(limits(2, 10), engines, 5, 0, null, T0);
        assertThat(first.remove()).isEmpty();
        assertThat(first.surplusSince()).isEqualTo(T0);

        Plan before = EnginePoolAutoscaler.plan(limits(2, 10), engines, 5, 0, first.surplusSince(),
                                                T0.plus(GRACE).minusSeconds(1));
        assertThat(before.remove()).isEmpty();

        Plan after = EnginePoolAutoscaler.plan(limits(2, 10), engines, 5, 0, before.surplusSince(), T0.plus(GRACE));
        assertThat(after.remove()).hasSize(1);
    }

    @Test
    void anEngineThatJustBecameEmptyIsNotRemovedBeforeItsOwnGrace() {
        // The pool had a surplus long ago, but this engine's job ended only now.
        Instant now = T0.plus(Duration.ofMinutes(5));
        List<EngineView> engines = List.of(free("a", now), free("b", now.minusSeconds(1)), free("c", now));
        Plan plan = EnginePoolAutoscaler.plan(limits(2, 10), engines, 5, 0, T0, now);
        assertThat(plan.remove()).isEmpty();
    }

    @Test
    void zeroGraceRemovesSurplusAtOnce() {
        Limits noGrace = new Limits(1, 10, Duration.ZERO, 5, 2);
        Plan plan = EnginePoolAutoscaler.plan(noGrace, List.of(free("a", T0), free("b", T0)), 5, 0, null, T0);
        assertThat(plan.remove()).hasSize(1);
    }

    @Test
    void aUsedEngineIsNeverRemovedEvenOverMaxOrAfterGrace() {
        Instant later = T0.plus(Duration.ofHours(1));
        List<EngineView> engines = List.of(used("a"), used("b"), used("c"), free("d", T0));
        // Max lowered to 1 below the 3 busy engines: only the free engine may go.
        Plan plan = EnginePoolAutoscaler.plan(limits(0, 1), engines, 5, 0, T0, later);
        assertThat(plan.remove()).containsExactly("d");
        assertThat(plan.drain()).isEmpty();
    }

    @Test
    void drainingEngineIsRemovedOnlyOnceEmpty() {
        EngineView busy = new EngineView("a", State.DRAINING, false, true, null);
        EngineView empty = new EngineView("b", State.DRAINING, false, false, T0);
        Plan plan = EnginePoolAutoscaler.plan(limits(0, 10), List.of(busy, empty), 5, 0, null, T0);
        assertThat(plan.remove()).containsExactly("b");
    }

    @Test
    void outdatedEnginesAreReplacedFirstAndRemovedWithoutDroppingBelowMinFree() {
        EngineView oldA = new EngineView("old-a", State.FREE, true, false, T0);
        EngineView oldB = new EngineView("old-b", State.FREE, true, false, T0);
        // Step 1: replacements are started first; nothing is removed (free would drop below 2).
        Plan start = EnginePoolAutoscaler.plan(limits(2, 10), List.of(oldA, oldB), 5, 0, null, T0);
        assertThat(start.create()).isEqualTo(2);
        assertThat(start.remove()).isEmpty();
        // Step 2: replacements connected; the outdated ones go, without waiting for the grace.
        List<EngineView> engines = new ArrayList<>(List.of(oldA, oldB, free("new-a", T0), free("new-b", T0)));
        Plan swap = EnginePoolAutoscaler.plan(limits(2, 10), engines, 5, 0, null, T0);
        assertThat(swap.create()).isZero();
        assertThat(swap.remove()).containsExactlyInAnyOrder("old-a", "old-b");
    }

    @Test
    void outdatedReplacementIsThrottledByTheBatch() {
        List<EngineView> engines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            engines.add(new EngineView("old-" + i, State.FREE, true, false, T0));
        }
        Plan plan = EnginePoolAutoscaler.plan(new Limits(0, 10, GRACE, 5, 2), engines, 5, 0, null, T0);
        assertThat(plan.remove()).hasSize(2);
    }

    @Test
    void outdatedBusyEnginesAreDrainedNotRemoved() {
        EngineView oldBusy = new EngineView("old", State.USED, true, true, null);
        Plan plan = EnginePoolAutoscaler.plan(limits(1, 10), List.of(oldBusy), 5, 0, null, T0);
        assertThat(plan.drain()).containsExactly("old");
        assertThat(plan.remove()).isEmpty();
        assertThat(plan.create()).isEqualTo(1);
    }

    @Test
    void breakerOpensAfterRepeatedFailuresThenLetsOneTrialThrough() {
        CreationCircuitBreaker breaker = new CreationCircuitBreaker(3, Duration.ofSeconds(60));
        assertThat(breaker.allowance(T0, 5, 0)).isEqualTo(5);
        breaker.failure(T0, "boom");
        breaker.failure(T0, "boom");
        assertThat(breaker.open(T0)).isFalse();
        breaker.failure(T0, "boom");
        assertThat(breaker.open(T0)).isTrue();
        assertThat(breaker.allowance(T0.plusSeconds(59), 5, 0)).isZero();
        // Half-open after the cool-down: one trial engine, not a burst.
        Instant later = T0.plusSeconds(60);
        assertThat(breaker.allowance(later, 5, 0)).isEqualTo(1);
        assertThat(breaker.allowance(later, 5, 1)).isZero();
        breaker.failure(later, "trial failed");
        assertThat(breaker.open(later)).isTrue();
        breaker.success();
        assertThat(breaker.open(later)).isFalse();
        assertThat(breaker.allowance(later, 5, 0)).isEqualTo(5);
    }
}
