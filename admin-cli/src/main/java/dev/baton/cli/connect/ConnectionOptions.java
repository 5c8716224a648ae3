package dev.baton.cli.connect;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** How to reach the server: the resolved global options, immutable. */
public final class ConnectionOptions {

    private final ServerAddress address;
    private final List<ServerAddress> servers;
    private final String token;
    private final boolean tls;
    private final Path caFile;
    private final Duration timeout;

    /**
     * Options for one invocation. TLS is on when {@code tls} is set, when a CA file is given, or when the
     * address was an {@code https://} URL.
     */
    public ConnectionOptions(ServerAddress address, String token, boolean tls, Path caFile,
                             Duration timeout) {
        this(List.of(requireNonNull(address, "address")), token, tls, caFile, timeout);
    }

    /** Options for several servers of one highly available Baton; the first is tried first. */
    public ConnectionOptions(List<ServerAddress> servers, String token, boolean tls, Path caFile,
                             Duration timeout) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("servers: empty (expected: at least one host:port)");
        }
        this.servers = List.copyOf(servers);
        this.address = servers.get(0);
        this.token = token == null || token.isBlank() ? null : token.trim();
        this.tls = tls || caFile != null || this.address.tls();
        this.caFile = caFile;
        this.timeout = requireNonNull(timeout, "timeout");
    }

    /** The server's address. */
    public ServerAddress address() {
        return address;
    }

    /** Every server given, the first one first. */
    public List<ServerAddress> servers() {
        return servers;
    }

    /** The bearer token, or null to send none. */
    public String token() {
        return token;
    }

    /** Whether to speak TLS. */
    public boolean tls() {
        return tls;
    }

    /** The CA certificates to trust instead of the system's, or null. */
    public Path caFile() {
        return caFile;
    }

    /** The deadline of each unary call. */
    public Duration timeout() {
        return timeout;
    }
}
