package dev.baton.cli.connect;

import static java.util.Objects.requireNonNull;

/**
 * Where the server listens, parsed from {@code --server}: {@code host:port}, {@code host} (port 8080),
 * {@code [::1]:8080}, or a URL {@code http://host:port} / {@code https://host:port} (the latter turns TLS on).
 */
public final class ServerAddress {

    private static final int DEFAULT_PORT = 8080;
    private static final int DEFAULT_TLS_PORT = 443;

    private final String host;
    private final int port;
    private final boolean tls;

    private ServerAddress(String host, int port, boolean tls) {
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} with a message naming the problem. */
    public static ServerAddress parse(String text) {
        requireNonNull(text, "text");
        String rest = text.trim();
        boolean tls = false;
        boolean url = false;
        if (rest.startsWith("https://")) {
            tls = true;
            url = true;
            rest = rest.substring("https://".length());
        } else if (rest.startsWith("http://")) {
            url = true;
            rest = rest.substring("http://".length());
        }
        if (url && rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("server address is empty (expected: host:port)");
        }
        int defaultPort = tls ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("server address '" + text + "' has no closing ']'");
            }
            String host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (after.isEmpty()) {
                return new ServerAddress(host, defaultPort, tls);
            }
            if (!after.startsWith(":")) {
                throw new IllegalArgumentException("server address '" + text + "' is not [host]:port");
            }
            return new ServerAddress(host, parsePort(after.substring(1), text), tls);
        }
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            return new ServerAddress(rest, defaultPort, tls);
        }
        if (rest.indexOf(':') != colon) {
            throw new IllegalArgumentException(
                    "server address '" + text + "' is ambiguous (expected: host:port, or [ipv6]:port)");
        }
        String host = rest.substring(0, colon);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("server address '" + text + "' has no host");
        }
        return new ServerAddress(host, parsePort(rest.substring(colon + 1), text), tls);
    }

    private static int parsePort(String port, String text) {
        try {
            int value = Integer.parseInt(port);
            if (value < 1 || value > 65535) {
                throw new IllegalArgumentException(
                        "server address '" + text + "' has port " + value + " (expected: 1..65535)");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("server address '" + text + "' has no valid port");
        }
    }

    /** The host name or IP literal (without brackets). */
    public String host() {
        return host;
    }

    /** The port. */
    public int port() {
        return port;
    }

    /** True when the address was an {@code https://} URL. */
    public boolean tls() {
        return tls;
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? '[' + host + ']' : host) + ':' + port;
    }
}
