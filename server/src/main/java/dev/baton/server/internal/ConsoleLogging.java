package dev.baton.server.internal;

import java.util.List;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.hook.DefaultShutdownHook;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.ContextUtil;
import org.slf4j.LoggerFactory;

/**
 * Baton's logging, set up in code (found by logback as a {@link Configurator} service): one line per
 * event on standard output, key=value fields, and the per-job lines written on an appender thread of
 * their own. Reading an equivalent logback.xml took 0.2–0.25 s of every start (logback's XML
 * configurator), on the start-up thread, before anything else could happen.
 *
 * <p>A logback configuration of one's own still wins: {@code -Dlogback.configurationFile=FILE}, or a
 * {@code logback-test.xml} or {@code logback.xml} on the class path (a test suite, an application that
 * embeds the server), is read by logback's own configurator.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

    /** Baton's own loggers; LOG_LEVEL sets their level. */
    public static final String BATON_LOGGERS = "dev.baton";
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} %msg%n";
    /** Frameworks that log plenty at INFO about what is normal for Baton. */
    private static final List<String> QUIET = List.of("com.linecorp.armeria", "io.netty", "io.grpc", "com.github.dockerjava");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
            || hasConfigurationFile(ConsoleLogging.class.getClassLoader())) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        ConsoleAppender<ILoggingEvent> console = console(context);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        context.getLogger(BATON_LOGGERS).setLevel(Level.INFO);
        Logger jobs = context.getLogger("dev.baton.server.jobs");
        jobs.setAdditive(false);
        jobs.addAppender(jobLines(context, console));
        QUIET.forEach(name -> context.getLogger(name).setLevel(Level.WARN));
        // Drains the asynchronous appender's queue when the JVM exits normally (SIGTERM included).
        DefaultShutdownHook drain = new DefaultShutdownHook();
        drain.setContext(context);
        new ContextUtil(context).addOrReplaceShutdownHook(drain);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static boolean hasConfigurationFile(ClassLoader loader) {
        return loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null;
    }

    /** Sets the level of Baton's own loggers; callers go through {@link LogLevel} (see why there). */
    static void batonLevel(String level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(BATON_LOGGERS).setLevel(Level.toLevel(level, Level.INFO));
        }
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        return console;
    }

    /**
     * The job loggers write a line or two per job from the control loop, thousands a second under
     * load: they are formatted and written on the appender's own thread. Nothing is dropped (a full
     * queue makes the loop wait); start-up and shutdown lines stay synchronous, so an error that ends
     * the process is on the console before it exits.
     */
    private static AsyncAppender jobLines(LoggerContext context, ConsoleAppender<ILoggingEvent> console) {
        AsyncAppender jobs = new AsyncAppender();
        jobs.setContext(context);
        jobs.setName("JOBS");
        jobs.setQueueSize(8192);
        jobs.setDiscardingThreshold(0);
        jobs.addAppender(console);
        jobs.start();
        return jobs;
    }
}
