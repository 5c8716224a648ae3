package dev.baton.agent;

/**
 * Thrown by a {@link JobHandler} command method to refuse a command for an expected reason; the
 * server receives {@code CommandAck{success=false, error=message}} and the agent logs no stack trace.
 */
public class CommandRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A refusal with a message for the operator. */
    public CommandRejectedException(String message) {
        super(message);
    }
}
