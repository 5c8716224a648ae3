package dev.baton.server.engines;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.server.control.ControlLoop;

/**
 * Makes sure a pool's image is present on a host before engines are created there: inspect, pull if
 * missing. A pull that fails leaves a clear IMAGE_ERROR on the pool (naming the image and Docker's
 * reason) and is retried with exponential backoff; a new image in the spec is checked afresh.
 */
final class ImageEnsurer {

    private static final Logger log = LoggerFactory.getLogger(ImageEnsurer.class);

    private final ControlLoop loop;
    private final EngineRegistry registry;
    private final EngineSettings settings;
    private final EngineMetrics metrics;
    private final Runnable autoscaleSoon;

    ImageEnsurer(ControlLoop loop, EngineRegistry registry, EngineSettings settings, EngineMetrics metrics,
                 Runnable autoscaleSoon) {
        this.loop = loop;
        this.registry = registry;
        this.settings = settings;
        this.metrics = metrics;
        this.autoscaleSoon = autoscaleSoon;
    }

    /** Starts a check on {@code host} unless the image is ready there, being checked, or waiting for its retry. */
    void ensure(PoolRecord pool, HostRecord host) {
        HostImage state = pool.image(host.name());
        if (state.state == HostImage.State.READY || state.checking || state.retry != null || host.calls == null) {
            return;
        }
        state.checking = true;
        String image = pool.spec().getImage();
        host.calls.run(rt -> {
            if (rt.imageExists(image)) {
                return "present";
            }
            log.info("event=image-pulling pool={} image={} host={}", pool.name(), image, host.name());
            rt.pullImage(image, settings.pullTimeout());
            return "pulled";
        }, (how, failure) -> checked(pool, host, state, image, how, failure));
    }

    private void checked(PoolRecord pool, HostRecord host, HostImage state, String image, String how,
                         DockerFailure failure) {
        state.checking = false;
        if (registry.pool(pool.name()) != pool || !image.equals(pool.spec().getImage())
            || pool.images.get(host.name()) != state) {
            return;
        }
        if (failure == null) {
            host.failures.answered();
            state.state = HostImage.State.READY;
            state.error = "";
            state.failures = 0;
            metrics.imageCheck(how);
            log.info("event=image-ready pool={} image={} host={} how={}", pool.name(), image, host.name(), how);
            registry.publish(pool);
            autoscaleSoon.run();
            return;
        }
        host.failures.failed(failure);
        metrics.imageCheck("failed");
        if (failure.kind() == DockerFailure.Kind.UNREACHABLE) {
            // Not the image's fault: checked again once Docker answers.
            state.state = HostImage.State.UNKNOWN;
            registry.publish(pool);
            return;
        }
        state.failures++;
        state.state = HostImage.State.ERROR;
        state.error = "image \"" + image + "\" is not present and could not be pulled"
                      + (HostRecord.LOCAL.equals(host.name()) ? "" : " on host " + host.name()) + ": "
                      + failure.getMessage();
        Duration delay = backoff(state.failures);
        log.warn("event=image-pull-failed pool={} image={} host={} attempt={} retry_in_ms={} error=\"{}\"", pool.name(),
                 image, host.name(), state.failures, delay.toMillis(), failure.getMessage());
        state.retry = loop.schedule(delay, () -> {
            state.retry = null;
            if (registry.pool(pool.name()) == pool && host.usable()) {
                ensure(pool, host);
            }
        });
        registry.publish(pool);
    }

    private Duration backoff(int attempt) {
        Duration delay = settings.retryBase().multipliedBy(1L << Math.min(attempt - 1, 16));
        return delay.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : delay;
    }
}
