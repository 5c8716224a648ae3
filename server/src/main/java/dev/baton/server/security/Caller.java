package dev.baton.server.security;

/**
 * Who made an admin call: the token's name and role, or the anonymous loopback caller that
 * ADMIN_AUTH=local (or off) admits as admin.
 */
public record Caller(String name, Role role, boolean anonymous) {

    static final Caller LOCAL_ANONYMOUS = new Caller("(loopback)", Role.ADMIN, true);
    static final Caller AUTH_OFF = new Caller("(auth off)", Role.ADMIN, true);

    /** For messages: {@code token "ci"} or {@code the anonymous loopback caller}. */
    public String describe() {
        return anonymous ? "the anonymous caller " + name : "token \"" + name + "\"";
    }
}
