package dev.baton.cli;

/**
 * A failure that is not a gRPC status, reported as one {@code error: ...} line with its own exit code
 * (for example a waited-for job that ended FAILED).
 */
public final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /** A failure reported as {@code error: message} that exits with {@code exitCode}. */
    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The process exit code. */
    public int exitCode() {
        return exitCode;
    }
}
