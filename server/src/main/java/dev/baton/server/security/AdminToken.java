package dev.baton.server.security;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One configured admin token: a name (shown in messages and logs instead of the token), a role, and
 * the SHA-256 digest of the token. The token itself is never kept.
 */
public final class AdminToken {

    private final String name;
    private final Role role;
    private final byte[] digest;

    AdminToken(String name, Role role, byte[] digest) {
        this.name = requireNonNull(name, "name");
        this.role = requireNonNull(role, "role");
        this.digest = digest.clone();
    }

    /** A token given in clear text: only its digest is kept. */
    public static AdminToken of(String name, Role role, String token) {
        return new AdminToken(name, role, sha256(token));
    }

    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }

    /** Constant-time comparison of {@code presentedDigest} with this token's digest. */
    boolean matches(byte[] presentedDigest) {
        return MessageDigest.isEqual(digest, presentedDigest);
    }

    boolean sameDigest(AdminToken other) {
        return MessageDigest.isEqual(digest, other.digest);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AdminToken[name=" + name + ", role=" + role.label() + "]";
    }
}
