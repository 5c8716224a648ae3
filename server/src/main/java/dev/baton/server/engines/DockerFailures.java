package dev.baton.server.engines;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.baton.server.control.ControlLoop;

/**
 * Keeps {@link DockerState} current from the outcome of every Docker call, logs each change once
 * (no stack traces: Docker going away is an expected condition), and refreshes the pools' health.
 */
final class DockerFailures {

    private static final Logger log = LoggerFactory.getLogger(DockerFailures.class);

    private final ControlLoop loop;
    private final DockerState state;
    private final Runnable onChange;

    DockerFailures(ControlLoop loop, DockerState state, Runnable onChange) {
        this.loop = loop;
        this.state = state;
        this.onChange = onChange;
    }

    void answered() {
        if (state.answered(loop.time().now())) {
            log.info("event=docker-reachable host={}", state.host());
            onChange.run();
        }
    }

    /**
     * The host's containers could not be listed. Whatever Docker answered (a refused connection, or a
     * 400 from a TLS port spoken to in plain HTTP), the host is of no use until a listing works.
     */
    void listingFailed(DockerFailure failure) {
        if (state.unreachable(loop.time().now(), failure.getMessage())) {
            log.warn("event=docker-unreachable host={} kind={} error=\"{}\"", state.host(), failure.kind(),
                     failure.getMessage());
            onChange.run();
        }
    }

    void failed(DockerFailure failure) {
        if (failure.kind() != DockerFailure.Kind.UNREACHABLE) {
            answered();
            return;
        }
        if (state.unreachable(loop.time().now(), failure.getMessage())) {
            log.warn("event=docker-unreachable host={} error=\"{}\"", state.host(), failure.getMessage());
            onChange.run();
        }
    }
}
