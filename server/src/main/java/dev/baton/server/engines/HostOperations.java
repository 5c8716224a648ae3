package dev.baton.server.engines;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.util.Timestamps;

import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.ListHostsResponse;
import dev.baton.server.control.ControlPlane;
import dev.baton.server.error.BatonException;
import dev.baton.server.jobs.Validation;
import dev.baton.server.store.StoreWrite;

/**
 * The Docker host API on the control loop. Like pools, a change is durable before it takes effect.
 * The {@code local} host is DOCKER_HOST: it always exists (its endpoint follows the setting), and it
 * can be cordoned, drained and labelled but not deleted.
 */
final class HostOperations {

    private static final Logger log = LoggerFactory.getLogger(HostOperations.class);

    private final ControlPlane plane;
    private final EngineRegistry registry;
    private final Function<DockerHost, HostRecord> opener;
    private final Consumer<HostRecord> closer;
    private final Runnable changed;
    /** Names whose creation is being written, so that a second create cannot slip in meanwhile. */
    private final Set<String> creating = new HashSet<>();

    /** {@code opener} makes a host's client and monitor (and starts it once engines run); {@code closer} stops them. */
    HostOperations(ControlPlane plane, EngineRegistry registry, Function<DockerHost, HostRecord> opener,
                   Consumer<HostRecord> closer, Runnable changed) {
        this.plane = plane;
        this.registry = registry;
        this.opener = opener;
        this.closer = closer;
        this.changed = changed;
    }

    private DockerHosts hosts() {
        return registry.hosts();
    }

    ListHostsResponse list() {
        ListHostsResponse.Builder response = ListHostsResponse.newBuilder();
        hosts().all().forEach(h -> response.addHosts(registry.toProto(h)));
        return response.build();
    }

    DockerHost get(String name) {
        return registry.toProto(hosts().require(name));
    }

    /** At start-up: the stored hosts, and {@code local} from DOCKER_HOST. */
    void restore(List<DockerHost> stored, String localEndpoint) {
        DockerHost local = DockerHost.newBuilder().setName(HostRecord.LOCAL).setState(DockerHost.State.ENABLED).build();
        for (DockerHost h : stored) {
            if (h.getName().equals(HostRecord.LOCAL)) {
                local = h;
            } else {
                hosts().put(opener.apply(h));
            }
        }
        hosts().put(opener.apply(local.toBuilder().setEndpoint(localEndpoint).build()));
    }

    CompletableFuture<DockerHost> create(DockerHost request) {
        String name = request.getName();
        if (name.isEmpty()) {
            throw BatonException.invalidArgument("host.name: empty (expected: a name like \"gpu-1\")");
        }
        HostValidator.name("host.name", name);
        if (hosts().get(name) != null || creating.contains(name)) {
            throw BatonException.alreadyExists("host \"%s\" already exists (expected: a new name, or PUT /v1/hosts/%s "
                                               + "to change it)", name, name);
        }
        long now = plane.loop().time().now().toEpochMilli();
        DockerHost stored = request.toBuilder().clearStatus()
                                   .setState(request.getState() == DockerHost.State.STATE_UNSPECIFIED
                                             ? DockerHost.State.ENABLED : request.getState())
                                   .setCreatedAt(Timestamps.fromMillis(now)).setUpdatedAt(Timestamps.fromMillis(now))
                                   .build();
        HostValidator.host(stored);
        endpointFree(stored.getEndpoint(), name);
        creating.add(name);
        return write(stored).handleAsync((ignored, error) -> {
            creating.remove(name);
            if (error != null) {
                throw new CompletionException(error);
            }
            HostRecord host = opener.apply(stored);
            hosts().put(host);
            log.info("event=host-created host={} endpoint={} labels={} max_engines={} state={}", name,
                     stored.getEndpoint(), stored.getLabelsMap(), stored.getMaxEngines(), stored.getState());
            changed.run();
            return registry.toProto(host);
        }, plane.loop()::execute);
    }

