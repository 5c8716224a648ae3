package dev.baton.cli;

import java.util.concurrent.Callable;

import dev.baton.cli.connect.ConnectionOptions;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.input.InvalidInputException;
import dev.baton.cli.input.JsonInput;
import dev.baton.cli.output.Output;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the server. Subclasses implement {@link #run}; this class opens the connection,
 * closes it, and turns every failure into one {@code error:} line and an exit code (see {@link ExitCodes}).
 * The mapping lives here rather than in picocli's exception handler so that a plain
 * {@code new CommandLine(new Batonctl()).execute(args)} gives the same exit codes as the real binary.
 */
public abstract class BatonCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** Does the work; returns the exit code (normally {@link ExitCodes#OK}). */
    protected abstract int run(ServerConnection server, Output output);

    @Override
    public final Integer call() {
        Batonctl root = root();
        Output output = root.output(spec.commandLine());
        ConnectionOptions options = root.connectionOptions(spec.commandLine());
        try {
            validate();
        } catch (InvalidInputException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        try (ServerConnection server = ServerConnection.open(options)) {
            try {
                return run(server, output);
            } catch (StatusRuntimeException e) {
                return ErrorReporter.report(e, options, server.lastMethod(), output.err());
            }
        } catch (InvalidInputException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        } catch (CliException e) {
            output.note("error: " + e.getMessage());
            return e.exitCode();
        }
    }

    /**
     * Checks option combinations before anything is sent; throw {@link InvalidInputException} (exit 2).
     * The default accepts everything.
     */
    protected void validate() {}

    /** Reads {@code FILE} or {@code -} (standard input) given to an option. */
    protected JsonInput jsonInput() {
        return root().jsonInput();
    }

    /** This command's picocli model, e.g. to tell whether an option was given. */
    protected CommandSpec spec() {
        return spec;
    }

    private Batonctl root() {
        return (Batonctl) spec.root().userObject();
    }
}
