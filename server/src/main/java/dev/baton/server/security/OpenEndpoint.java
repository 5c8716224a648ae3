package dev.baton.server.security;

import java.util.Locale;

/** Endpoints that AUTH_OPEN_ENDPOINTS can leave open to callers without a token (otherwise: viewer). */
public enum OpenEndpoint {
    /** GET /healthz: for load balancers and probes. Open by default. */
    HEALTHZ,
    /** GET /metrics: for Prometheus. Open by default. */
    METRICS,
    /** /docs: the API browser (its debug form's calls are still checked). */
    DOCS,
    /** gRPC server reflection (what grpcurl lists). */
    REFLECTION;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The endpoint named {@code text} (any case), or null. */
    public static OpenEndpoint parse(String text) {
        for (OpenEndpoint endpoint : values()) {
            if (endpoint.label().equalsIgnoreCase(text.trim())) {
                return endpoint;
            }
        }
        return null;
    }
}
