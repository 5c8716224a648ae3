package dev.baton.cli.hosts;

import dev.baton.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code batonctl hosts}: the Docker hosts engines are placed on. */
@Command(name = "hosts",
        description = "List, add, cordon, uncordon, drain and remove the Docker hosts engines run on.",
        subcommands = {
                HostsListCommand.class, HostsGetCommand.class, HostsCreateCommand.class, HostsStateCommand.Cordon.class,
                HostsStateCommand.Uncordon.class, HostsStateCommand.Drain.class, HostsDeleteCommand.class
        })
public final class HostsCommand extends CommandGroup {}
