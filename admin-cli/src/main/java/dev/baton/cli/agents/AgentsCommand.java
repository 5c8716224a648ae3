package dev.baton.cli.agents;

import dev.baton.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code batonctl agents}: the worker agents connected to (or known by) the server. */
@Command(name = "agents",
        description = "List, inspect, drain and undrain worker agents.",
        subcommands = {
                AgentsListCommand.class, AgentsGetCommand.class, AgentsDrainCommand.class,
                AgentsUndrainCommand.class
        })
public final class AgentsCommand extends CommandGroup {}
