package dev.baton.cli.webhooks;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.ListWebhooksRequest;
import dev.baton.proto.v1.ListWebhooksResponse;
import picocli.CommandLine.Command;

/** {@code batonctl webhooks list}. */
@Command(name = "list", aliases = "ls",
        description = "List webhook subscriptions, sorted by id.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl webhooks list",
                "  batonctl webhooks list -o wide"
        })
public final class WebhooksListCommand extends BatonCommand {

    @Override
    protected int run(ServerConnection server, Output output) {
        ListWebhooksResponse response = server.webhooks().listWebhooks(ListWebhooksRequest.getDefaultInstance());
        output.list(response, response.getWebhooksList(), WebhookViews.columns(output.now()), "No webhooks found.");
        return ExitCodes.OK;
    }
}
