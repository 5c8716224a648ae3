package dev.baton.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The last resort for an exception no command expected (a bug): one line, exit 1, and the stack trace only
 * when {@code BATONCTL_DEBUG} is set, so that users see a message and developers can still get the trace.
 */
final class UnexpectedErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        if (System.getenv("BATONCTL_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.SERVER_ERROR;
    }
}
