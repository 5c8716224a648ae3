package dev.baton.server.config;

/** A configuration value that the server cannot start with; the message names it. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String name, String value, String expected) {
        super("invalid configuration: " + name + "=" + value + " (expected: " + expected + ")");
    }

    /** For values that must not be echoed (tokens): the problem names the entry instead. */
    public ConfigException(String name, String problem) {
        super("invalid configuration: " + name + ": " + problem);
    }

    /** For a value that is well-formed but unusable: a file that is missing, unreadable or wrong. */
    public ConfigException(String name, String value, String problem, String expected) {
        super("invalid configuration: " + name + "=" + value + ": " + problem + " (expected: " + expected + ")");
    }
}
