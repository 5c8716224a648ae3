package dev.baton.server.engines;

import java.io.Closeable;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

import dev.baton.server.internal.Lazy;
import dev.baton.proto.v1.Mount;
import dev.baton.server.config.EngineHostAccess;

/**
 * {@link DockerRuntime} over docker-java. The API version is left unset (unversioned paths): Debian's
 * engine speaks 1.41 at most and docker-java does not negotiate. Every container gets network mode
 * host (no bridge exists here), an init process (so SIGTERM reaches the agent), no restart policy
 * (Baton replaces engines itself) and the pool's memory, pids and CPU limits.
 */
final class DockerJavaRuntime implements DockerRuntime {

    /** Made on first use: building docker-java's client and JSON mapper took over a second of start-up. */
    private final Lazy<DockerClient> client;
    /** Events are a long-lived response: a separate client with no response timeout. */
    private final Lazy<DockerClient> eventsClient;

    DockerJavaRuntime(String dockerHost) {
        this(dockerHost, "");
    }

    /** {@code tlsCertDir}: ca.pem, cert.pem and key.pem for a tcp:// endpoint with TLS; empty for none. */
    DockerJavaRuntime(String dockerHost, String tlsCertDir) {
        this.client = new Lazy<>(() -> client(dockerHost, tlsCertDir, Duration.ofSeconds(60)));
        this.eventsClient = new Lazy<>(() -> client(dockerHost, tlsCertDir, Duration.ZERO));
    }

    private static DockerClient client(String dockerHost, String tlsCertDir, Duration responseTimeout) {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder()
                                                                             .withDockerHost(dockerHost);
        if (!tlsCertDir.isEmpty()) {
            builder.withDockerTlsVerify(true).withDockerCertPath(tlsCertDir);
        }
        DefaultDockerClientConfig config = builder.build();
        ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(URI.create(dockerHost))
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(5))
                .maxConnections(16);
        if (!responseTimeout.isZero()) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    @Override
    public String version() {
        return call(() -> String.valueOf(client.get().versionCmd().exec().getVersion()));
    }

    @Override
    public List<ContainerInfo> listManaged(String instanceId) {
        return call(() -> {
            List<Container> containers = client.get().listContainersCmd().withShowAll(true)
                                               .withLabelFilter(Map.of(EngineLabels.MANAGED_BY, instanceId)).exec();
            List<ContainerInfo> result = new ArrayList<>(containers.size());
            for (Container c : containers) {
                String name = c.getNames() == null || c.getNames().length == 0 ? "" : c.getNames()[0];
                result.add(new ContainerInfo(c.getId(), name.startsWith("/") ? name.substring(1) : name,
                                             String.valueOf(c.getImage()),
                                             c.getLabels() == null ? Map.of() : Map.copyOf(c.getLabels()),
                                             String.valueOf(c.getState()), String.valueOf(c.getStatus()),
                                             Instant.ofEpochSecond(c.getCreated() == null ? 0 : c.getCreated())));
            }
            return result;
        });
    }

    @Override
    public boolean imageExists(String image) {
        return call(() -> {
            try {
                client.get().inspectImageCmd(image).exec();
                return true;
            } catch (NotFoundException e) {
                return false;
            }
        });
    }

