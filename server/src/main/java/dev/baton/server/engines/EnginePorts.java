package dev.baton.server.engines;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.baton.proto.v1.Endpoint;
import dev.baton.proto.v1.PortSpec;
import dev.baton.proto.v1.PoolSpec;

/**
 * How an engine's named ports travel: env {@code BATON_PORT_<NAME>} for the container, label
 * {@code baton.port.<name>} so that a restarted Baton re-reserves them, and an {@link Endpoint} on
 * 127.0.0.1 (engines use the host network) for clients.
 */
final class EnginePorts {

    static final String LABEL_PREFIX = "baton.port.";
    static final String DEFAULT_SCHEME = "http";

    private EnginePorts() {}

    static String envName(String portName) {
        return "BATON_PORT_" + portName.toUpperCase(Locale.ROOT);
    }

    /** The ports written on a container's labels; unreadable values are skipped. */
    static Map<String, Integer> fromLabels(Map<String, String> labels) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        labels.forEach((key, value) -> {
            if (key.startsWith(LABEL_PREFIX)) {
                try {
                    int port = Integer.parseInt(value);
                    if (port >= 1 && port <= 65535) {
                        ports.put(key.substring(LABEL_PREFIX.length()), port);
                    }
                } catch (NumberFormatException ignored) {
                    // not a label Baton wrote: nothing to reserve
                }
            }
        });
        return ports;
    }

    static String scheme(PoolSpec spec, String portName) {
        for (PortSpec port : spec.getPortsList()) {
            if (port.getName().equals(portName)) {
                return port.getScheme();
            }
        }
        return "";
    }

    static Endpoint endpoint(String name, int port, String scheme, PortHealth health) {
        String s = scheme.isEmpty() ? DEFAULT_SCHEME : scheme;
        return Endpoint.newBuilder().setName(name).setUrl(s + "://127.0.0.1:" + port).setPort(port)
                       .setHealth(health == null ? Endpoint.Health.HEALTH_UNSPECIFIED : health.health).build();
    }
}