    CompletableFuture<DockerHost> update(String name, DockerHost request) {
        HostRecord existing = hosts().require(name);
        if (!request.getName().isEmpty() && !request.getName().equals(name)) {
            throw BatonException.invalidArgument("host.name: \"%s\" does not match the path name \"%s\"",
                                                 Validation.printable(request.getName()), name);
        }
        DockerHost before = existing.stored();
        DockerHost.Builder next = before.toBuilder().clearLabels().putAllLabels(request.getLabelsMap())
                                        .setMaxEngines(request.getMaxEngines());
        if (!request.getEndpoint().isEmpty()) {
            next.setEndpoint(request.getEndpoint()).setTlsCertDir(request.getTlsCertDir());
        }
        DockerHost stored = next.setUpdatedAt(Timestamps.fromMillis(plane.loop().time().now().toEpochMilli())).build();
        HostValidator.host(stored);
        boolean moved = !stored.getEndpoint().equals(before.getEndpoint())
                        || !stored.getTlsCertDir().equals(before.getTlsCertDir());
        if (moved && name.equals(HostRecord.LOCAL)) {
            throw BatonException.invalidArgument("host.endpoint: \"%s\" for the local host (expected: \"%s\"; the "
                                                 + "local host is DOCKER_HOST)",
                                                 Validation.printable(stored.getEndpoint()), before.getEndpoint());
        }
        if (moved) {
            endpointFree(stored.getEndpoint(), name);
            requireEmpty(name, "change its endpoint");
        }
        return write(stored).thenApplyAsync(ignored -> {
            HostRecord host = hosts().require(name);
            if (moved) {
                closer.accept(host);
                host = opener.apply(stored);
                hosts().put(host);
            } else {
                host.define(stored);
            }
            log.info("event=host-updated host={} endpoint={} labels={} max_engines={}", name, stored.getEndpoint(),
                     stored.getLabelsMap(), stored.getMaxEngines());
            changed.run();
            return registry.toProto(host);
        }, plane.loop()::execute);
    }

    /** Cordon (CORDONED), uncordon (ENABLED) or drain (DRAINING). */
    CompletableFuture<DockerHost> setState(String name, DockerHost.State state) {
        HostRecord existing = hosts().require(name);
        DockerHost stored = existing.stored().toBuilder().setState(state)
                                    .setUpdatedAt(Timestamps.fromMillis(plane.loop().time().now().toEpochMilli()))
                                    .build();
        return write(stored).thenApplyAsync(ignored -> {
            HostRecord host = hosts().require(name);
            DockerHost.State before = host.placement();
            host.define(host.stored().toBuilder().setState(state).setUpdatedAt(stored.getUpdatedAt()).build());
            log.info("event=host-{} host={} previous_state={} engines={}", verb(state), name, before,
                     DockerHosts.enginesOn(name, registry.engines()));
            changed.run();
            return registry.toProto(host);
        }, plane.loop()::execute);
    }

    CompletableFuture<Void> delete(String name) {
        hosts().require(name);
        if (name.equals(HostRecord.LOCAL)) {
            throw BatonException.failedPrecondition("host \"local\" is DOCKER_HOST and cannot be deleted (expected: "
                                                    + "cordon or drain it instead)");
        }
        requireEmpty(name, "delete it");
        return plane.store().write(List.of(new StoreWrite.DeleteDockerHost(name))).thenApplyAsync(ignored -> {
            HostRecord host = hosts().remove(name);
            if (host != null) {
                closer.accept(host);
                registry.engines().stream().filter(e -> e.host().equals(name)).toList()
                        .forEach(registry::forgetEngine);
            }
            log.info("event=host-deleted host={}", name);
            changed.run();
            return null;
        }, plane.loop()::execute);
    }

    private CompletableFuture<Void> write(DockerHost stored) {
        return plane.store().write(List.of(new StoreWrite.PutDockerHost(stored)));
    }

    /** Engines that still run there (LOST ones do not count: their host is gone). */
    private void requireEmpty(String name, String action) {
        long engines = registry.engines().stream().filter(e -> e.host().equals(name) && !e.lost).count();
        if (engines > 0) {
            throw BatonException.failedPrecondition("host \"%s\" has %d engine(s) (expected: none before you %s; "
                                                    + "drain it first: POST /v1/hosts/%s/drain)", name, engines,
                                                    action, name);
        }
    }

    private void endpointFree(String endpoint, String name) {
        for (HostRecord h : hosts().all()) {
            if (!h.name().equals(name) && h.stored().getEndpoint().equals(endpoint)) {
                throw BatonException.alreadyExists("host.endpoint: \"%s\" is already host \"%s\" (expected: one host "
                                                   + "per Docker engine)", Validation.printable(endpoint), h.name());
            }
        }
    }

    private static String verb(DockerHost.State state) {
        return switch (state) {
            case CORDONED -> "cordoned";
            case DRAINING -> "draining";
            default -> "uncordoned";
        };
    }
}
