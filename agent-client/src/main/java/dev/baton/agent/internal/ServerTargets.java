package dev.baton.agent.internal;

import io.grpc.Metadata;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers an agent may talk to (several when Baton runs with standbys) and which one it tries
 * next. A standby refuses with UNAVAILABLE and the leader's address in the {@code baton-leader}
 * trailer: the agent goes there. Any other end of a session moves on to the next server in the list,
 * so an agent whose leader died finds the one that took over.
 */
final class ServerTargets {

    static final Metadata.Key<String> LEADER_KEY = Metadata.Key.of("baton-leader", Metadata.ASCII_STRING_MARSHALLER);

    private final List<String> targets = new ArrayList<>();
    private int current;

    /** {@code spec}: one gRPC target or several separated by commas. */
    ServerTargets(String spec) {
        for (String part : spec.split(",")) {
            if (!part.isBlank()) {
                targets.add(part.trim());
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("server: \"" + spec + "\" (expected: host:port[,host:port...])");
        }
    }

    String current() {
        return targets.get(current);
    }

    /**
     * Chooses the server for the next attempt after a session ended with {@code status}.
     * Returns true when a standby named a leader other than the server just tried: worth trying
     * at once, without backing off.
     */
    boolean afterSessionEnded(Status status, Metadata trailers) {
        String leader = status.getCode() == Status.Code.UNAVAILABLE && trailers != null
                        ? trailers.get(LEADER_KEY) : null;
        if (leader != null && !leader.isBlank() && !leader.equals(current())) {
            int known = targets.indexOf(leader);
            if (known < 0) {
                targets.add(leader);
                known = targets.size() - 1;
            }
            current = known;
            return true;
        }
        current = (current + 1) % targets.size();
        return false;
    }

    @Override
    public String toString() {
        return String.join(",", targets);
    }
}
