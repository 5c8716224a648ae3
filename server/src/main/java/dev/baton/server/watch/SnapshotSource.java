package dev.baton.server.watch;

import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.baton.proto.v1.Agent;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.EntityKind;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.Pool;
import dev.baton.proto.v1.WatchEvent;

/**
 * Where a watch snapshot finds the current state of one kind of entity. Each domain that publishes
 * events registers one with {@link WatchHub#addSnapshotSource}, e.g. for pools:
 * <pre>{@code
 * plane.hub().addSnapshotSource(SnapshotSource.pools(() -> pools.all().stream().map(PoolRecord::toProto)));
 * }</pre>
 * The supplier runs on the control loop, in the same command that registers the watcher, so the
 * snapshot and the live feed meet without a gap or a duplicate. A watcher that does not follow the
 * source's kind never runs it.
 */
public interface SnapshotSource {

    /** The kind of entity this source lists. */
    EntityKind kind();

    /** One builder per entity, with its kind and entity set; the hub fills type, revision and time. */
    Stream<WatchEvent.Builder> current();

    static SnapshotSource agents(Supplier<Stream<Agent>> agents) {
        return of(EntityKind.ENTITY_KIND_AGENT, () -> agents.get().map(
                a -> WatchEvent.newBuilder().setKind(EntityKind.ENTITY_KIND_AGENT).setAgent(a)));
    }

    static SnapshotSource jobs(Supplier<Stream<Job>> jobs) {
        return of(EntityKind.ENTITY_KIND_JOB, () -> jobs.get().map(
                j -> WatchEvent.newBuilder().setKind(EntityKind.ENTITY_KIND_JOB).setJob(j)));
    }

    static SnapshotSource engines(Supplier<Stream<Engine>> engines) {
        return of(EntityKind.ENTITY_KIND_ENGINE, () -> engines.get().map(
                e -> WatchEvent.newBuilder().setKind(EntityKind.ENTITY_KIND_ENGINE).setEngine(e)));
    }

    static SnapshotSource pools(Supplier<Stream<Pool>> pools) {
        return of(EntityKind.ENTITY_KIND_POOL, () -> pools.get().map(
                p -> WatchEvent.newBuilder().setKind(EntityKind.ENTITY_KIND_POOL).setPool(p)));
    }

    private static SnapshotSource of(EntityKind kind, Supplier<Stream<WatchEvent.Builder>> current) {
        return new SnapshotSource() {
            @Override
            public EntityKind kind() {
                return kind;
            }

            @Override
            public Stream<WatchEvent.Builder> current() {
                return current.get();
            }
        };
    }
}
