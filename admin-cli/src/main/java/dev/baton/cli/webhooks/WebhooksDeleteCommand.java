package dev.baton.cli.webhooks;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.DeleteWebhookRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code batonctl webhooks delete ID}. */
@Command(name = "delete", aliases = "rm",
        description = "Delete a webhook subscription and the deliveries still queued for it.",
        footerHeading = "%nExamples:%n",
        footer = "  batonctl webhooks delete ops")
public final class WebhooksDeleteCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The subscription's id.")
    private String id;

    @Override
    protected int run(ServerConnection server, Output output) {
        output.done(server.webhooks().deleteWebhook(DeleteWebhookRequest.newBuilder().setId(id).build()),
                    "webhook " + id + " deleted");
        return ExitCodes.OK;
    }
}
