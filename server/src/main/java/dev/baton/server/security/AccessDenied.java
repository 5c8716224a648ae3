package dev.baton.server.security;

import io.grpc.Status;

/**
 * An admin call refused: UNAUTHENTICATED (no or unknown token), PERMISSION_DENIED (role too low)
 * or RESOURCE_EXHAUSTED (rate limit, with the seconds to wait). The message never holds a token.
 */
public final class AccessDenied extends RuntimeException {

    private final Status.Code code;
    private final long retryAfterSeconds;

    private AccessDenied(Status.Code code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static AccessDenied unauthenticated(String message) {
        return new AccessDenied(Status.Code.UNAUTHENTICATED, message, 0);
    }

    static AccessDenied permissionDenied(String message) {
        return new AccessDenied(Status.Code.PERMISSION_DENIED, message, 0);
    }

    static AccessDenied rateLimited(String message, long retryAfterSeconds) {
        return new AccessDenied(Status.Code.RESOURCE_EXHAUSTED, message, retryAfterSeconds);
    }

    public Status.Code code() {
        return code;
    }

    /** Seconds the caller should wait before retrying; 0 when waiting does not help. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Status toStatus() {
        return Status.fromCode(code).withDescription(getMessage());
    }
}
