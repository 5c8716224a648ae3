package dev.baton.cli;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints a bash/zsh completion script generated from the command model, so it never goes stale. */
@Command(name = "completion",
        description = "Print a bash/zsh completion script for batonctl.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  source <(batonctl completion)",
                "  batonctl completion > /etc/bash_completion.d/batonctl"
        })
final class CompletionCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("batonctl", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
