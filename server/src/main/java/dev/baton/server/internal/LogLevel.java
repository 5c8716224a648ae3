package dev.baton.server.internal;

import org.slf4j.LoggerFactory;

/** LOG_LEVEL, applied to Baton's own loggers. */
public final class LogLevel {

    private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";

    private LogLevel() {}

    /**
     * Sets the level of Baton's own loggers when SLF4J is bound to logback, as in the server's jar.
     * With another binding (a test or an application that runs the server with logging of its own,
     * where logback may not even be on the class path) that binding's configuration decides, and no
     * logback class is loaded: {@link ConsoleLogging} implements one of logback's interfaces.
     */
    public static void applyToBatonLoggers(String level) {
        if (LOGBACK_CONTEXT.equals(LoggerFactory.getILoggerFactory().getClass().getName())) {
            ConsoleLogging.batonLevel(level);
        }
    }
}
