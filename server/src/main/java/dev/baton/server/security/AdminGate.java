package dev.baton.server.security;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

import dev.baton.server.time.TimeSource;

/**
 * Decides every admin call, whatever the transport: who the caller is (bearer token, or the
 * anonymous loopback caller in {@link AuthMode#LOCAL}), whether they are within their request rate,
 * and whether their role covers what the call needs.
 */
public final class AdminGate {

    private static final String BEARER = "bearer ";

    private final AuthMode mode;
    private final List<AdminToken> tokens;
    private final RateLimiter limiter;

    public AdminGate(AuthMode mode, List<AdminToken> tokens, TimeSource time, int ratePerSecond, int burst) {
        this.mode = requireNonNull(mode, "mode");
        this.tokens = List.copyOf(tokens);
        this.limiter = new RateLimiter(time, ratePerSecond, burst);
    }

    public AuthMode mode() {
        return mode;
    }

    /**
     * Admits a call to {@code operation} (e.g. {@code SubmitJob}) that needs {@code needed}, given the
     * request's {@code authorization} header (null when absent) and the peer's address.
     *
     * @throws AccessDenied when the caller may not make the call now
     */
    public Caller admit(String operation, Role needed, String authorization, InetAddress remote) {
        if (mode == AuthMode.OFF) {
            return Caller.AUTH_OFF;
        }
        Caller caller = identify(operation, needed, authorization, remote);
        long retryAfter = limiter.acquire(caller.name());
        if (retryAfter > 0) {
            throw AccessDenied.rateLimited(
                    "rate limit of " + limiter.perSecond() + " admin requests/s exceeded for " + caller.describe()
                    + " (ADMIN_RATE_LIMIT_RPS); retry after " + retryAfter + " s", retryAfter);
        }
        if (!caller.role().includes(needed)) {
            throw AccessDenied.permissionDenied(operation + " needs role " + needed.label() + "; "
                                                + caller.describe() + " has role " + caller.role().label());
        }
        return caller;
    }

    private Caller identify(String operation, Role needed, String authorization, InetAddress remote) {
        if (authorization == null || authorization.isBlank()) {
            if (mode == AuthMode.LOCAL && remote != null && remote.isLoopbackAddress()) {
                return Caller.LOCAL_ANONYMOUS;
            }
            throw AccessDenied.unauthenticated(
                    operation + " needs an admin token with role " + needed.label()
                    + ": send 'authorization: Bearer <token>' (batonctl: --token or BATON_TOKEN)");
        }
        String value = authorization.trim();
        if (value.length() <= BEARER.length() || !value.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            throw AccessDenied.unauthenticated("authorization: expected 'Bearer <token>'");
        }
        byte[] digest = AdminToken.sha256(value.substring(BEARER.length()).trim());
        AdminToken found = null;
        // Compare with every token, so the time taken says nothing about which one came close.
        for (AdminToken token : tokens) {
            if (token.matches(digest) && found == null) {
                found = token;
            }
        }
        if (found == null) {
            throw AccessDenied.unauthenticated("the bearer token is not a known admin token");
        }
        return new Caller(found.name(), found.role(), false);
    }
}
