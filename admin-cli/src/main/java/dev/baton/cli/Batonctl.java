package dev.baton.cli;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

import dev.baton.cli.agents.AgentsCommand;
import dev.baton.cli.connect.ConnectionOptions;
import dev.baton.cli.connect.ServerAddress;
import dev.baton.cli.engines.EnginesCommand;
import dev.baton.cli.hosts.HostsCommand;
import dev.baton.cli.input.DurationConverter;
import dev.baton.cli.input.JsonInput;
import dev.baton.cli.jobs.JobsCommand;
import dev.baton.cli.output.Output;
import dev.baton.cli.output.OutputFormat;
import dev.baton.cli.pools.PoolsCommand;
import dev.baton.cli.status.StatusCommand;
import dev.baton.cli.templates.TemplatesCommand;
import dev.baton.cli.watch.WatchCommand;
import dev.baton.cli.webhooks.WebhooksCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code batonctl}: the root command. It owns the global options (inherited by every subcommand, so they may be
 * given before or after the subcommand) and the process's clock and standard input, which tests replace.
 */
@Command(name = "batonctl",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        description = "Operate a Baton control plane: agents, jobs, templates, engines, pools and webhooks.",
        subcommands = {
                AgentsCommand.class, JobsCommand.class, TemplatesCommand.class, EnginesCommand.class,
                PoolsCommand.class, HostsCommand.class, WebhooksCommand.class, WatchCommand.class, StatusCommand.class,
                CompletionCommand.class,
                HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
                "  0  ok",
                "  1  server error (including UNIMPLEMENTED), or a waited-for job failed",
                "  2  usage error: unknown option, bad value, unreadable or malformed input",
                "  3  not found (NOT_FOUND)",
                "  4  conflict or precondition (ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED)",
                "  5  server unreachable or too slow (UNAVAILABLE, DEADLINE_EXCEEDED)",
                "",
                "Environment: BATON_SERVER (default of --server), BATON_TOKEN (default of --token), BATON_CA_FILE "
                + "(default of --ca-file)."
        })
public final class Batonctl implements Callable<Integer> {

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT",
            defaultValue = "${env:BATON_SERVER:-localhost:8080}",
            description = "Baton server, host:port or http(s)://host:port; with standbys every server, comma-separated "
                          + "(calls follow the leader) (env BATON_SERVER; default: ${DEFAULT-VALUE}).")
    private String server;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN", defaultValue = "${env:BATON_TOKEN}",
            description = "Bearer token sent as 'authorization: Bearer TOKEN' (env BATON_TOKEN).")
    private String token;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "table",
            converter = OutputFormat.Converter.class, completionCandidates = OutputFormat.Names.class,
            description = "Output format: table, wide or json (proto3 JSON; default: ${DEFAULT-VALUE}).")
    private OutputFormat output;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Deadline of each call, e.g. 500ms, 10s, 1m (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(names = "--tls", scope = ScopeType.INHERIT,
            description = "Use TLS (implied by --ca-file and https:// addresses).")
    private boolean tls;

    @Option(names = "--ca-file", scope = ScopeType.INHERIT, paramLabel = "PEM", defaultValue = "${env:BATON_CA_FILE}",
            description = "Trust the CA certificates in this PEM file instead of the system's (implies --tls; "
                          + "env BATON_CA_FILE).")
    private Path caFile;

    @Spec
    private CommandSpec spec;

    private final Clock clock;
    private final InputStream stdin;

    /** The real thing: system clock, process standard input. */
    public Batonctl() {
        this(Clock.systemUTC(), System.in);
    }

    /** For tests: a fixed clock for ages, and the bytes {@code --config -} reads. */
    public Batonctl(Clock clock, InputStream stdin) {
        this.clock = requireNonNull(clock, "clock");
        this.stdin = requireNonNull(stdin, "stdin");
    }

    /** Runs batonctl and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(newCommandLine(new Batonctl()).execute(args));
    }

    /**
     * A command line for {@code batonctl} with its usage-error format (one {@code error:} line and a pointer to
     * {@code --help}, exit 2) and case-insensitive enum values ({@code --status running}).
     */
    public static CommandLine newCommandLine(Batonctl batonctl) {
        CommandLine commandLine = new CommandLine(batonctl);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(new UsageErrorHandler());
        commandLine.setExecutionExceptionHandler(new UnexpectedErrorHandler());
        return commandLine;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("error: missing command");
        spec.commandLine().usage(err);
        err.flush();
        return ExitCodes.USAGE;
    }

    Output output(CommandLine commandLine) {
        return new Output(commandLine.getOut(), commandLine.getErr(), output, clock);
    }

    JsonInput jsonInput() {
        return new JsonInput(stdin);
    }

    ConnectionOptions connectionOptions(CommandLine commandLine) {
        java.util.List<ServerAddress> servers = new java.util.ArrayList<>();
        try {
            for (String one : server.split(",")) {
                if (!one.isBlank() || servers.isEmpty() && server.isBlank()) {
                    servers.add(ServerAddress.parse(one));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, "--server: " + e.getMessage(), e);
        }
        if (caFile != null && !Files.isReadable(caFile)) {
            throw new ParameterException(commandLine, "--ca-file: cannot read " + caFile);
        }
        return new ConnectionOptions(servers, token, tls, caFile, timeout);
    }
}
