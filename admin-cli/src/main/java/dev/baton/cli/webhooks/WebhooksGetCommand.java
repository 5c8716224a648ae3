package dev.baton.cli.webhooks;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.GetWebhookRequest;
import dev.baton.proto.v1.Webhook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code batonctl webhooks get ID}. */
@Command(name = "get",
        description = "Show one webhook subscription (never its secret).",
        footerHeading = "%nExamples:%n",
        footer = "  batonctl webhooks get ops")
public final class WebhooksGetCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The subscription's id.")
    private String id;

    @Override
    protected int run(ServerConnection server, Output output) {
        Webhook webhook = server.webhooks().getWebhook(GetWebhookRequest.newBuilder().setId(id).build());
        output.item(webhook, details -> WebhookViews.describe(webhook, details, output.now()));
        return ExitCodes.OK;
    }
}
