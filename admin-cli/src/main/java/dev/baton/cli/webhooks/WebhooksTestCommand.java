package dev.baton.cli.webhooks;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.SendTestEventRequest;
import dev.baton.proto.v1.WebhookDelivery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code batonctl webhooks test ID}. */
@Command(name = "test",
        description = {"Queue a signed \"webhook.test\" event for the subscription.",
                       "See the outcome with: batonctl webhooks deliveries ID"},
        footerHeading = "%nExamples:%n",
        footer = "  batonctl webhooks test ops && batonctl webhooks deliveries ops --limit 1")
public final class WebhooksTestCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The subscription's id.")
    private String id;

    @Override
    protected int run(ServerConnection server, Output output) {
        WebhookDelivery delivery = server.webhooks().sendTestEvent(SendTestEventRequest.newBuilder().setId(id).build());
        output.done(delivery, "test event " + delivery.getEventId() + " queued for webhook " + id);
        return ExitCodes.OK;
    }
}
