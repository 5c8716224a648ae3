package dev.baton.server.security;

import java.util.Locale;

/**
 * Who must present an admin token (ADMIN_AUTH). A presented token is always checked, in every mode
 * but {@link #OFF}: a bad token is refused even from loopback.
 */
public enum AuthMode {
    /** Every caller, loopback included, needs a token. The default when tokens are configured. */
    REQUIRED,
    /**
     * Callers without a token are admitted as admin only from loopback (127.0.0.1, ::1); everyone
     * else needs a token. The default when no token is configured, so a developer's curl works.
     */
    LOCAL,
    /** No checks at all (start-up warns). */
    OFF;

    /** The mode named {@code text} (any case), or null when there is none. */
    public static AuthMode parse(String text) {
        for (AuthMode mode : values()) {
            if (mode.name().equalsIgnoreCase(text.trim())) {
                return mode;
            }
        }
        return null;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
