package dev.baton.agent.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** The default agent id: the host name plus a suffix that is the same every time it starts here. */
public final class AgentIds {

    private AgentIds() {}

    /**
     * {@code <host>-<6 hex>}, the suffix hashed from the host, the user and the working directory:
     * stable across restarts (so the server recognises the agent and its jobs), different for two
     * agents started from different directories of one host.
     */
    public static String defaultAgentId() {
        String host = hostName();
        String seed = host + '\n' + System.getProperty("user.name", "") + '\n'
                      + System.getProperty("user.dir", "");
        return host + '-' + HexFormat.of().formatHex(sha256(seed), 0, 3);
    }

    static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return sanitize(fromEnv);
        }
        try {
            return sanitize(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            return "agent";
        }
    }

    private static String sanitize(String host) {
        String name = host.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
        return name.isEmpty() ? "agent" : name;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
