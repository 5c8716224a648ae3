package dev.baton.cli.webhooks;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.input.InvalidInputException;
import dev.baton.cli.output.Names;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.GetWebhookRequest;
import dev.baton.proto.v1.UpdateWebhookRequest;
import dev.baton.proto.v1.Webhook;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code batonctl webhooks update ID}. The RPC replaces the subscription, so the command reads it and changes
 * only what was given; the secret stays unless --secret-file is given.
 */
@Command(name = "update",
        description = {
                "Change a webhook subscription; options not given keep their values.",
                "--enable re-activates a subscription that was disabled after failing too often."
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl webhooks update ops --status FAILED",
                "  batonctl webhooks update ops --enable",
                "  batonctl webhooks update ops --secret-file new-secret.txt"
        })
public final class WebhooksUpdateCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The subscription's id.")
    private String id;

    @Mixin
    private WebhookOptions options;

    @ArgGroup(exclusive = true)
    private Switch state;

    static final class Switch {
        @Option(names = "--enable", required = true, description = "Deliver again (also after too many failures).")
        boolean enable;

        @Option(names = "--disable", required = true, description = "Pause: queue no new events.")
        boolean disable;
    }

    @Override
    protected void validate() {
        if (!options.given() && state == null) {
            throw new InvalidInputException("nothing to change: give --url, --status, --selector, --template, "
                                            + "--description, --secret-file, --enable or --disable");
        }
    }

    @Override
    protected int run(ServerConnection server, Output output) {
        Webhook current = server.webhooks().getWebhook(GetWebhookRequest.newBuilder().setId(id).build());
        Webhook.Builder changed = options.applyTo(current, jsonInput()).clearEnabled();
        if (state != null) {
            changed.setEnabled(state.enable);
        }
        Webhook updated = server.webhooks().updateWebhook(
                UpdateWebhookRequest.newBuilder().setId(id).setWebhook(changed).build());
        output.done(updated, "webhook " + updated.getId() + " updated (" + Names.of(updated.getState()) + ')');
        return ExitCodes.OK;
    }
}
