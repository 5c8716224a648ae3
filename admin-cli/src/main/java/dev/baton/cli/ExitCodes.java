package dev.baton.cli;

import io.grpc.Status;

/**
 * The exit codes of {@code batonctl}, documented in docs/cli.md. Scripts branch on them, so they never change
 * meaning.
 */
public final class ExitCodes {

    /** The command did what was asked. */
    public static final int OK = 0;
    /** The server refused or failed the request (any status not listed below), or a waited-for job failed. */
    public static final int SERVER_ERROR = 1;
    /** The command line was wrong: unknown option, missing argument, unreadable or malformed input. */
    public static final int USAGE = 2;
    /** The server answered NOT_FOUND. */
    public static final int NOT_FOUND = 3;
    /** The server answered ALREADY_EXISTS, FAILED_PRECONDITION or ABORTED. */
    public static final int CONFLICT = 4;
    /** The server could not be reached or did not answer in time (UNAVAILABLE, DEADLINE_EXCEEDED). */
    public static final int UNAVAILABLE = 5;

    /** The exit code for a failed call that ended with {@code code}. */
    public static int forStatus(Status.Code code) {
        switch (code) {
            case OK:
                return OK;
            case NOT_FOUND:
                return NOT_FOUND;
            case ALREADY_EXISTS:
            case FAILED_PRECONDITION:
            case ABORTED:
                return CONFLICT;
            case UNAVAILABLE:
            case DEADLINE_EXCEEDED:
                return UNAVAILABLE;
            default:
                return SERVER_ERROR;
        }
    }

    private ExitCodes() {}
}
