package dev.baton.cli.templates;

import dev.baton.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code batonctl templates}: reusable job configurations. */
@Command(name = "templates",
        description = "Create, list, inspect, update and delete job templates.",
        subcommands = {
                TemplatesCreateCommand.class, TemplatesListCommand.class, TemplatesGetCommand.class,
                TemplatesUpdateCommand.class, TemplatesDeleteCommand.class
        })
public final class TemplatesCommand extends CommandGroup {}
