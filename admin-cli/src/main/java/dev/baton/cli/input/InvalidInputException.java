package dev.baton.cli.input;

/** Input the user gave (a file, a JSON text, a key=value) is unusable; reported as a usage error (exit 2). */
public final class InvalidInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** {@code message} names the option and the problem, e.g. {@code --config: ... at line 1 column 9}. */
    public InvalidInputException(String message) {
        super(message);
    }
}
