package dev.baton.server.engines;

import java.time.Instant;
import java.util.Map;

/** A container as Docker lists it. {@code state} is Docker's ("running", "exited", "created", ...). */
record ContainerInfo(String id, String name, String image, Map<String, String> labels, String state,
                     String status, Instant created) {

    boolean running() {
        return "running".equals(state);
    }
}
