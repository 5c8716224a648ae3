package dev.baton.cli.webhooks;

import dev.baton.cli.BatonCommand;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.connect.ServerConnection;
import dev.baton.cli.input.InvalidInputException;
import dev.baton.cli.output.Output;
import dev.baton.proto.v1.CreateWebhookRequest;
import dev.baton.proto.v1.Webhook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code batonctl webhooks create [ID] --url URL --status S --secret-file FILE}. */
@Command(name = "create",
        description = "Create a webhook subscription (without ID the server generates one).",
        footerHeading = "%nExamples:%n",
        footer = {
                "  batonctl webhooks create ops --url http://127.0.0.1:9000/baton --status FAILED,STOPPED \\",
                "      --secret-file ~/.baton/webhook-secret",
                "  openssl rand -hex 32 | batonctl webhooks create --url http://localhost:9000/hook \\",
                "      --status RUNNING --selector team=video --secret-file -"
        })
public final class WebhooksCreateCommand extends BatonCommand {

    @Parameters(paramLabel = "ID", arity = "0..1",
            description = "Letters, digits, '.', '_', '-' (1..128); generated when left out.")
    private String id;

    @Mixin
    private WebhookOptions options;

    @Option(names = "--disabled", description = "Create it paused: no events are queued until it is enabled.")
    private boolean disabled;

    @Override
    protected void validate() {
        if (options.url == null || options.statuses == null || options.secretFile == null) {
            throw new InvalidInputException("--url, --status and --secret-file are required");
        }
    }

    @Override
    protected int run(ServerConnection server, Output output) {
        Webhook.Builder webhook = options.applyTo(Webhook.getDefaultInstance(), jsonInput());
        if (id != null) {
            webhook.setId(id);
        }
        if (disabled) {
            webhook.setEnabled(false);
        }
        Webhook created = server.webhooks().createWebhook(CreateWebhookRequest.newBuilder().setWebhook(webhook).build());
        output.done(created, "webhook " + created.getId() + " created (" + WebhookViews.statuses(created) + " → "
                             + created.getUrl() + ')');
        return ExitCodes.OK;
    }
}
