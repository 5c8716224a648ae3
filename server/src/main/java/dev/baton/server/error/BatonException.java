package dev.baton.server.error;

import io.grpc.Status;

/**
 * A domain error with the gRPC status it maps to and a message a user can act on: it names the
 * field or entity, the value, and what was expected. REST callers see the matching HTTP status.
 */
public final class BatonException extends RuntimeException {

    private final Status.Code code;

    public BatonException(Status.Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public Status.Code code() {
        return code;
    }

    public static BatonException invalidArgument(String format, Object... args) {
        return new BatonException(Status.Code.INVALID_ARGUMENT, String.format(format, args));
    }

    public static BatonException notFound(String kind, String id) {
        return new BatonException(Status.Code.NOT_FOUND, kind + " \"" + id + "\" not found");
    }

    public static BatonException failedPrecondition(String format, Object... args) {
        return new BatonException(Status.Code.FAILED_PRECONDITION, String.format(format, args));
    }

    public static BatonException alreadyExists(String format, Object... args) {
        return new BatonException(Status.Code.ALREADY_EXISTS, String.format(format, args));
    }

    public static BatonException unavailable(String format, Object... args) {
        return new BatonException(Status.Code.UNAVAILABLE, String.format(format, args));
    }

    /** A fault of the server's own (a bug); the message says where its details were logged. */
    public static BatonException internal(String format, Object... args) {
        return new BatonException(Status.Code.INTERNAL, String.format(format, args));
    }

    public static BatonException deadlineExceeded(String format, Object... args) {
        return new BatonException(Status.Code.DEADLINE_EXCEEDED, String.format(format, args));
    }
}
