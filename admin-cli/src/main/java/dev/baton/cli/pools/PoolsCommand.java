package dev.baton.cli.pools;

import dev.baton.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code batonctl pools}: pools of engine containers that Baton keeps at the wanted size. */
@Command(name = "pools",
        description = "Create, list, inspect, update, scale and delete engine pools.",
        subcommands = {
                PoolsListCommand.class, PoolsGetCommand.class, PoolsCreateCommand.class, PoolsUpdateCommand.class,
                PoolsDeleteCommand.class, PoolsScaleCommand.class
        })
public final class PoolsCommand extends CommandGroup {}
