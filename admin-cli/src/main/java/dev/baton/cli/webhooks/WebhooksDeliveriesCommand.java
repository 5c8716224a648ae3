package dev.baton.cli.webhooks;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.ListWebhookDeliveriesRequest;
import dev.baton.proto.v1.ListWebhookDeliveriesResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code batonctl webhooks deliveries ID}. */
@Command(name = "deliveries",
        description = "Show a subscription's recent deliveries, newest first: waiting ones, then completed ones.",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl webhooks deliveries ops",
                "  batonctl webhooks deliveries ops --limit 5 -o json"
        })
public final class WebhooksDeliveriesCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", description = "The subscription's id (job:JOB_ID for a job's callback URL).")
    private String id;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "At most N deliveries (default: all the server keeps).")
    private int limit;

    @Override
    protected int run(ServerConnection server, Output output) {
        ListWebhookDeliveriesResponse response = server.webhooks().listWebhookDeliveries(
                ListWebhookDeliveriesRequest.newBuilder().setId(id).setPageSize(limit).build());
        output.list(response, response.getDeliveriesList(), WebhookViews.deliveryColumns(output.now()),
                    "No deliveries yet.");
        return ExitCodes.OK;
    }
}
