package dev.baton.server.engines;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.server.control.ControlLoop;

/**
 * Makes sure a pool's image is present before engines are created: inspect, pull if missing. A pull
 * that fails leaves a clear IMAGE_ERROR on the pool (naming the image and Docker's reason) and is
 * retried with exponential backoff; a new image in the spec is checked afresh.
 */
final class ImageEnsurer {

    private static final Logger log = LoggerFactory.getLogger(ImageEnsurer.class);

    private final ControlLoop loop;
    private final EngineRegistry registry;
    private final DockerCalls docker;
    private final EngineSettings settings;
    private final EngineMetrics metrics;
    private final DockerFailures failures;
    private final Runnable autoscaleSoon;

    ImageEnsurer(ControlLoop loop, EngineRegistry registry, DockerCalls docker, EngineSettings settings,
                 EngineMetrics metrics, DockerFailures failures, Runnable autoscaleSoon) {
        this.loop = loop;
        this.registry = registry;
        this.docker = docker;
        this.settings = settings;
        this.metrics = metrics;
        this.failures = failures;
        this.autoscaleSoon = autoscaleSoon;
    }

    /** Starts a check unless the image is ready, being checked, or waiting for its retry. */
    void ensure(PoolRecord pool) {
        if (pool.image == PoolRecord.ImageState.READY || pool.imageChecking || pool.imageRetry != null) {
            return;
        }
        pool.imageChecking = true;
        String image = pool.spec().getImage();
        docker.run(rt -> {
            if (rt.imageExists(image)) {
                return "present";
            }
            log.info("event=image-pulling pool={} image={}", pool.name(), image);
            rt.pullImage(image, settings.pullTimeout());
            return "pulled";
        }, (how, failure) -> checked(pool, image, how, failure));
    }

    private void checked(PoolRecord pool, String image, String how, DockerFailure failure) {
        pool.imageChecking = false;
        if (registry.pool(pool.name()) != pool || !image.equals(pool.spec().getImage())) {
            return;
        }
        if (failure == null) {
            failures.answered();
            pool.image = PoolRecord.ImageState.READY;
            pool.imageError = "";
            pool.imageFailures = 0;
            metrics.imageCheck(how);
            log.info("event=image-ready pool={} image={} how={}", pool.name(), image, how);
            registry.publish(pool);
            autoscaleSoon.run();
            return;
        }
        failures.failed(failure);
        metrics.imageCheck("failed");
        if (failure.kind() == DockerFailure.Kind.UNREACHABLE) {
            // Not the image's fault: checked again once Docker answers.
            pool.image = PoolRecord.ImageState.UNKNOWN;
            registry.publish(pool);
            return;
        }
        pool.imageFailures++;
        pool.image = PoolRecord.ImageState.ERROR;
        pool.imageError = "image \"" + image + "\" is not present and could not be pulled: " + failure.getMessage();
        Duration delay = backoff(pool.imageFailures);
        log.warn("event=image-pull-failed pool={} image={} attempt={} retry_in_ms={} error=\"{}\"", pool.name(), image,
                 pool.imageFailures, delay.toMillis(), failure.getMessage());
        pool.imageRetry = loop.schedule(delay, () -> {
            pool.imageRetry = null;
            if (registry.pool(pool.name()) == pool && registry.docker().usable()) {
                ensure(pool);
            }
        });
        registry.publish(pool);
    }

    private Duration backoff(int attempt) {
        Duration delay = settings.retryBase().multipliedBy(1L << Math.min(attempt - 1, 16));
        return delay.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : delay;
    }
}
