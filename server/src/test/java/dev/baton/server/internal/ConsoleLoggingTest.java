package dev.baton.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConsoleLoggingTest {

    @Test
    void oneLinePerEventAndJobLinesOnTheirOwnAppender() {
        LoggerContext context = configured();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        @SuppressWarnings("unchecked")
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDOUT");
        assertThat(console.isStarted()).isTrue();

        LoggingEvent event = new LoggingEvent(Logger.FQCN, context.getLogger("dev.baton.server.jobs.JobLifecycle"),
                                              Level.INFO, "event=job-ended job={}", null, new Object[] {"j-1"});
        event.setInstant(Instant.parse("2026-11-27T21:00:00.123Z"));
        String line = new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
        assertThat(line).matches("2026-11-27T\\d\\d:\\d\\d:00\\.123(Z|[+-]\\d\\d:\\d\\d) INFO  JobLifecycle event=job-ended job=j-1"
                                 + System.lineSeparator());

        Logger jobs = context.getLogger("dev.baton.server.jobs");
        assertThat(jobs.isAdditive()).isFalse();
        AsyncAppender jobLines = (AsyncAppender) jobs.getAppender("JOBS");
        assertThat(jobLines.isStarted()).isTrue();
        assertThat(jobLines.getQueueSize()).isEqualTo(8192);
        assertThat(jobLines.getDiscardingThreshold()).isZero(); // nothing is dropped
        assertThat(jobLines.getAppender("STDOUT")).isSameAs(console);
        context.stop();
    }

    @Test
    void batonAtInfoFrameworksAtWarn() {
        LoggerContext context = configured();
        assertThat(context.getLogger("dev.baton.server.BatonServer").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("com.linecorp.armeria.server.Server").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.netty.channel.Channel").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.grpc.Server").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("com.github.dockerjava.core.DockerClient").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.sqlite.JDBC").getEffectiveLevel()).isEqualTo(Level.INFO);
        context.stop();
    }

    @Test
    void aConfigurationFileNamedOnTheCommandLineIsLeftToLogback() {
        LoggerContext context = new LoggerContext();
        ConsoleLogging logging = new ConsoleLogging();
        logging.setContext(context);
        System.setProperty("logback.configurationFile", "my-logback.xml");
        try {
            assertThat(logging.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
        } finally {
            System.clearProperty("logback.configurationFile");
        }
    }

    @Test
    void aLogbackFileOnTheClassPathIsLeftToLogback(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (var plain = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, null)) {
            assertThat(ConsoleLogging.hasConfigurationFile(plain)).isFalse();
        }
        java.nio.file.Files.writeString(dir.resolve("logback-test.xml"), "<configuration/>");
        try (var withFile = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, null)) {
            assertThat(ConsoleLogging.hasConfigurationFile(withFile)).isTrue();
        }
    }

    @Test
    void logLevelSetsBatonsLoggersOnly() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Level before = context.getLogger(ConsoleLogging.BATON_LOGGERS).getLevel();
        try {
            LogLevel.applyToBatonLoggers("DEBUG");
            assertThat(context.getLogger("dev.baton.server.jobs.JobLifecycle").isDebugEnabled()).isTrue();
            assertThat(context.getLogger("io.grpc.Server").isInfoEnabled()).isFalse();
        } finally {
            context.getLogger(ConsoleLogging.BATON_LOGGERS).setLevel(before);
        }
    }

    private static LoggerContext configured() {
        LoggerContext context = new LoggerContext();
        ConsoleLogging logging = new ConsoleLogging();
        logging.setContext(context);
        assertThat(logging.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        return context;
    }
}
