package dev.baton.server.watch;

import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.google.protobuf.Timestamp;

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
 * source's kind never runs it, and one that names ids gets builders for those entities only.
 */
public interface SnapshotSource {

    /** The kind of entity this source lists. */
    EntityKind kind();

    /**
     * One builder per entity whose id {@code wanted} accepts (a pool's name), with its kind and entity
     * set; the hub fills type, revision and time.
     */
    Stream<WatchEvent.Builder> current(Predicate<String> wanted);

    /** The snapshot frames of the entities {@code wanted} accepts, at {@code revision} and {@code time}. */
    default Stream<WatchFrame> frames(Predicate<String> wanted, long revision, Timestamp time) {
        return current(wanted).map(builder -> WatchFrame.of(
                builder.setType(WatchEvent.Type.SNAPSHOT).setRevision(revision).setTime(time).build()));
    }

    static SnapshotSource agents(Supplier<Stream<Agent>> agents) {
        return of(EntityKind.ENTITY_KIND_AGENT, agents, Agent::getId, WatchEvent.Builder::setAgent);
    }

    static SnapshotSource jobs(Supplier<Stream<Job>> jobs) {
        return of(EntityKind.ENTITY_KIND_JOB, jobs, Job::getId, WatchEvent.Builder::setJob);
    }

    /**
     * Jobs held in a form that is costly to read (the job book parses a finished job on each read):
     * each is passed over by {@code id} before it is read, and one whose serialized bytes
     * {@code encoded} gives (null: none) goes into its frame as those bytes, unparsed.
     */
    static <T> SnapshotSource jobs(Supplier<Stream<T>> records, Function<T, String> id, Function<T, Job> job,
                                   Function<T, byte[]> encoded) {
        SnapshotSource parsed = of(EntityKind.ENTITY_KIND_JOB, records, id,
                                   (builder, record) -> builder.setJob(job.apply(record)));
        return new SnapshotSource() {
            @Override
            public EntityKind kind() {
                return EntityKind.ENTITY_KIND_JOB;
            }

            @Override
            public Stream<WatchEvent.Builder> current(Predicate<String> wanted) {
                return parsed.current(wanted);
            }

            @Override
            public Stream<WatchFrame> frames(Predicate<String> wanted, long revision, Timestamp time) {
                return records.get().filter(record -> wanted.test(id.apply(record))).map(record -> {
                    byte[] bytes = encoded.apply(record);
                    return bytes != null ? WatchFrame.jobSnapshot(id.apply(record), bytes, revision, time)
                            : WatchFrame.of(WatchEvent.newBuilder().setType(WatchEvent.Type.SNAPSHOT)
                                                      .setKind(EntityKind.ENTITY_KIND_JOB).setRevision(revision)
                                                      .setTime(time).setJob(job.apply(record)).build());
                });
            }
        };
    }

    static SnapshotSource engines(Supplier<Stream<Engine>> engines) {
        return of(EntityKind.ENTITY_KIND_ENGINE, engines, Engine::getId, WatchEvent.Builder::setEngine);
    }

    static SnapshotSource pools(Supplier<Stream<Pool>> pools) {
        return of(EntityKind.ENTITY_KIND_POOL, pools, Pool::getName, WatchEvent.Builder::setPool);
    }

    private static <T> SnapshotSource of(EntityKind kind, Supplier<Stream<T>> entities, Function<T, String> id,
                                         BiFunction<WatchEvent.Builder, T, WatchEvent.Builder> set) {
        return new SnapshotSource() {
            @Override
            public EntityKind kind() {
                return kind;
            }

            @Override
            public Stream<WatchEvent.Builder> current(Predicate<String> wanted) {
                return entities.get().filter(entity -> wanted.test(id.apply(entity)))
                               .map(entity -> set.apply(WatchEvent.newBuilder().setKind(kind), entity));
            }
        };
    }
}
