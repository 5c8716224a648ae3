package dev.baton.server.engines;

import java.io.Closeable;
import java.time.Duration;
import java.util.List;

/**
 * The Docker operations engine pools need. Calls block and throw {@link DockerFailure}; callers run
 * them on the engines' own bounded executor, never on the control loop.
 */
interface DockerRuntime extends AutoCloseable {

    /** Docker's version, e.g. "20.10.24+dfsg1". */
    String version();

    /** Lists every container (any state) labelled as managed by {@code instanceId}. */
    List<ContainerInfo> listManaged(String instanceId);

    /** True when the image is present locally. */
    boolean imageExists(String image);

    /** Pulls the image; throws when it cannot be pulled within {@code timeout}. */
    void pullImage(String image, Duration timeout);

    /** Creates and starts a container; returns its id. A container that fails to start is removed. */
    String createAndStart(ContainerSpec spec);

    /** Stops (SIGTERM, then SIGKILL after {@code stopTimeout}) and removes; a missing container is fine. */
    void stopAndRemove(String containerId, Duration stopTimeout);

    /**
     * Follows Docker's container events for {@code instanceId}'s containers, calling {@code onEvent} for
     * each and {@code onEnd} once when the stream ends or fails (the caller reconnects).
     */
    Closeable followEvents(String instanceId, Runnable onEvent, java.util.function.Consumer<String> onEnd);

    @Override
    void close();
}
