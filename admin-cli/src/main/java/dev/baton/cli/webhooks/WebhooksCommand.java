package dev.baton.cli.webhooks;

import dev.baton.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code batonctl webhooks}: job events POSTed to HTTP endpoints. */
@Command(name = "webhooks",
        description = "Create, list, inspect, update, delete and test webhook subscriptions; show their deliveries.",
        subcommands = {
                WebhooksCreateCommand.class, WebhooksListCommand.class, WebhooksGetCommand.class,
                WebhooksUpdateCommand.class, WebhooksDeleteCommand.class, WebhooksDeliveriesCommand.class,
                WebhooksTestCommand.class
        })
public final class WebhooksCommand extends CommandGroup {}
