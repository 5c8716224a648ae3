package dev.baton.server.engines;

/** A failed Docker call, classified so that loops know whether to back off or to count a failure. */
final class DockerFailure extends RuntimeException {

    enum Kind {
        /** The engine did not answer (socket missing, connection refused, timeout). */
        UNREACHABLE,
        /** The image or container does not exist. */
        NOT_FOUND,
        /** Docker answered with an error. */
        REJECTED
    }

    private final Kind kind;

    DockerFailure(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }

    /** The failure of any throwable from a Docker call. */
    static DockerFailure of(Throwable error) {
        Throwable cause = dev.baton.server.error.ErrorMapping.unwrap(error);
        if (cause instanceof DockerFailure failure) {
            return failure;
        }
        return new DockerFailure(Kind.UNREACHABLE, String.valueOf(cause.getMessage()));
    }
}
