package dev.baton.server.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.DockerHost.State;

/** Placement rules as a pure function: eligibility, then fewest of the pool's engines, then least loaded. */
class HostPlacementTest {

    @Test
    void fewestEnginesOfThePoolWinsThenFewestOverallThenTheName() {
        assertThat(choose(Map.of(), view("a", 1, 5), view("b", 0, 9)).host()).isEqualTo("b");
        assertThat(choose(Map.of(), view("a", 1, 5), view("b", 1, 3)).host()).isEqualTo("b");
        assertThat(choose(Map.of(), view("b", 1, 3), view("a", 1, 3)).host()).isEqualTo("a");
    }

    @Test
    void cordonedDrainingUnreachableFullAndUnlabelledHostsAreNotEligible() {
        HostPlacement.Choice none = choose(Map.of("zone", "x"),
                                           new HostPlacement.HostView("c", State.CORDONED, true, Map.of("zone", "x"), 0,
                                                                      0, 0, true),
                                           new HostPlacement.HostView("d", State.DRAINING, true, Map.of("zone", "x"), 0,
                                                                      0, 0, true),
                                           new HostPlacement.HostView("u", State.ENABLED, false, Map.of("zone", "x"), 0,
                                                                      0, 0, true),
                                           new HostPlacement.HostView("f", State.ENABLED, true, Map.of("zone", "x"), 2,
                                                                      2, 0, true),
                                           new HostPlacement.HostView("i", State.ENABLED, true, Map.of("zone", "x"), 0,
                                                                      0, 0, false),
                                           view("l", 0, 0));
        assertThat(none.host()).isNull();
        assertThat(none.why()).contains("c (cordoned)", "d (draining)", "u (unreachable)", "f (at its limit of 2 engines)",
                                        "i (image not checked yet)", "l (labels do not match zone=x)");
    }

    @Test
    void aHostWithAllSelectedLabelsIsEligibleAndExtraLabelsDoNotMatter() {
        HostPlacement.HostView gpu = new HostPlacement.HostView("g", State.ENABLED, true,
                                                                Map.of("gpu", "true", "zone", "a"), 4, 3, 3, true);
        assertThat(choose(Map.of("gpu", "true"), view("a", 0, 0), gpu).host()).isEqualTo("g");
        assertThat(choose(Map.of("gpu", "true", "zone", "b"), gpu).host()).isNull();
        assertThat(choose(Map.of(), new HostPlacement.HostView[0]).why()).isEqualTo("no Docker host is configured");
    }

    private static HostPlacement.HostView view(String name, int poolEngines, int engines) {
        return new HostPlacement.HostView(name, DockerHost.State.ENABLED, true, Map.of(), 0, engines, poolEngines, true);
    }

    private static HostPlacement.Choice choose(Map<String, String> selector, HostPlacement.HostView... hosts) {
        return HostPlacement.choose(selector, List.of(hosts));
    }
}
