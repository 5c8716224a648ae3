package dev.baton.server.error;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.InvalidProtocolBufferException;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;

/** The one place where domain errors become gRPC statuses (and, through transcoding, HTTP statuses). */
public final class ErrorMapping {

    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

    private ErrorMapping() {}

    /** The status a caller sees for {@code error}; unexpected errors are logged and hidden behind INTERNAL. */
    public static Status toStatus(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof BatonException baton) {
            return Status.fromCode(baton.code()).withDescription(baton.getMessage());
        }
        if (cause instanceof StatusRuntimeException sre) {
            return sre.getStatus();
        }
        if (cause instanceof StatusException se) {
            return se.getStatus();
        }
        if (cause instanceof InvalidProtocolBufferException ipe) {
            return Status.INVALID_ARGUMENT.withDescription(ipe.getMessage());
        }
        if (cause instanceof IllegalArgumentException iae) {
            return Status.INVALID_ARGUMENT.withDescription(iae.getMessage());
        }
        log.error("event=internal-error", cause);
        return Status.INTERNAL.withDescription("internal error: " + cause.getClass().getSimpleName());
    }

    public static StatusRuntimeException toException(Throwable error) {
        return toStatus(error).asRuntimeException();
    }

    /** Strips the wrappers that futures add. */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
               && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
