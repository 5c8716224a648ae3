package dev.baton.cli.engines;

import dev.baton.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code batonctl engines}: the engine containers Baton runs for its pools. */
@Command(name = "engines",
        description = "List and inspect engine containers (see 'batonctl pools' to change them).",
        subcommands = {EnginesListCommand.class, EnginesGetCommand.class})
public final class EnginesCommand extends CommandGroup {}
