package dev.baton.agent.runner;

/** A job's config does not describe a command this agent can run; the message says what is wrong. */
public final class InvalidJobConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** With a message that names the field and what was expected. */
    public InvalidJobConfigException(String message) {
        super(message);
    }
}
