package dev.baton.server.engines;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.baton.proto.v1.DockerHost;

/**
 * Where a pool's next engine goes: a pure function of the hosts as the control loop sees them. A host
 * is eligible when it is enabled (not cordoned or draining), answers, carries every label of the
 * pool's host selector, has the pool's image and is under its engine limit. Among eligible hosts the
 * one with the fewest engines of this pool wins, then the one with the fewest engines overall, then
 * the name: a pool spreads across hosts and fills the least-loaded first.
 */
final class HostPlacement {

    /** One host as placement sees it. {@code engines} counts every pool's engines on it. */
    record HostView(String name, DockerHost.State state, boolean reachable, Map<String, String> labels,
                    int maxEngines, int engines, int poolEngines, boolean imageReady) {}

    /** The chosen host, or null with why none could take the engine. */
    record Choice(String host, String why) {}

    private HostPlacement() {}

    static Choice choose(Map<String, String> selector, List<HostView> hosts) {
        List<HostView> eligible = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (HostView h : hosts) {
            String why = refusal(selector, h);
            if (why == null) {
                eligible.add(h);
            } else {
                refused.add(h.name() + " (" + why + ")");
            }
        }
        if (eligible.isEmpty()) {
            return new Choice(null, hosts.isEmpty() ? "no Docker host is configured"
                                                    : "no Docker host can take an engine: " + String.join(", ", refused));
        }
        HostView best = eligible.stream().min(Comparator.comparingInt(HostView::poolEngines)
                                                        .thenComparingInt(HostView::engines)
                                                        .thenComparing(HostView::name)).orElseThrow();
        return new Choice(best.name(), "");
    }

    /** Null when the host may take one more engine of the pool; otherwise why not. */
    static String refusal(Map<String, String> selector, HostView h) {
        if (!matches(selector, h.labels())) {
            return "labels do not match " + describe(selector);
        }
        if (h.state() == DockerHost.State.CORDONED) {
            return "cordoned";
        }
        if (h.state() == DockerHost.State.DRAINING) {
            return "draining";
        }
        if (!h.reachable()) {
            return "unreachable";
        }
        if (h.maxEngines() > 0 && h.engines() >= h.maxEngines()) {
            return "at its limit of " + h.maxEngines() + " engines";
        }
        if (!h.imageReady()) {
            return "image not checked yet";
        }
        return null;
    }

    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static String describe(Map<String, String> selector) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(selector).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }
}
