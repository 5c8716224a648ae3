package dev.baton.server.engines;

import java.time.Instant;

/** Whether Docker answers, as the last calls found. Owned by the control loop. */
final class DockerState {

    private final boolean enabled;
    private final String host;
    private boolean reachable;
    private boolean known;
    private String problem = "not checked yet";
    private Instant since;

    DockerState(boolean enabled, String host) {
        this.enabled = enabled;
        this.host = host;
        if (!enabled) {
            problem = "engines are disabled (ENGINES_ENABLED=false)";
        }
    }

    boolean enabled() { return enabled; }
    boolean usable() { return enabled && reachable; }
    String host() { return host; }
    Instant since() { return since; }
    /** Some call has answered or failed since it was made: it is known to answer or not. */
    boolean checked() { return known; }

    /** Null when Docker answers; otherwise what is wrong, for a person. */
    String problem() {
        return usable() ? null : problem;
    }

    /** Returns true when this changed the state (for a log line). */
    boolean answered(Instant now) {
        boolean changed = !reachable || !known;
        reachable = true;
        known = true;
        problem = null;
        since = now;
        return changed;
    }

    boolean unreachable(Instant now, String why) {
        boolean changed = reachable || !known;
        reachable = false;
        known = true;
        problem = "Docker unreachable at " + host + ": " + why;
        if (changed) {
            since = now;
        }
        return changed;
    }
}
