package dev.baton.cli.jobs;

import dev.baton.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code batonctl jobs}: submit, inspect and control jobs. */
@Command(name = "jobs",
        description = "Submit, list, inspect, stop, mute and unmute jobs; read and set their metadata; read their logs; find where they are served.",
        subcommands = {
                JobsSubmitCommand.class, JobsListCommand.class, JobsGetCommand.class, JobsStopCommand.class,
                JobsMuteCommand.class, JobsUnmuteCommand.class, JobsMetadataCommand.class,
                JobsLogsCommand.class, JobsEndpointCommand.class
        })
public final class JobsCommand extends CommandGroup {}
