package dev.baton.agent.cli;

import dev.baton.agent.BatonAgent;
import dev.baton.agent.runner.ProcessJobHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code baton-agent}: the reference agent. Runs each job's {@code command} as an OS process.
 * Every flag has an environment variable, so containers configure it without arguments.
 */
@Command(name = "baton-agent", mixinStandardHelpOptions = true, versionProvider = BatonAgentCommand.Version.class,
         sortOptions = false, usageHelpAutoWidth = true,
         description = {"Connects to a Baton server and runs each assigned job's config.command as an OS process.",
                        "SIGTERM drains: no new jobs, running ones finish (or are stopped after --drain-timeout), then Goodbye."})
public final class BatonAgentCommand implements Callable<Integer> {

    @Option(names = "--server", defaultValue = "${env:BATON_SERVER:-localhost:8080}",
            description = "Baton's address, host:port; with standbys every server, comma-separated: the agent follows the leader (env BATON_SERVER, default ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--token", defaultValue = "${env:BATON_TOKEN}",
            description = "The agent token (env BATON_TOKEN). Required.")
    String token;

    @Option(names = "--agent-id", defaultValue = "${env:BATON_AGENT_ID}",
            description = "Stable agent id (env BATON_AGENT_ID; default: the engine id, else host name + a stable suffix).")
    String agentId;

    @Option(names = "--name", defaultValue = "${env:BATON_AGENT_NAME}",
            description = "Human-readable name (env BATON_AGENT_NAME; default: the agent id).")
    String name;

    @Option(names = "--slots", defaultValue = "${env:BATON_SLOTS:-1}",
            description = "Jobs (processes) run at once (env BATON_SLOTS, default ${DEFAULT-VALUE}).")
    int slots;

    @Option(names = "--labels", defaultValue = "${env:BATON_LABELS}",
            description = "Labels jobs can require, k=v,k2=v2 (env BATON_LABELS).")
    String labels;

    @Option(names = "--endpoints", defaultValue = "${env:BATON_ENDPOINTS}",
            description = "Where this agent serves clients, name=url,... e.g. http=http://10.0.0.5:8080 (env BATON_ENDPOINTS).")
    String endpoints;

    @Option(names = "--engine-id", defaultValue = "${env:BATON_ENGINE_ID}",
            description = "Set inside Baton engine containers (env BATON_ENGINE_ID).")
    String engineId;

    @Option(names = "--tls", defaultValue = "${env:BATON_TLS:-false}",
            description = "Connect with TLS (env BATON_TLS, default ${DEFAULT-VALUE}).")
    boolean tls;

    @Option(names = "--ca-file", defaultValue = "${env:BATON_CA_FILE}",
            description = "PEM file of the CA to trust; implies --tls (env BATON_CA_FILE).")
    Path caFile;

    @Option(names = "--client-cert", defaultValue = "${env:BATON_CLIENT_CERT}",
            description = "PEM client certificate presented to the server; implies --tls, needs --client-key (env BATON_CLIENT_CERT).")
    Path clientCert;

    @Option(names = "--client-key", defaultValue = "${env:BATON_CLIENT_KEY}",
            description = "PEM (PKCS#8) private key of --client-cert (env BATON_CLIENT_KEY).")
    Path clientKey;

    @Option(names = "--drain-timeout", defaultValue = "${env:BATON_DRAIN_TIMEOUT:-30s}",
            description = "On SIGTERM, how long jobs may finish before they are stopped (env BATON_DRAIN_TIMEOUT, default ${DEFAULT-VALUE}).")
    String drainTimeout;

    @Option(names = "--stay-when-drained", defaultValue = "${env:BATON_STAY_WHEN_DRAINED:-false}",
            description = "After the server's Drain, stay connected for an undrain instead of exiting (env BATON_STAY_WHEN_DRAINED).")
    boolean stayWhenDrained;

    @Option(names = "--mute-signal", defaultValue = "${env:BATON_MUTE_SIGNAL}",
            description = "Signal sent to the job's process on mute, e.g. USR1 (env BATON_MUTE_SIGNAL; default: acknowledged no-op).")
    String muteSignal;

    @Option(names = "--unmute-signal", defaultValue = "${env:BATON_UNMUTE_SIGNAL}",
            description = "Signal sent on unmute, e.g. USR2 (env BATON_UNMUTE_SIGNAL; default: acknowledged no-op).")
    String unmuteSignal;

    @Option(names = "--stderr-lines", defaultValue = "${env:BATON_STDERR_LINES:-20}",
            description = "Last stderr lines reported with a FAILED job (env BATON_STDERR_LINES, default ${DEFAULT-VALUE}).")
    int stderrLines;

    @Override
    public Integer call() throws Exception {
        // SIGTERM and SIGINT are a normal stop: drain, then exit 0 (the JVM's own handling would
        // exit 143). The SDK's shutdown hook still drains on any other JVM shutdown.
        BatonAgent agent = builder().build();
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> agent.drain());
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> agent.drain());
        agent.start();
        agent.awaitTermination();
        return agent.whenTerminated().isCompletedExceptionally() ? 1 : 0;
    }

    /** The agent these flags describe; validation errors name the flag and its variable. */
    BatonAgent.Builder builder() {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token: not set (expected: --token or BATON_TOKEN)");
        }
        BatonAgent.Builder builder = BatonAgent.builder()
                .server(server)
                .token(token)
                .slots(slots)
                .labels(Labels.parse(labels))
                .endpoints(Labels.parse("endpoints", endpoints))
                .engineId(blankToEmpty(engineId))
                .tls(tls)
                .drainTimeout(Durations.parse(drainTimeout))
                .exitWhenDrained(!stayWhenDrained)
                .capabilities(Map.of("runner", "process"))
                .handler(new ProcessJobHandler(nonBlank(muteSignal), nonBlank(unmuteSignal),
                                               stderrLines, System.err));
        nonBlank(agentId).ifPresent(builder::agentId);
        nonBlank(name).ifPresent(builder::name);
        if (caFile != null) {
            builder.caFile(caFile);
        }
        if ((clientCert == null) != (clientKey == null)) {
            throw new IllegalArgumentException(clientCert == null
                    ? "--client-key: set without --client-cert (expected: both, or neither)"
                    : "--client-cert: set without --client-key (expected: both, or neither)");
        }
        if (clientCert != null) {
            builder.clientCertificate(clientCert, clientKey);
        }
        return builder;
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.trim();
    }

    /** Runs the agent; exits 0 once drained or closed, 1 if it gave up, 2 on a bad flag. */
    public static void main(String[] args) {
        configureLogging();
        CommandLine cli = new CommandLine(new BatonAgentCommand());
        cli.setExecutionExceptionHandler((error, commandLine, parsed) -> {
            if (error instanceof IllegalArgumentException) {
                commandLine.getErr().println("baton-agent: " + error.getMessage());
                return 2;
            }
            throw error;
        });
        System.exit(cli.execute(args));
    }

    /** slf4j-simple, set before the first logger exists: timestamps, info, one line per event. */
    private static void configureLogging() {
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setIfAbsent("org.slf4j.simpleLogger.log.io.grpc", "warn");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = BatonAgentCommand.class.getPackage().getImplementationVersion();
            return new String[] {"baton-agent " + (version != null ? version : "dev")};
        }
    }
}