    @Override
    public void pullImage(String image, Duration timeout) {
        call(() -> {
            PullCallback callback = client.get().pullImageCmd(image).exec(new PullCallback());
            try {
                if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new DockerFailure(DockerFailure.Kind.REJECTED,
                                            "pull did not finish within " + timeout.toSeconds() + "s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DockerFailure(DockerFailure.Kind.REJECTED, "pull interrupted");
            }
            if (callback.error != null) {
                throw new DockerFailure(DockerFailure.Kind.REJECTED, callback.error);
            }
            return null;
        });
    }

    /**
     * Collects a pull's error without docker-java's default ERROR log and stack trace: a missing
     * image is an expected condition, reported on the pool instead.
     */
    private static final class PullCallback extends ResultCallback.Adapter<PullResponseItem> {
        volatile String error;

        @Override
        public void onNext(PullResponseItem item) {
            if (item.isErrorIndicated()) {
                error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                        ? item.getErrorDetail().getMessage() : String.valueOf(item.getError());
            }
        }

        @Override
        public void onError(Throwable throwable) {
            error = throwable instanceof DockerException de ? message(de) : String.valueOf(throwable.getMessage());
            try {
                close();
            } catch (java.io.IOException ignored) {
                // nothing left to release
            }
        }
    }

    @Override
    public String createAndStart(ContainerSpec spec) {
        return call(() -> {
            List<Bind> binds = new ArrayList<>();
            for (Mount m : spec.mounts()) {
                binds.add(new Bind(m.getSource(), new Volume(m.getTarget()),
                                   m.getReadOnly() ? AccessMode.ro : AccessMode.rw));
            }
            HostConfig host = HostConfig.newHostConfig()
                                        .withNetworkMode("host")
                                        .withInit(true)
                                        .withPrivileged(spec.privileged())
                                        .withRestartPolicy(RestartPolicy.noRestart())
                                        .withMemory(spec.memoryBytes())
                                        .withMemorySwap(spec.memoryBytes())
                                        .withPidsLimit(spec.pids())
                                        .withNanoCPUs(Math.round(spec.cpus() * 1_000_000_000L))
                                        .withBinds(binds);
            // Each is set only when the pool asked and ENGINE_HOST_ACCESS allowed it (PoolValidator).
            if (spec.hostPid()) {
                host.withPidMode("host");
            }
            if (spec.hostIpc()) {
                host.withIpcMode("host");
            }
            if (!spec.capAdd().isEmpty()) {
                host.withCapAdd(spec.capAdd().stream()
                        .map(c -> Capability.valueOf(EngineHostAccess.normalCapability(c))).toArray(Capability[]::new));
            }
            if (!spec.devices().isEmpty()) {
                host.withDevices(spec.devices().stream().map(d -> new Device("rwm", d, d)).toList());
            }
            List<String> env = new ArrayList<>();
            spec.env().forEach((k, v) -> env.add(k + "=" + v));
            var create = client.get().createContainerCmd(spec.image()).withName(spec.name()).withEnv(env)
                               .withLabels(spec.labels()).withHostConfig(host);
            if (!spec.command().isEmpty()) {
                create.withCmd(spec.command());
            }
            CreateContainerResponse created = create.exec();
            try {
                client.get().startContainerCmd(created.getId()).exec();
            } catch (RuntimeException e) {
                // A container that never ran is of no use; leave nothing behind.
                try {
                    client.get().removeContainerCmd(created.getId()).withForce(true).exec();
                } catch (RuntimeException ignored) {
                    // the monitor removes it later if it is still there
                }
                throw e;
            }
            return created.getId();
        });
    }

    @Override
    public void stopAndRemove(String containerId, Duration stopTimeout) {
        call(() -> {
            try {
                client.get().stopContainerCmd(containerId).withTimeout((int) Math.max(1, stopTimeout.toSeconds())).exec();
            } catch (NotModifiedException | NotFoundException ignored) {
                // already stopped or gone
            }
            try {
                client.get().removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException ignored) {
                // already gone
            }
            return null;
        });
    }

    @Override
    public Closeable followEvents(String instanceId, Runnable onEvent, Consumer<String> onEnd) {
        return eventsClient.get().eventsCmd()
                           .withEventTypeFilter(EventType.CONTAINER)
                           .withLabelFilter(Map.of(EngineLabels.MANAGED_BY, instanceId))
                           .exec(new ResultCallback.Adapter<Event>() {
                               @Override
                               public void onNext(Event event) {
                                   onEvent.run();
                               }

                               @Override
                               public void onError(Throwable error) {
                                   onEnd.accept(String.valueOf(error.getMessage()));
                               }

                               @Override
                               public void onComplete() {
                                   onEnd.accept("event stream ended");
                               }
                           });
    }

    @Override
    public void close() {
        client.ifMade(DockerJavaRuntime::closeQuietly);
        eventsClient.ifMade(DockerJavaRuntime::closeQuietly);
    }

    private static void closeQuietly(DockerClient made) {
        try {
            made.close();
        } catch (java.io.IOException ignored) {
            // closing sockets; nothing to do
        }
    }

    private static <T> T call(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (DockerFailure e) {
            throw e;
        } catch (NotFoundException e) {
            throw new DockerFailure(DockerFailure.Kind.NOT_FOUND, message(e));
        } catch (DockerException e) {
            throw new DockerFailure(DockerFailure.Kind.REJECTED, message(e));
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new DockerFailure(DockerFailure.Kind.UNREACHABLE, root.getClass().getSimpleName() + ": "
                                                                   + root.getMessage());
        }
    }

    /** Docker's own message without docker-java's "Status 404: {...}" wrapping. */
    private static String message(DockerException e) {
        String text = String.valueOf(e.getMessage());
        int json = text.indexOf('{');
        if (json >= 0) {
            try {
                com.fasterxml.jackson.databind.JsonNode node =
                        new com.fasterxml.jackson.databind.ObjectMapper().readTree(text.substring(json));
                if (node != null && node.hasNonNull("message")) {
                    return node.get("message").asText();
                }
            } catch (java.io.IOException | RuntimeException ignored) {
                // not JSON: use the text as it is
            }
        }
        return text.strip();
    }
}
