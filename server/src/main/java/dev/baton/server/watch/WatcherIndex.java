package dev.baton.server.watch;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.WatchEvent;

/**
 * The hub's watchers, filed by what they follow, so that an event reaches the watchers that want it
 * in O(matches) instead of being tested against every watcher: one list for watchers of everything,
 * one per kind for watchers of whole kinds, one per entity id for watchers of named entities. A
 * watcher sits in exactly one list per id it names (or in one list), so it gets an event at most once.
 *
 * <p>Changed on the control loop (and at start-up); read by the loop's publish. Copy-on-write lists
 * make a publish safe against a watcher removed during the fan-out.
 */
final class WatcherIndex {

    private final List<WatchHub.Watcher> everything = new CopyOnWriteArrayList<>();
    private final Map<EntityKind, List<WatchHub.Watcher>> byKind = new EnumMap<>(EntityKind.class);
    private final Map<String, List<WatchHub.Watcher>> byId = new ConcurrentHashMap<>();
    private final List<WatchHub.Watcher> all = new CopyOnWriteArrayList<>();

    WatcherIndex() {
        for (EntityKind kind : EntityKind.values()) {
            byKind.put(kind, new CopyOnWriteArrayList<>());
        }
    }

    void add(WatchHub.Watcher watcher) {
        all.add(watcher);
        WatchFilter filter = watcher.filter();
        if (filter == null || filter.isEverything()) {
            everything.add(watcher);
        } else if (filter.ids().isEmpty()) {
            filter.kinds().forEach(kind -> byKind.get(kind).add(watcher));
        } else {
            filter.ids().forEach(id -> byId.computeIfAbsent(id, ignored -> new CopyOnWriteArrayList<>()).add(watcher));
        }
    }

    /** Removes {@code watcher}; false when it was not (or no longer) registered. */
    boolean remove(WatchHub.Watcher watcher) {
        if (!all.remove(watcher)) {
            return false;
        }
        WatchFilter filter = watcher.filter();
        if (filter == null || filter.isEverything()) {
            everything.remove(watcher);
        } else if (filter.ids().isEmpty()) {
            filter.kinds().forEach(kind -> byKind.get(kind).remove(watcher));
        } else {
            for (String id : filter.ids()) {
                byId.computeIfPresent(id, (ignored, list) -> {
                    list.remove(watcher);
                    return list.isEmpty() ? null : list;
                });
            }
        }
        return true;
    }

    /** Hands {@code event} (an entity's change, never a marker) to every watcher whose filter matches it. */
    void forEachMatching(WatchEvent event, Consumer<WatchHub.Watcher> deliver) {
        everything.forEach(deliver);
        byKind.get(event.getKind()).forEach(deliver);
        List<WatchHub.Watcher> named = byId.get(WatchEvents.entityId(event));
        if (named != null) {
            for (WatchHub.Watcher watcher : named) {
                if (watcher.filter().acceptsKind(event.getKind())) {
                    deliver.accept(watcher);
                }
            }
        }
    }

    /** Every watcher (bookmarks go to all of them). */
    List<WatchHub.Watcher> all() {
        return all;
    }

    int size() {
        return all.size();
    }
}
