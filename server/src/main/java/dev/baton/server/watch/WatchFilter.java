package dev.baton.server.watch;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.WatchEvent;
import dev.baton.proto.v1.WatchRequest;
import dev.baton.server.error.BatonException;

/**
 * Which events one watcher wants: some kinds (none named: all) and some entity ids (none: all).
 * Markers (SNAPSHOT_END, BOOKMARK, RESET) concern the whole stream and always pass.
 */
public final class WatchFilter {

    /** More ids than this is a request for everything in disguise, and costs a set lookup per event. */
    static final int MAX_IDS = 1_000;

    private final Set<EntityKind> kinds;
    private final Set<String> ids;

    private WatchFilter(Set<EntityKind> kinds, Set<String> ids) {
        this.kinds = kinds;
        this.ids = ids;
    }

    /** The filter of {@code request}; throws INVALID_ARGUMENT for an unknown kind or too many ids. */
    public static WatchFilter of(WatchRequest request) {
        Set<EntityKind> kinds = EnumSet.noneOf(EntityKind.class);
        for (EntityKind kind : request.getKindsList()) {
            if (kind == EntityKind.UNRECOGNIZED) {
                throw BatonException.invalidArgument(
                        "kinds: unknown value (expected: ENTITY_KIND_AGENT, ENTITY_KIND_JOB, ENTITY_KIND_ENGINE or "
                        + "ENTITY_KIND_POOL)");
            }
            if (kind == EntityKind.ENTITY_KIND_UNSPECIFIED) {
                kinds = EnumSet.noneOf(EntityKind.class);
                break;
            }
            kinds.add(kind);
        }
        List<String> idList = request.getIdsList();
        if (idList.size() > MAX_IDS) {
            throw BatonException.invalidArgument("ids: %d ids (expected: at most %d; leave ids empty to watch all)",
                                                 idList.size(), MAX_IDS);
        }
        return new WatchFilter(kinds, Set.copyOf(idList));
    }

    /** True when the filter lets every event through (no kinds, no ids named). */
    boolean isEverything() {
        return kinds.isEmpty() && ids.isEmpty();
    }

    /** The kinds named (empty: all). */
    Set<EntityKind> kinds() {
        return kinds;
    }

    /** The entity ids named (empty: all). */
    Set<String> ids() {
        return ids;
    }

    boolean acceptsKind(EntityKind kind) {
        return kinds.isEmpty() || kinds.contains(kind);
    }

    boolean acceptsId(String entityId) {
        return ids.isEmpty() || ids.contains(entityId);
    }

    public boolean matches(WatchEvent event) {
        return matches(event.getKind(), WatchEvents.entityId(event));
    }

    /** Like {@link #matches(WatchEvent)}, without reading the event (a buffered frame may hold only its bytes). */
    boolean matches(WatchFrame frame) {
        return matches(frame.kind(), frame.entityId());
    }

    private boolean matches(EntityKind kind, String entityId) {
        if (kind == EntityKind.ENTITY_KIND_UNSPECIFIED) {
            return true;
        }
        if (!kinds.isEmpty() && !kinds.contains(kind)) {
            return false;
        }
        return acceptsId(entityId);
    }

    @Override
    public String toString() {
        return (kinds.isEmpty() ? "all kinds" : kinds.toString()) + (ids.isEmpty() ? "" : " ids=" + ids);
    }
}
