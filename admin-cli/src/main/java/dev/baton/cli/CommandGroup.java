package dev.baton.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code batonctl jobs}). Called alone it says which subcommands exist
 * and exits with {@link ExitCodes#USAGE}, because a script that forgot the verb did not do what it meant.
 */
public abstract class CommandGroup implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        // subcommands() maps aliases too (ls, rm): name each command once.
        String names = String.join(", ", spec.subcommands().values().stream()
                                             .map(CommandLine::getCommandName)
                                             .distinct()
                                             .toList());
        spec.commandLine().getErr().println("error: missing command: " + spec.qualifiedName()
                                            + " needs one of " + names);
        spec.commandLine().getErr().println("Run '" + spec.qualifiedName() + " --help' for usage.");
        spec.commandLine().getErr().flush();
        return ExitCodes.USAGE;
    }
}
