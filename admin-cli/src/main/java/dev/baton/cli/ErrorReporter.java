package dev.baton.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.StringJoiner;

import dev.baton.cli.connect.ConnectionOptions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Turns a failed call into one line on stderr and an exit code. The server's own message is kept as is
 * ({@code error: NOT_FOUND: job "x" not found}); only transport failures, whose gRPC message ("io exception")
 * tells a user nothing, are reworded to say which address and which timeout were involved.
 */
final class ErrorReporter {

    private ErrorReporter() {}

    static int report(StatusRuntimeException e, ConnectionOptions options, String method, PrintWriter err) {
        Status status = e.getStatus();
        err.println("error: " + status.getCode() + ": " + describe(status, options, method));
        err.flush();
        return ExitCodes.forStatus(status.getCode());
    }

    static String describe(Status status, ConnectionOptions options, String method) {
        String description = status.getDescription();
        switch (status.getCode()) {
            case UNIMPLEMENTED:
                // A server without the service answers HTTP 404; grpc-java's text is a multi-line HTTP dump.
                if (description != null && description.startsWith("HTTP status code 404")) {
                    return "the server at " + options.address() + " does not implement "
                           + (method.isEmpty() ? "this call" : method) + " (HTTP 404)";
                }
                break;
            case UNAVAILABLE:
                if (status.getCause() != null || description == null || "io exception".equals(description)) {
                    return "cannot reach the server at " + options.address() + rootCause(status.getCause());
                }
                break;
            case DEADLINE_EXCEEDED:
                if (description == null || isClientDeadline(description)) {
                    return "no answer from " + options.address() + " within " + seconds(options) + " (--timeout)";
                }
                break;
            default:
                break;
        }
        if (description == null) {
            return status.getCode().toString().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
        // The report is one line: scripts read stderr line by line.
        return description.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    // grpc-java words a deadline that ran out on this side as "deadline exceeded after 9.99s ..." or
    // "ClientCall started after CallOptions deadline was exceeded ..."; a server's own message is anything else.
    private static boolean isClientDeadline(String description) {
        return description.startsWith("deadline exceeded after") || description.contains("CallOptions deadline");
    }

    private static String seconds(ConnectionOptions options) {
        long millis = options.timeout().toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private static String rootCause(Throwable cause) {
        if (cause == null) {
            return "";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null) {
            return " (" + root.getClass().getSimpleName() + ')';
        }
        // Netty words it "finishConnect(..) failed with error(-111): Connection refused" (epoll) or "Connection
        // refused: localhost/127.0.0.1:1" (NIO). Keep the part a person reads: not the syscall, not the resolved
        // address (the user typed the address already).
        StringJoiner reason = new StringJoiner(": ");
        for (String part : message.split(": ")) {
            if (!part.contains("(..)") && !part.contains("/")) {
                reason.add(part);
            }
        }
        return " (" + (reason.length() == 0 ? message : reason.toString()) + ')';
    }
}
