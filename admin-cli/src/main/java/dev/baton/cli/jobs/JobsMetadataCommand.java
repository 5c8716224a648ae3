package dev.baton.cli.jobs;

import dev.baton.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code batonctl jobs metadata}: a job's stream metadata. */
@Command(name = "metadata",
        description = "Read or merge a job's stream metadata (title, viewers, URLs, ...).",
        subcommands = {JobsMetadataGetCommand.class, JobsMetadataSetCommand.class})
public final class JobsMetadataCommand extends CommandGroup {}
